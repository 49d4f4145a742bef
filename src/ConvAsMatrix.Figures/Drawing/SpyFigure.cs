using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// A spy plot of a large sparse matrix (MATLAB's <c>spy</c>) whose dots are coloured by kernel tap, as
/// <see cref="TapGridFigure"/> colours its cells, with rules between channel blocks. Drawn from the stored entries only
/// (never a dense copy), one SVG path per colour in the matrix's own units (one unit an entry, scaled by a transform),
/// so that V with 10⁴ entries and more builds and renders quickly, in the browser too.
/// </summary>
/// <remarks>
/// SVG: each panel is a group with <c>data-panel</c>, <c>data-rows</c>, <c>data-cols</c> and <c>data-entries</c>: every
/// entry drawn as <c>row,column,symbols</c> (the names of the weight's symbols that add up there joined by <c>+</c>, e.g.
/// <c>k₀₀+k₀₁</c> where padding folds two taps), entries separated by <c>;</c>, so a test can compare the drawing with V
/// compiled again. A panel drawn as another's transpose (<see cref="Panel.Transposed"/>) has <c>data-transposes</c>, that
/// panel's title, instead: its dots are a <c>use</c> of that panel's, whose id is <c>spy-dots-n</c> (n its position).
/// </remarks>
public sealed class SpyFigure : Figure
{
    /// <summary>One stored entry: its position and the weight's symbols (indices into <see cref="Symbols"/>) that add up there.</summary>
    public readonly record struct Entry(int Row, int Column, int[] Terms);

    /// <summary>One matrix of the figure.</summary>
    /// <param name="Title">Above the plot, e.g. "V (1024×1156)".</param>
    /// <param name="Rows">The matrix's rows.</param>
    /// <param name="Columns">The matrix's columns.</param>
    /// <param name="Entries">The stored entries.</param>
    public sealed record Panel(string Title, int Rows, int Columns, IReadOnlyList<Entry> Entries)
    {
        /// <summary>A rule after every this many rows (0: none), e.g. between output channels.</summary>
        public int RowBlock { get; init; }

        /// <summary>A rule after every this many columns (0: none), e.g. between input channels.</summary>
        public int ColumnBlock { get; init; }

        /// <summary>Whether the entries are drawn transposed: entry (r, c) at row c, column r.</summary>
        public bool IsTransposed { get; init; }

        /// <summary>
        /// The same matrix transposed, titled <paramref name="title"/>, its rules swapped. It shares the entries: in a
        /// figure that also holds this panel, it is drawn as this panel's dots reflected (an SVG <c>use</c> with a
        /// transposing transform), so the browser parses them once.
        /// </summary>
        public Panel Transposed(string title) =>
            new(title, Columns, Rows, Entries) { RowBlock = ColumnBlock, ColumnBlock = RowBlock, IsTransposed = !IsTransposed };
    }

    private const double Margin = 16, PanelGap = 34, TitleHeight = 26, Side = 420, Gutter = 28;
    private readonly string caption;
    private readonly IReadOnlyList<int> colourOf;
    private readonly IReadOnlyList<string> legend;

    /// <param name="caption">What the figure shows.</param>
    /// <param name="panels">The matrices, left to right.</param>
    /// <param name="symbols">The names of the weight's symbols, which entries index.</param>
    /// <param name="colourOf">For each symbol, its legend entry (e.g. its tap): its colour is <see cref="Palette.Tap"/> of that index.</param>
    /// <param name="legend">What each colour stands for, e.g. "tap 0,1".</param>
    /// <exception cref="ArgumentException">No panel, or the lists of symbols and colours differ in length.</exception>
    public SpyFigure(string caption, IReadOnlyList<Panel> panels, IReadOnlyList<string> symbols, IReadOnlyList<int> colourOf, IReadOnlyList<string> legend)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(colourOf);
        ArgumentNullException.ThrowIfNull(legend);
        if (panels.Count == 0) throw new ArgumentException("a figure needs at least one panel", nameof(panels));
        if (colourOf.Count != symbols.Count) throw new ArgumentException($"{colourOf.Count} colours for {symbols.Count} symbols", nameof(colourOf));
        this.caption = caption;
        Panels = panels;
        Symbols = symbols;
        this.colourOf = colourOf;
        this.legend = legend;
    }

    /// <summary>The panels, left to right.</summary>
    public IReadOnlyList<Panel> Panels { get; }

    /// <summary>The names of the weight's symbols.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines() =>
        Panels.Select(p => $"{p.Title}: {p.Rows}×{p.Columns}, {p.Entries.Count} stored entries").ToList();

    /// <summary>The side of one entry's square in pixels: the larger dimension fills <see cref="Side"/> pixels, at most 10 per entry.</summary>
    private double CellSize() => Math.Min(10, Side / Panels.Max(p => Math.Max(p.Rows, p.Columns)));

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        double cs = CellSize(), x = Margin, height = 0;
        var content = new List<XElement>();
        for (int n = 0; n < Panels.Count; n++)
        {
            var panel = Panels[n];
            content.Add(DrawPanel(n, x, Margin, cs));
            x += Math.Max(Gutter + panel.Columns * cs, Svg.Width(panel.Title, 14)) + PanelGap;
            height = Math.Max(height, TitleHeight + 14 + panel.Rows * cs);
        }
        double y = Margin + height + 18;
        var parts = new List<XElement> { Svg.Text(Margin, y + 7, "colour:", 12, Svg.Muted, "start") };
        double lx = Margin + 56, ly = y, right = lx;
        double wrap = Math.Max(x - PanelGap, 600);
        for (int k = 0; k < legend.Count; k++)
        {
            double w = 19 + Svg.Width(legend[k], 12);
            if (lx > Margin + 56 && lx + w > wrap) { lx = Margin + 56; ly += 22; }
            parts.Add(Svg.Rect(lx, ly, 14, 14, Palette.Tap(k)));
            parts.Add(Svg.Text(lx + 19, ly + 7, legend[k], 12, Svg.Ink, "start"));
            right = Math.Max(right, lx + w);
            lx += w + 14;
        }
        content.Add(Svg.Group([("data-legend", "taps")], parts));
        return Svg.Root(Math.Max(x - PanelGap, right) + Margin, ly + 16 + Margin, caption, "spy", content);
    }

    /// <summary>The id of panel <paramref name="n"/>'s dots, for the panel that shows them transposed.</summary>
    private static string DotsId(int n) => $"spy-dots-{n}";

    private XElement DrawPanel(int n, double x0, double y0, double cs)
    {
        var p = Panels[n];
        double gx = x0 + Gutter, gy = y0 + TitleHeight + 14, gw = p.Columns * cs, gh = p.Rows * cs;
        var parts = new List<XElement>
        {
            Svg.Text(x0, y0 + 9, p.Title, 14, Svg.Ink, "start", "600"),
            Svg.Rect(gx, gy, gw, gh, "#ffffff"),
        };
        int step = Math.Max(p.Rows, p.Columns) switch { <= 20 => 5, <= 200 => 50, <= 2000 => 500, _ => 5000 };
        for (int i = 0; i < p.Rows; i += step) parts.Add(Svg.Text(gx - 5, gy + (i + 0.5) * cs, I(i), 9, Svg.Muted, "end"));
        for (int j = 0; j < p.Columns; j += step) parts.Add(Svg.Text(gx + (j + 0.5) * cs, gy - 7, I(j), 9, Svg.Muted));

        // Scaled from matrix units (one unit an entry) to pixels; transposed panels swap the axes.
        string transform = p.IsTransposed
            ? $"matrix(0 {Svg.N(cs)} {Svg.N(cs)} 0 {Svg.N(gx)} {Svg.N(gy)})"
            : $"matrix({Svg.N(cs)} 0 0 {Svg.N(cs)} {Svg.N(gx)} {Svg.N(gy)})";
        int source = Enumerable.Range(0, n).FirstOrDefault(m => ReferenceEquals(Panels[m].Entries, p.Entries) && Panels[m].IsTransposed != p.IsTransposed, -1);
        var attributes = new List<(string, string)> { ("data-panel", p.Title), ("data-rows", I(p.Rows)), ("data-cols", I(p.Columns)) };
        if (source >= 0)
        {
            // The source panel's dots in matrix units (its inner group, outside its transform), with this panel's transform.
            parts.Add(new XElement(Svg.Namespace + "use", new XAttribute("href", "#" + DotsId(source)), new XAttribute("transform", transform)));
            attributes.Add(("data-transposes", Panels[source].Title));
        }
        else
        {
            var (dots, data) = Dots(p);
            parts.Add(new XElement(Svg.Namespace + "g", new XAttribute("transform", transform), new XElement(Svg.Namespace + "g", new XAttribute("id", DotsId(n)), dots)));
            attributes.Add(("data-entries", data));
        }
        if (p.RowBlock > 0)
            for (int i = p.RowBlock; i < p.Rows; i += p.RowBlock) parts.Add(Svg.Line(gx, gy + i * cs, gx + gw, gy + i * cs, Svg.Muted, 1.2));
        if (p.ColumnBlock > 0)
            for (int j = p.ColumnBlock; j < p.Columns; j += p.ColumnBlock) parts.Add(Svg.Line(gx + j * cs, gy, gx + j * cs, gy + gh, Svg.Muted, 1.2));
        parts.Add(Svg.Rect(gx, gy, gw, gh, "none", "#8c959f", 1));
        return Svg.Group(attributes, parts);
    }

    /// <summary>
    /// One path per colour in matrix units (an entry is the unit square at (column, row) of the stored matrix, split into
    /// vertical stripes where several taps fold together; integer coordinates keep the path short and quick to write),
    /// and the entries as data: <c>row,column,symbols</c> as the panel shows them.
    /// </summary>
    private (IEnumerable<XElement> Dots, string Data) Dots(Panel p)
    {
        var paths = new Dictionary<int, StringBuilder>();
        var data = new StringBuilder(p.Entries.Count * 12);
        foreach (var (row, column, terms) in p.Entries)
        {
            if (data.Length > 0) data.Append(';');
            if (p.IsTransposed) data.Append(column).Append(',').Append(row).Append(',');
            else data.Append(row).Append(',').Append(column).Append(',');
            for (int k = 0; k < terms.Length; k++)
            {
                if (k > 0) data.Append('+');
                data.Append(Symbols[terms[k]]);
                int colour = colourOf[terms[k]];
                if (!paths.TryGetValue(colour, out var path)) paths[colour] = path = new StringBuilder();
                if (terms.Length == 1) path.Append('M').Append(column).Append(' ').Append(row).Append("h1v1h-1z");
                else path.Append('M').Append(Svg.N(column + (double)k / terms.Length)).Append(' ').Append(row)
                    .Append('h').Append(Svg.N(1.0 / terms.Length)).Append("v1h").Append(Svg.N(-1.0 / terms.Length)).Append('z');
            }
        }
        var dots = paths.OrderBy(c => c.Key).Select(c => new XElement(Svg.Namespace + "path", new XAttribute("d", c.Value.ToString()),
            new XAttribute("fill", Palette.Tap(c.Key)), new XAttribute("data-key", legend[c.Key]))).ToList();
        return (dots, data.ToString());
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
