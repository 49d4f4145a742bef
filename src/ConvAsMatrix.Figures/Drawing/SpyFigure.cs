using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// A spy plot of a large sparse matrix (MATLAB's <c>spy</c>) whose dots are coloured by kernel tap, as
/// <see cref="TapGridFigure"/> colours its cells, with rules between channel blocks. Drawn from the stored entries only
/// (never a dense copy), one SVG path per colour, so that V with 10⁴ entries and more draws and renders quickly.
/// </summary>
/// <remarks>
/// SVG: each panel is a group with <c>data-panel</c>, <c>data-rows</c>, <c>data-cols</c> and <c>data-entries</c>: every
/// stored entry as <c>row,column,symbols</c> (the symbols of the entry joined by <c>+</c>, e.g. <c>k₀₀+k₀₁</c> where
/// padding folds two taps), entries separated by <c>;</c>, so a test can compare the drawing with V compiled again.
/// </remarks>
public sealed class SpyFigure : Figure
{
    /// <summary>One matrix of the figure.</summary>
    /// <param name="Title">Above the plot, e.g. "V (1024×1156)".</param>
    /// <param name="Rows">The matrix's rows.</param>
    /// <param name="Columns">The matrix's columns.</param>
    /// <param name="Entries">The stored entries: position and the symbols (kernel taps) that add up there.</param>
    public sealed record Panel(string Title, int Rows, int Columns, IReadOnlyList<(int Row, int Column, IReadOnlyList<string> Symbols)> Entries)
    {
        /// <summary>A rule after every this many rows (0: none), e.g. between output channels.</summary>
        public int RowBlock { get; init; }

        /// <summary>A rule after every this many columns (0: none), e.g. between input channels.</summary>
        public int ColumnBlock { get; init; }
    }

    private const double Margin = 16, PanelGap = 34, TitleHeight = 26, Side = 420, Gutter = 28;
    private readonly string caption;
    private readonly Func<string, string> key;
    private readonly List<string> keys;

    /// <param name="caption">What the figure shows.</param>
    /// <param name="panels">The matrices, left to right.</param>
    /// <param name="key">What a colour stands for: the legend key of a symbol (e.g. its tap), the same in every panel.</param>
    /// <param name="order">The keys in legend order (e.g. the kernel's taps); keys not listed follow in order of appearance.</param>
    public SpyFigure(string caption, IReadOnlyList<Panel> panels, Func<string, string> key, IEnumerable<string> order)
    {
        ArgumentNullException.ThrowIfNull(panels);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(order);
        if (panels.Count == 0) throw new ArgumentException("a figure needs at least one panel", nameof(panels));
        this.caption = caption;
        this.key = key;
        Panels = panels;
        keys = order.Concat(panels.SelectMany(p => p.Entries).SelectMany(e => e.Symbols).Select(key)).Distinct().ToList();
    }

    /// <summary>The panel of a compressed-row matrix over symbols (V, or its transpose when <paramref name="transposed"/>).</summary>
    public static Panel FromRows(string title, CompressedRowStorage<Symbolic> matrix, bool transposed = false)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var entries = new List<(int, int, IReadOnlyList<string>)>(matrix.Values.Length);
        var pointers = matrix.RowPointers;
        var columns = matrix.ColumnIndices;
        var values = matrix.Values;
        for (int r = 0; r < matrix.RowCount; r++)
            for (int p = pointers[r]; p < pointers[r + 1]; p++)
                if (!values[p].IsZero)
                    entries.Add(transposed ? (columns[p], r, values[p].Symbols) : (r, columns[p], values[p].Symbols));
        return transposed
            ? new Panel(title, matrix.ColumnCount, matrix.RowCount, entries)
            : new Panel(title, matrix.RowCount, matrix.ColumnCount, entries);
    }

    /// <summary>The panels, left to right.</summary>
    public IReadOnlyList<Panel> Panels { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines() =>
        Panels.Select(p => $"{p.Title}: {p.Rows}×{p.Columns}, {p.Entries.Count} stored entries").ToList();

    /// <summary>The side of one entry's square: the larger dimension fills <see cref="Side"/> pixels, at most 10 per entry.</summary>
    private double CellSize() => Math.Min(10, Side / Panels.Max(p => Math.Max(p.Rows, p.Columns)));

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        double cs = CellSize(), x = Margin, height = 0;
        var content = new List<XElement>();
        foreach (var panel in Panels)
        {
            content.Add(DrawPanel(panel, x, Margin, cs));
            x += Math.Max(Gutter + panel.Columns * cs, Svg.Width(panel.Title, 14)) + PanelGap;
            height = Math.Max(height, TitleHeight + 14 + panel.Rows * cs);
        }
        double y = Margin + height + 18;
        var legend = new List<XElement> { Svg.Text(Margin, y + 7, "colour:", 12, Svg.Muted, "start") };
        double lx = Margin + 56, ly = y, right = lx;
        double wrap = Math.Max(x - PanelGap, 600);
        for (int k = 0; k < keys.Count; k++)
        {
            double w = 19 + Svg.Width(keys[k], 12);
            if (lx > Margin + 56 && lx + w > wrap) { lx = Margin + 56; ly += 22; }
            legend.Add(Svg.Rect(lx, ly, 14, 14, Palette.Tap(k)));
            legend.Add(Svg.Text(lx + 19, ly + 7, keys[k], 12, Svg.Ink, "start"));
            right = Math.Max(right, lx + w);
            lx += w + 14;
        }
        content.Add(Svg.Group([("data-legend", "taps")], legend));
        return Svg.Root(Math.Max(x - PanelGap, right) + Margin, ly + 16 + Margin, caption, "spy", content);
    }

    private XElement DrawPanel(Panel p, double x0, double y0, double cs)
    {
        double gx = x0 + Gutter, gy = y0 + TitleHeight + 14, gw = p.Columns * cs, gh = p.Rows * cs;
        var parts = new List<XElement>
        {
            Svg.Text(x0, y0 + 9, p.Title, 14, Svg.Ink, "start", "600"),
            Svg.Rect(gx, gy, gw, gh, "#ffffff"),
        };
        int step = Math.Max(p.Rows, p.Columns) switch { <= 20 => 5, <= 200 => 50, <= 2000 => 500, _ => 5000 };
        for (int i = 0; i < p.Rows; i += step) parts.Add(Svg.Text(gx - 5, gy + (i + 0.5) * cs, I(i), 9, Svg.Muted, "end"));
        for (int j = 0; j < p.Columns; j += step) parts.Add(Svg.Text(gx + (j + 0.5) * cs, gy - 7, I(j), 9, Svg.Muted));

        // One path per colour: an entry is a square (a vertical stripe per tap where several taps fold together).
        var paths = new Dictionary<int, StringBuilder>();
        var data = new StringBuilder(p.Entries.Count * 12);
        foreach (var (row, column, symbols) in p.Entries)
        {
            if (data.Length > 0) data.Append(';');
            data.Append(I(row)).Append(',').Append(I(column)).Append(',').AppendJoin('+', symbols);
            double stripe = cs / Math.Max(1, symbols.Count);
            for (int k = 0; k < symbols.Count; k++)
            {
                int colour = keys.IndexOf(key(symbols[k]));
                if (!paths.TryGetValue(colour, out var path)) paths[colour] = path = new StringBuilder();
                path.Append('M').Append(Svg.N(gx + column * cs + k * stripe)).Append(' ').Append(Svg.N(gy + row * cs))
                    .Append('h').Append(Svg.N(stripe)).Append('v').Append(Svg.N(cs)).Append('h').Append(Svg.N(-stripe)).Append('z');
            }
        }
        foreach (var (colour, path) in paths.OrderBy(c => c.Key))
            parts.Add(new XElement(Svg.Namespace + "path", new XAttribute("d", path.ToString()), new XAttribute("fill", Palette.Tap(colour)),
                new XAttribute("data-key", keys[colour])));
        if (p.RowBlock > 0)
            for (int i = p.RowBlock; i < p.Rows; i += p.RowBlock) parts.Add(Svg.Line(gx, gy + i * cs, gx + gw, gy + i * cs, Svg.Muted, 1.2));
        if (p.ColumnBlock > 0)
            for (int j = p.ColumnBlock; j < p.Columns; j += p.ColumnBlock) parts.Add(Svg.Line(gx + j * cs, gy, gx + j * cs, gy + gh, Svg.Muted, 1.2));
        parts.Add(Svg.Rect(gx, gy, gw, gh, "none", "#8c959f", 1));
        return Svg.Group([("data-panel", p.Title), ("data-rows", I(p.Rows)), ("data-cols", I(p.Columns)), ("data-entries", data.ToString()),
            ("shape-rendering", "crispEdges")], parts);
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
