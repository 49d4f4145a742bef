using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// Matrices compiled over symbols (V, Vᵀ, …) drawn as grids whose cells are coloured by kernel tap: the same tap
/// has the same colour in every panel and in every figure, so a reader sees where each tap of the kernel lands. The
/// weight side is drawn the same way with a symbolic input, coloured by input element: U(x) and the weight gradient
/// U(x)ᵀ·g tap by tap (<see cref="CompilePatches"/>, <see cref="CompileTapWindows"/>). A
/// cell where several taps fold together (padding modes) is striped with their colours. Small matrices show their
/// entries; large ones are spy plots (MATLAB's <c>spy</c>) in the same colours.
/// </summary>
/// <remarks>
/// Each drawn cell is an SVG group with <c>data-row</c>, <c>data-col</c> and <c>data-entry</c> (the entry as the
/// library computed it, e.g. <c>k₀ + k₁</c>) and a tooltip <c>V[r, c] = …</c>; zero entries are not drawn. Tests
/// read these back and compare them with V compiled again from the panel's geometry.
/// </remarks>
public sealed class TapGridFigure : Figure
{
    /// <summary>What a colour stands for.</summary>
    public enum Colouring
    {
        /// <summary>Each symbol its colour (k₀₀, k₀₁, …: the taps of one kernel).</summary>
        Symbol,

        /// <summary>Each kernel its colour (the letter of a₀, b₁, …: one colour per channel pair).</summary>
        Kernel,

        /// <summary>Each tap position its colour whatever the kernel (the subscript of a₀, b₀, …).</summary>
        Tap,
    }

    /// <summary>One matrix of the figure.</summary>
    /// <param name="Title">Shown above the grid, e.g. "V (4×9)"; in the terminal it is the label.</param>
    /// <param name="Matrix">The entries.</param>
    public sealed record Panel(string Title, Symbolic[,] Matrix)
    {
        /// <summary>A rule after every this many rows (0: none).</summary>
        public int RowBlock { get; init; }

        /// <summary>A rule after every this many columns (0: none).</summary>
        public int ColumnBlock { get; init; }

        /// <summary>Names of the rows, drawn left of the grid when entries are shown (e.g. output positions).</summary>
        public IReadOnlyList<string>? RowLabels { get; init; }

        /// <summary>Names of the columns, drawn above the grid when entries are shown (e.g. input elements).</summary>
        public IReadOnlyList<string>? ColumnLabels { get; init; }

        /// <summary>The convolution the matrix was compiled from, if it is V or Vᵀ of one.</summary>
        public ConvGeometry? Geometry { get; init; }

        /// <summary>The symbolic weight it was compiled with.</summary>
        public Symbolic[]? Kernel { get; init; }

        /// <summary>Whether the panel shows Vᵀ rather than V.</summary>
        public bool Transposed { get; init; }

        /// <summary>The symbolic input, when the panel is U(input) of <see cref="Geometry"/>, the weight-side matrix (<see cref="PatchMatrix{T}"/>), rather than V.</summary>
        public Symbolic[]? PatchInput { get; init; }

        /// <summary>
        /// With <see cref="PatchInput"/>: the output gradient g, when the panel is the weight gradient tap by tap: block (a, b)
        /// is the window tap (a, b) sums over, (U(input)ᵀ·g)[a, b] split into its terms, each at its input element's place (<see cref="Windows"/>).
        /// </summary>
        public long[]? GradOutput { get; init; }
    }

    private const double Margin = 16, MaxWidth = 940, PanelGap = 34, TitleHeight = 26;
    private readonly string caption;
    private readonly bool showEntries;
    private readonly Colouring colouring;
    private readonly List<string> keys;

    /// <param name="caption">What the figure shows.</param>
    /// <param name="panels">The matrices, left to right.</param>
    /// <param name="showEntries">Write each entry in its cell (small matrices); false draws a spy plot.</param>
    /// <param name="colouring">What the colours stand for.</param>
    public TapGridFigure(string caption, IReadOnlyList<Panel> panels, bool showEntries, Colouring colouring = Colouring.Symbol)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("a figure needs at least one panel", nameof(panels));
        this.caption = caption;
        Panels = panels;
        this.showEntries = showEntries;
        this.colouring = colouring;
        var kernel = panels.Select(p => p.PatchInput ?? p.Kernel).FirstOrDefault(k => k is not null); // its symbols lead the legend, in order
        var seen = panels.SelectMany(p => Dense.Flatten(p.Matrix)).SelectMany(s => s.Symbols).Select(Key).Distinct();
        keys = kernel is null
            ? seen.Order(StringComparer.Ordinal).ToList()
            : kernel.SelectMany(s => s.Symbols).Select(Key).Concat(seen).Distinct().ToList();
    }

    /// <summary>The panel showing V (or Vᵀ) compiled by the library from <paramref name="kernel"/> and <paramref name="geometry"/>.</summary>
    public static Panel Compile(string title, Symbolic[] kernel, ConvGeometry geometry, bool transposed = false)
    {
        var v = ConvolutionMatrix<Symbolic>.Compile(kernel, geometry).ToDense();
        return new Panel(title, transposed ? Dense.Transpose(v) : v) { Geometry = geometry, Kernel = kernel, Transposed = transposed };
    }

    /// <summary>The panel showing U(input), compiled by the library over symbols: row (n, co, o), column (co, c, t) holds the input element tap t of output o reads.</summary>
    public static Panel CompilePatches(string title, Symbolic[] input, ConvGeometry geometry) =>
        new(title, PatchMatrix<Symbolic>.ForConv(geometry, input).ToCompressedRows().ToDense()) { Geometry = geometry, PatchInput = input };

    /// <summary>
    /// The weight gradient as the library computes it, U(input)ᵀ·g with (U(input)ᵀ·g)[a, b] = Σ_o g[o]·input[source(o, (a, b))],
    /// drawn tap by tap: block (a, b) of the panel is the input grid holding that tap's terms, so it shows the window the
    /// tap sums over, each element times the g it meets. Rules separate the taps.
    /// </summary>
    /// <param name="title">Above the grid.</param>
    /// <param name="input">One sample, one channel, 2-d: a distinct symbol per element.</param>
    /// <param name="gradOutput">The output gradient g, (1, 1, *out) row-major.</param>
    /// <param name="geometry">The convolution, 2-d, one sample, one input and one output channel.</param>
    /// <exception cref="ArgumentException">The geometry is not 2-d with one sample, one input and one output channel.</exception>
    public static Panel CompileTapWindows(string title, Symbolic[] input, long[] gradOutput, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Rank != 2 || geometry.Batch != 1 || geometry.InChannels != 1 || geometry.OutChannels != 1)
            throw new ArgumentException($"the taps' windows are drawn for one 2-d channel in and out, not {geometry}", nameof(geometry));
        var gw = new Symbolic[geometry.WeightLength];
        PatchMatrix<Symbolic>.ForConv(geometry, input).TransposeMultiply(gradOutput.Select(v => (Symbolic)v).ToArray(), gw);
        return new Panel(title, Windows(gw, input, geometry))
        {
            Geometry = geometry, PatchInput = input, GradOutput = gradOutput, RowBlock = geometry.InputSize[0], ColumnBlock = geometry.InputSize[1],
        };
    }

    /// <summary>
    /// A weight gradient linear in the input's symbols, one input-sized block per tap (block (a, b) for tap (a, b)): in each block,
    /// at each element's place, the tap's term in that element (coefficient × symbol).
    /// </summary>
    public static Symbolic[,] Windows(Symbolic[] weightGradient, Symbolic[] input, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(weightGradient);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(geometry);
        int h = geometry.InputSize[0], w = geometry.InputSize[1], kh = geometry.KernelSize[0], kw = geometry.KernelSize[1];
        var names = input.Select(s => s.ToString()).ToArray();
        var m = new Symbolic[kh * h, kw * w];
        for (int t = 0; t < kh * kw; t++)
            for (int e = 0; e < h * w; e++)
                m[t / kw * h + e / w, t % kw * w + e % w] = weightGradient[t].Evaluate(s => s == names[e] ? 1 : 0) * input[e];
        return m;
    }

    /// <summary>The panels, left to right.</summary>
    public IReadOnlyList<Panel> Panels { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    private string Key(string symbol) => colouring switch
    {
        Colouring.Kernel => new string(symbol.TakeWhile(c => c is < '₀' or > '₉').ToArray()),
        Colouring.Tap => TapOf(symbol),
        _ => symbol,
    };

    /// <summary>The tap of a kernel symbol, named by its subscript whatever the letter: a₀₁ and b₀₁ are both "tap 0,1".</summary>
    public static string TapOf(string symbol)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return "tap " + string.Join(',', symbol.SkipWhile(c => c is < '₀' or > '₉').Select(c => (char)('0' + (c - '₀'))));
    }

    private string Colour(string symbol) => Palette.Tap(keys.IndexOf(Key(symbol)));

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines()
    {
        var blocks = Panels.Select(p => showEntries
            ? Grid.FormattedLines(p.Title + " =", Dense.Map(p.Matrix, s => s.IsZero ? "·" : s.ToString()), p.RowBlock, p.ColumnBlock)
            : SpyLines(p)).ToList();
        int width = blocks.Sum(b => b.Max(l => l.Length)) + 3 * (blocks.Count - 1);
        if (width <= Wrap.Width - 4) return Grid.SideBySide(blocks);
        return blocks.SelectMany((b, i) => i == 0 ? b : b.Prepend("")).ToList();
    }

    /// <summary>A text spy plot: ■ a single tap, ◆ several taps folded together, · zero.</summary>
    private static IReadOnlyList<string> SpyLines(Panel p)
    {
        var lines = new List<string> { p.Title };
        for (int i = 0; i < p.Matrix.GetLength(0); i++)
            lines.Add(string.Join(' ', Enumerable.Range(0, p.Matrix.GetLength(1))
                .Select(j => p.Matrix[i, j].Symbols.Count switch { 0 => "·", 1 => "■", _ => "◆" })));
        return lines;
    }

    private double CellSize()
    {
        if (!showEntries)
        {
            // As large as fits: up to three panels side by side within MaxWidth (four go two by two), at most 360 pixels tall.
            int perRow = Panels.Count <= 3 ? Panels.Count : 2;
            double width = (MaxWidth - 2 * Margin - (perRow - 1) * PanelGap) / perRow - 24;
            int rows = Panels.Max(p => p.Matrix.GetLength(0)), cols = Panels.Max(p => p.Matrix.GetLength(1));
            return Math.Clamp(Math.Floor(Math.Min(width / cols, 360.0 / rows)), 4, 14);
        }
        double widest = Panels.SelectMany(p => Dense.Flatten(p.Matrix)).Select(s => Svg.Width(Compact(s), 12.5))
            .Concat(Panels.SelectMany(p => p.ColumnLabels ?? []).Select(l => Svg.Width(l, 11) - 4)).DefaultIfEmpty(0).Max();
        return Math.Clamp(Math.Ceiling(widest + 12), 30, 72);
    }

    private static string Compact(Symbolic s) => s.ToString().Replace(" ", "");

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        double cs = CellSize();
        var content = new List<XElement>();
        double x = Margin, y = Margin, rowHeight = 0, right = 0;
        foreach (var panel in Panels)
        {
            var (w, h) = PanelSize(panel, cs);
            if (x > Margin && x + w > MaxWidth) { x = Margin; y += rowHeight + PanelGap; rowHeight = 0; }
            content.Add(DrawPanel(panel, x, y, cs));
            right = Math.Max(right, x + w);
            rowHeight = Math.Max(rowHeight, h);
            x += w + PanelGap;
        }
        y += rowHeight + 18;
        var (legend, legendHeight, legendWidth) = Legend(Margin, y);
        content.Add(legend);
        double width = Math.Max(right, Margin + legendWidth) + Margin;
        return Svg.Root(width, y + legendHeight + Margin, caption, "tap-grid", content);
    }

    private (double Left, double Top) Gutters(Panel p) => showEntries
        ? (p.RowLabels is null ? 0 : p.RowLabels.Max(l => Svg.Width(l, 11)) + 8, p.ColumnLabels is null ? 0 : 20)
        : (24, 14);

    private (double Width, double Height) PanelSize(Panel p, double cs)
    {
        var (left, top) = Gutters(p);
        double grid = left + p.Matrix.GetLength(1) * cs;
        return (Math.Max(grid, Svg.Width(p.Title, 14)), TitleHeight + top + p.Matrix.GetLength(0) * cs);
    }

    private XElement DrawPanel(Panel p, double x0, double y0, double cs)
    {
        int rows = p.Matrix.GetLength(0), cols = p.Matrix.GetLength(1);
        var (left, top) = Gutters(p);
        double gx = x0 + left, gy = y0 + TitleHeight + top, gw = cols * cs, gh = rows * cs;
        var parts = new List<XElement> { Svg.Text(x0, y0 + 9, p.Title, 14, Svg.Ink, "start", "600") };
        parts.Add(Svg.Rect(gx, gy, gw, gh, "#ffffff"));
        if (showEntries)
        {
            for (int i = 1; i < rows; i++) parts.Add(Svg.Line(gx, gy + i * cs, gx + gw, gy + i * cs, Svg.Faint));
            for (int j = 1; j < cols; j++) parts.Add(Svg.Line(gx + j * cs, gy, gx + j * cs, gy + gh, Svg.Faint));
            if (p.RowLabels is not null)
                for (int i = 0; i < rows; i++) parts.Add(Svg.Text(gx - 6, gy + (i + 0.5) * cs, p.RowLabels[i], 11, Svg.Muted, "end"));
            if (p.ColumnLabels is not null)
                for (int j = 0; j < cols; j++) parts.Add(Svg.Text(gx + (j + 0.5) * cs, gy - 10, p.ColumnLabels[j], 11, Svg.Muted));
        }
        else
        {
            int step = Math.Max(rows, cols) > 20 ? 10 : 5;
            for (int i = 0; i < rows; i += step) parts.Add(Svg.Text(gx - 5, gy + (i + 0.5) * cs, i.ToString(System.Globalization.CultureInfo.InvariantCulture), 9, Svg.Muted, "end"));
            for (int j = 0; j < cols; j += step) parts.Add(Svg.Text(gx + (j + 0.5) * cs, gy - 7, j.ToString(System.Globalization.CultureInfo.InvariantCulture), 9, Svg.Muted));
        }
        string name = p.Title.Split(' ')[0];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                var entry = p.Matrix[i, j];
                double cx = gx + j * cs, cy = gy + i * cs;
                if (entry.IsZero)
                {
                    if (showEntries) parts.Add(Svg.Text(cx + cs / 2, cy + cs / 2, "·", 13, "#b8bfc6"));
                    continue;
                }
                var symbols = entry.Symbols.OrderBy(s => keys.IndexOf(Key(s))).ToList();
                double inset = showEntries ? 1 : (cs >= 8 ? 0.6 : 0.3), stripe = (cs - 2 * inset) / symbols.Count;
                var cell = new List<XElement> { Svg.Title($"{name}[{i}, {j}] = {entry}") };
                if (showEntries && symbols.Count > 1)
                    cell.AddRange(ScatterFigure.Strip(symbols.Select(sym => keys.IndexOf(Key(sym))).ToList(), cx, cy, cs));
                else
                    for (int k = 0; k < symbols.Count; k++)
                        cell.Add(Svg.Rect(cx + inset + k * stripe, cy + inset, stripe, cs - 2 * inset, Colour(symbols[k])));
                if (showEntries) cell.Add(Svg.Text(cx + cs / 2, cy + cs / 2 - (symbols.Count > 1 ? 3 : 0), Compact(entry), 12.5));
                parts.Add(Svg.Group([("data-row", $"{i}"), ("data-col", $"{j}"), ("data-entry", entry.ToString())], cell));
            }
        if (p.RowBlock > 0)
            for (int i = p.RowBlock; i < rows; i += p.RowBlock) parts.Add(Svg.Line(gx, gy + i * cs, gx + gw, gy + i * cs, Svg.Muted, 1.4));
        if (p.ColumnBlock > 0)
            for (int j = p.ColumnBlock; j < cols; j += p.ColumnBlock) parts.Add(Svg.Line(gx + j * cs, gy, gx + j * cs, gy + gh, Svg.Muted, 1.4));
        parts.Add(Svg.Rect(gx, gy, gw, gh, "none", "#8c959f", 1));
        return Svg.Group([("data-panel", p.Title), ("data-rows", $"{rows}"), ("data-cols", $"{cols}")], parts);
    }

    /// <summary>One swatch per tap (or kernel), and a striped one when some cell folds several taps together.</summary>
    private (XElement Legend, double Height, double Width) Legend(double x0, double y0)
    {
        var parts = new List<XElement> { Svg.Text(x0, y0 + 7, colouring == Colouring.Kernel ? "kernel:" : "colour:", 12, Svg.Muted, "start") };
        double x = x0 + 56, y = y0, right = x;
        void Place(double w)
        {
            if (x > x0 + 56 && x + w > MaxWidth) { x = x0 + 56; y += 22; }
        }
        void Advance(double w)
        {
            right = Math.Max(right, x + w);
            x += w + 14;
        }
        foreach (var key in keys)
        {
            double w = 19 + Svg.Width(key, 12);
            Place(w);
            parts.Add(Svg.Rect(x, y, 14, 14, Palette.Tap(keys.IndexOf(key))));
            parts.Add(Svg.Text(x + 19, y + 7, key, 12, Svg.Ink, "start"));
            Advance(w);
        }
        bool folded = Panels.Any(p => Dense.Flatten(p.Matrix).Any(s => s.Symbols.Count > 1));
        if (folded)
        {
            const string text = "striped: taps that fold onto one element add up";
            double w = 19 + Svg.Width(text, 12);
            Place(w);
            parts.Add(Svg.Rect(x, y, 7, 14, Palette.Tap(0)));
            parts.Add(Svg.Rect(x + 7, y, 7, 14, Palette.Tap(1)));
            parts.Add(Svg.Text(x + 19, y + 7, text, 12, Svg.Ink, "start"));
            Advance(w);
        }
        return (Svg.Group([("data-legend", "taps")], parts), y - y0 + 16, right - x0);
    }
}
