using System.Xml.Linq;
using static ConvAsMatrix.Proofs.Html;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// Renders a proof's blocks as the body of a web page: headings with anchors, prose paragraphs and formulas, the
/// lecture's quote in Chinese with its English rendering, matrices as bracketed tables, tables, checks with their
/// computed outcome, and figures as inline SVG with a caption and a link to the figure's own file.
/// </summary>
public static class HtmlRenderer
{
    /// <summary>The page's content elements and the sections (anchor, title) for its table of contents.</summary>
    /// <param name="blocks">What the proof wrote.</param>
    /// <param name="figureFile">The relative path of figure n's SVG file (n from 1, in page order).</param>
    public static (IReadOnlyList<XElement> Content, IReadOnlyList<(string Id, string Title)> Sections) Render(
        IReadOnlyList<PageBlock> blocks, Func<int, string> figureFile)
    {
        var content = new List<XElement>();
        var sections = new List<(string, string)>();
        var ids = new HashSet<string>();
        XElement? checks = null;
        int figures = 0;
        foreach (var block in blocks)
        {
            if (block is CheckBlock check)
            {
                if (checks is null) content.Add(checks = C("ul", "checks"));
                checks.Add(Check(check));
                continue;
            }
            checks = null;
            switch (block)
            {
                case HeadingBlock h:
                    string id = UniqueId(Html.Slug(h.Title), ids, sections.Count + 1);
                    sections.Add((id, h.Title));
                    content.Add(E("h2", new XAttribute("id", id), h.Title));
                    break;
                case ProseBlock p:
                    content.AddRange(Prose(p.Text));
                    break;
                case QuoteBlock q:
                    content.Add(C("blockquote", "seed",
                        C("p", "original", new XAttribute("lang", "zh"), q.Original.TrimEnd()),
                        Prose(q.English).Select(e => { if (e.Name == Ns + "p") e.SetAttributeValue("class", "english"); return e; })));
                    break;
                case GapBlock:
                    break;
                case MatricesBlock m:
                    content.Add(C("div", "matrices", m.Items.Select(Matrix)));
                    break;
                case VectorBlock v:
                    content.Add(C("div", "matrices", Matrix(new MatrixItem(v.Label, Row(v.Cells)))));
                    break;
                case TableBlock t:
                    content.Add(C("div", "scroll", Table(t)));
                    break;
                case FigureBlock f:
                    figures++;
                    content.Add(Figure(f.Figure, figures, figureFile(figures)));
                    break;
                default:
                    throw new ArgumentException($"no HTML rendering for {block.GetType().Name}", nameof(blocks));
            }
        }
        return (content, sections);
    }

    private static string UniqueId(string slug, HashSet<string> taken, int number)
    {
        // "figure-N" is the figures' anchor; a heading never takes it.
        string first = slug.Length == 0 || slug.StartsWith("figure-", StringComparison.Ordinal) ? $"section-{number}" : slug, id = first;
        for (int n = 2; !taken.Add(id); n++) id = $"{first}-{n}";
        return id;
    }

    /// <summary>Paragraphs as &lt;p&gt;; consecutive formula lines (starting with a space) as one &lt;pre class="formula"&gt;.</summary>
    public static IEnumerable<XElement> Prose(string text)
    {
        var formula = new List<string>();
        foreach (var paragraph in Wrap.Paragraphs(text).Append(""))
        {
            if (paragraph.StartsWith(' ')) { formula.Add(paragraph); continue; }
            if (formula.Count > 0)
            {
                int indent = formula.Min(l => l.Length - l.TrimStart().Length);
                yield return C("pre", "formula", string.Join("\n", formula.Select(l => l[indent..].TrimEnd())));
                formula.Clear();
            }
            if (paragraph.Length > 0) yield return E("p", paragraph);
        }
    }

    private static XElement Check(CheckBlock c) =>
        C("li", c.Check.Holds ? "holds" : "fails",
            C("span", "mark", new XAttribute("aria-hidden", "true"), c.Check.Holds ? "✓" : "✗"),
            C("span", "sr", c.Check.Holds ? "holds: " : "fails: "),
            C("span", "statement", c.Check.Statement),
            c.Difference is null ? null : C("span", "difference", "first difference: " + c.Difference));

    private static string[,] Row(IReadOnlyList<string> cells)
    {
        var row = new string[1, cells.Count];
        for (int j = 0; j < cells.Count; j++) row[0, j] = cells[j];
        return row;
    }

    /// <summary>A labelled matrix: the label, then a table between brackets; a zero dot is faint, block rules are lines.</summary>
    public static XElement Matrix(MatrixItem item)
    {
        int rows = item.Cells.GetLength(0), cols = item.Cells.GetLength(1);
        var table = C("table", "matrix");
        for (int i = 0; i < rows; i++)
        {
            var tr = E("tr");
            if (item.RowBlock > 0 && (i + 1) % item.RowBlock == 0 && i + 1 < rows) tr.SetAttributeValue("class", "rule");
            for (int j = 0; j < cols; j++)
            {
                string cell = item.Cells[i, j];
                var classes = new List<string>();
                if (cell == "·") classes.Add("zero");
                if (item.ColumnBlock > 0 && (j + 1) % item.ColumnBlock == 0 && j + 1 < cols) classes.Add("rule");
                tr.Add(E("td", classes.Count == 0 ? null : new XAttribute("class", string.Join(' ', classes)), cell));
            }
            table.Add(tr);
        }
        return C("div", "matrix-item",
            item.Label.Length == 0 ? null : C("span", "matrix-label", item.Label),
            C("div", "bracket", table));
    }

    private static XElement Table(TableBlock t) =>
        C("table", "data",
            E("thead", E("tr", t.Header.Select(h => E("th", new XAttribute("scope", "col"), h)))),
            E("tbody", t.Rows.Select(r => E("tr", r.Select(cell => E("td", cell))))));

    private static XElement Figure(Figure figure, int number, string file) =>
        E("figure", new XAttribute("id", $"figure-{number}"),
            figure.ToSvg(),
            E("figcaption",
                E("strong", $"Figure {number}. "), figure.Caption, " ",
                C("a", "download", new XAttribute("href", file), "SVG file")));
}
