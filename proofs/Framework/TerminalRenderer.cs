namespace ConvAsMatrix.Proofs;

/// <summary>
/// Renders a proof's blocks as a plain-text terminal page: prose wrapped at <see cref="Wrap.Width"/>, quotes behind
/// a bar, matrices between box-drawing brackets, tables in aligned columns, checks with ✓ or ✗, figures as their
/// text pictures. Each block is written as soon as it arrives, so a long proof prints as it runs.
/// </summary>
/// <param name="output">Where the text goes.</param>
public sealed class TerminalRenderer(TextWriter output)
{
    private const string Indent = "  ";

    /// <summary>Writes one block.</summary>
    public void Write(PageBlock block)
    {
        switch (block)
        {
            case HeadingBlock h:
                output.WriteLine();
                output.WriteLine(Indent + h.Title);
                output.WriteLine(Indent + new string('─', h.Title.Length));
                break;
            case ProseBlock p:
                Prose(p.Text, Indent);
                break;
            case QuoteBlock q:
                foreach (var line in q.Original.Split('\n')) output.WriteLine(Indent + "│ " + line);
                Prose(q.English, Indent + "│ » ");
                break;
            case GapBlock:
                output.WriteLine();
                break;
            case MatricesBlock m:
                SideBySide(m.Items.Select(i => Grid.FormattedLines(i.Label, i.Cells, i.RowBlock, i.ColumnBlock)).ToList());
                break;
            case VectorBlock v:
                output.WriteLine(Indent + Grid.Row(v.Label, v.Cells));
                break;
            case TableBlock t:
                foreach (var line in TableLines(t)) output.WriteLine((Indent + line).TrimEnd());
                break;
            case CheckBlock c:
                var pieces = Wrap.Lines(c.Check.Statement, Wrap.Width - Indent.Length - 2).ToList();
                output.WriteLine(Indent + (c.Check.Holds ? "✓ " : "✗ ") + pieces[0]);
                foreach (var piece in pieces.Skip(1)) output.WriteLine(Indent + "  " + piece);
                if (c.Difference is not null) output.WriteLine(Indent + "  first difference: " + c.Difference);
                break;
            case FigureBlock f:
                foreach (var line in f.Figure.TextLines()) output.WriteLine((Indent + line).TrimEnd());
                break;
            default:
                throw new ArgumentException($"no terminal rendering for {block.GetType().Name}", nameof(block));
        }
    }

    private void Prose(string text, string prefix)
    {
        foreach (var paragraph in Wrap.Paragraphs(text))
            foreach (var piece in Wrap.Lines(paragraph, Wrap.Width - prefix.Length))
                output.WriteLine((prefix + piece).TrimEnd());
    }

    /// <summary>Blocks of lines next to each other, three spaces apart; shorter ones are centred vertically.</summary>
    private void SideBySide(IReadOnlyList<IReadOnlyList<string>> blocks)
    {
        foreach (var line in Grid.SideBySide(blocks)) output.WriteLine((Indent + line).TrimEnd());
    }

    /// <summary>Columns right-aligned (left-aligned when a column holds words), a rule under the header, │ between columns.</summary>
    public static IEnumerable<string> TableLines(TableBlock table)
    {
        int columns = table.Header.Count;
        var widths = Enumerable.Range(0, columns)
            .Select(c => table.Rows.Select(r => r[c].Length).Append(table.Header[c].Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            string.Join(" │ ", cells.Select((cell, c) => cell.PadLeft(widths[c])));
        yield return Line(table.Header);
        yield return string.Join("─┼─", widths.Select(w => new string('─', w)));
        foreach (var row in table.Rows) yield return Line(row);
    }
}
