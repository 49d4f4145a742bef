using System.Numerics;
using System.Text;

namespace ConvAsMatrix.Figures;

/// <summary>
/// Draws matrices the way a blackboard does: right-aligned columns between box-drawing brackets, a dot for
/// zero, and optional rules between blocks (channels, groups, Toeplitz blocks). Plain text, one character per
/// terminal column (subscripts and box characters are all single-width).
/// </summary>
public static class Grid
{
    /// <summary>The lines of <paramref name="m"/> with <paramref name="label"/> to the left of the middle row.</summary>
    /// <param name="label">E.g. "W =" ; empty for none.</param>
    /// <param name="m">The matrix.</param>
    /// <param name="rowBlock">Draw a rule after every this many rows (0: none).</param>
    /// <param name="columnBlock">Draw a rule after every this many columns (0: none).</param>
    /// <param name="dotZeros">Print zeros as a dot, so a sparse matrix shows its pattern; false prints 0 (for data).</param>
    public static IReadOnlyList<string> Lines<T>(string label, T[,] m, int rowBlock = 0, int columnBlock = 0, bool dotZeros = true)
        where T : IAdditiveIdentity<T, T> =>
        FormattedLines(label, Dense.Map(m, x => Cell(x, dotZeros)), rowBlock, columnBlock);

    /// <summary>The lines of a matrix whose entries are already formatted (see <see cref="Cell{T}"/>).</summary>
    public static IReadOnlyList<string> FormattedLines(string label, string[,] cells, int rowBlock = 0, int columnBlock = 0)
    {
        int rows = cells.GetLength(0), cols = cells.GetLength(1);
        int width = 1;
        foreach (var cell in cells) width = Math.Max(width, cell.Length);

        var body = new List<string>();
        for (int i = 0; i < rows; i++)
        {
            if (rowBlock > 0 && i > 0 && i % rowBlock == 0) body.Add(Rule(cols, width, columnBlock));
            var sb = new StringBuilder();
            for (int j = 0; j < cols; j++)
            {
                if (columnBlock > 0 && j > 0 && j % columnBlock == 0) sb.Append(" │");
                sb.Append(' ').Append(cells[i, j].PadLeft(width));
            }
            body.Add(sb.ToString());
        }
        return Bracket(label, body);
    }

    /// <summary>A row vector: <c>label [ a b c ]</c>.</summary>
    public static string Row<T>(string label, IReadOnlyList<T> v, bool dotZeros = false) where T : IAdditiveIdentity<T, T> =>
        Row(label, v.Select(x => Cell(x, dotZeros)).ToArray());

    /// <summary>A row vector whose elements are already formatted.</summary>
    public static string Row(string label, IReadOnlyList<string> cells)
    {
        int width = cells.Count == 0 ? 1 : cells.Max(c => c.Length);
        return (label.Length > 0 ? label + " " : "") + "[" + string.Concat(cells.Select(c => " " + c.PadLeft(width))) + " ]";
    }

    /// <summary>A value as printed in a grid: with <paramref name="dotZeros"/>, a centred dot for zero so the sparsity pattern shows.</summary>
    public static string Cell<T>(T value, bool dotZeros) where T : IAdditiveIdentity<T, T> =>
        dotZeros && EqualityComparer<T>.Default.Equals(value, T.AdditiveIdentity) ? "·" : value?.ToString() ?? "?";

    private static string Rule(int cols, int width, int columnBlock)
    {
        var sb = new StringBuilder();
        for (int j = 0; j < cols; j++)
        {
            if (columnBlock > 0 && j > 0 && j % columnBlock == 0) sb.Append("─┼");
            sb.Append(new string('─', width + 1));
        }
        return sb.ToString();
    }

    /// <summary>Puts ┌ ┐ / │ │ / └ ┘ around the body (or [ ] for a single row) and the label left of the middle row.</summary>
    private static IReadOnlyList<string> Bracket(string label, List<string> body)
    {
        string pad = new(' ', label.Length == 0 ? 0 : label.Length + 1);
        int middle = (body.Count - 1) / 2;
        if (body[middle].StartsWith('─')) middle++; // a label reads badly on a rule
        var lines = new List<string>(body.Count);
        for (int i = 0; i < body.Count; i++)
        {
            bool rule = body[i].StartsWith('─');
            (string open, string close) = body.Count == 1 ? ("[", "]")
                : i == 0 ? ("┌", "┐")
                : i == body.Count - 1 ? ("└", "┘")
                : rule ? ("├", "┤")
                : ("│", "│");
            string lead = i == middle && label.Length > 0 ? label + " " : pad;
            lines.Add(lead + open + body[i] + (rule ? "─" : " ") + close);
        }
        return lines;
    }

    /// <summary>Blocks of lines side by side, three spaces apart; shorter blocks are centred vertically.</summary>
    public static IReadOnlyList<string> SideBySide(IReadOnlyList<IReadOnlyList<string>> blocks)
    {
        int height = blocks.Max(b => b.Count);
        var widths = blocks.Select(b => b.Count == 0 ? 0 : b.Max(l => l.Length)).ToList();
        var lines = new List<string>(height);
        for (int row = 0; row < height; row++)
        {
            var parts = blocks.Select((b, k) =>
            {
                int top = (height - b.Count) / 2;
                string line = row >= top && row < top + b.Count ? b[row - top] : "";
                return line.PadRight(widths[k]);
            });
            lines.Add(string.Join("   ", parts).TrimEnd());
        }
        return lines;
    }
}
