using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// The transposed convolution step by step, as the lecture draws it: one panel per input element X[i,j], showing
/// its contribution X[i,j]·K placed at (i·s, j·s) in the output, then their sum. Every panel is computed by the
/// library: panel (i, j) is Vᵀ applied to the input with only X[i,j] kept, i.e. X[i,j] times column (i, j) of Vᵀ,
/// and the kernel tap behind each cell is read off V compiled over symbols. Cells are coloured by kernel tap, as in
/// <see cref="TapGridFigure"/>.
/// </summary>
/// <remarks>
/// SVG: each panel is a group with <c>data-panel</c> ("i,j" or "sum"); each output cell a group with
/// <c>data-row</c>, <c>data-col</c>, <c>data-value</c> and <c>data-taps</c> (tap indices, row-major through K,
/// comma-separated; empty outside the block), showing the value as text.
/// </remarks>
public sealed class ScatterFigure : Figure
{
    /// <summary>One input element's contribution (or the sum).</summary>
    /// <param name="Row">The input element's row (−1 for the sum).</param>
    /// <param name="Column">The input element's column (−1 for the sum).</param>
    /// <param name="Values">The output, with the contribution's values.</param>
    /// <param name="Taps">For each output cell the kernel taps (row-major index) that land there.</param>
    public sealed record Panel(int Row, int Column, long[,] Values, int[,][] Taps);

    private const double Cell = 42, Margin = 16, Gap = 34;
    private readonly string caption;

    private ScatterFigure(long[,] input, long[,] kernel, int stride, IReadOnlyList<Panel> panels, Panel sum, string caption)
    {
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Panels = panels;
        Sum = sum;
        this.caption = caption;
    }

    /// <summary>The input X.</summary>
    public long[,] Input { get; }

    /// <summary>The kernel K.</summary>
    public long[,] Kernel { get; }

    /// <summary>The stride: the contribution of X[i,j] lands at (i·s, j·s).</summary>
    public int Stride { get; }

    /// <summary>One panel per input element, row-major.</summary>
    public IReadOnlyList<Panel> Panels { get; }

    /// <summary>The transposed convolution, Vᵀ·vec(X).</summary>
    public Panel Sum { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    /// <summary>The figure of conv_transpose(X, K) with <paramref name="stride"/> (no padding), computed through the library's Vᵀ.</summary>
    public static ScatterFigure FromLibrary(long[,] x, long[,] k, int stride, string caption)
    {
        int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
        var geometry = ConvGeometry.ForConvTranspose([1, 1, h, w], [1, 1, kh, kw], new ConvTransposeOptions { Stride = [stride] });
        var v = ConvolutionMatrix<long>.Compile(Dense.Flatten(k), geometry);
        var taps = Symbolic.Kernel("t", kh * kw); // t₀ … t₍ₙ₋₁₎: one symbol per tap, row-major
        var symbolic = ConvolutionMatrix<Symbolic>.Compile(taps, geometry).ToDense();
        int oh = geometry.InputSize[0], ow = geometry.InputSize[1];
        var tapIndex = taps.Select((t, i) => (t.ToString(), i)).ToDictionary(p => p.Item1, p => p.i);

        Panel Through(long[] input, Func<int, bool> keep, int row, int column)
        {
            var z = new long[v.ColumnCount];
            v.TransposeMultiply(input, z);
            var cellTaps = new int[oh, ow][];
            for (int o = 0; o < oh * ow; o++)
            {
                var found = new List<int>();
                for (int e = 0; e < h * w; e++)
                    if (keep(e)) found.AddRange(symbolic[e, o].Symbols.Select(s => tapIndex[s]));
                cellTaps[o / ow, o % ow] = [.. found.Order()];
            }
            return new Panel(row, column, Dense.Matrix(z, oh, ow), cellTaps);
        }

        var panels = new List<Panel>();
        var flat = Dense.Flatten(x);
        for (int e = 0; e < h * w; e++)
        {
            var only = new long[flat.Length];
            only[e] = flat[e];
            int element = e;
            panels.Add(Through(only, q => q == element, e / w, e % w));
        }
        return new ScatterFigure(x, k, stride, panels, Through(flat, _ => true, -1, -1), caption);
    }

    private string Label(Panel p) => p.Row < 0 ? "Y" : $"X[{p.Row},{p.Column}]·K";

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines() =>
        Grid.SideBySide(Panels.Select((p, i) => Grid.FormattedLines((i == 0 ? "" : "+ ") + Label(p), Dense.Map(p.Values, v => Grid.Cell(v, true))))
            .Append(Grid.FormattedLines("=", Dense.Map(Sum.Values, v => Grid.Cell(v, true)))).ToList());

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        int kh = Kernel.GetLength(0), kw = Kernel.GetLength(1);
        var content = new List<XElement>();
        double leftWidth = Math.Max(Math.Max(Input.GetLength(1), kw) * Cell, 80);
        double y = Margin + 20;
        content.Add(Svg.Text(Margin, Margin + 6, "input X", 13, Svg.Muted, "start", "600"));
        content.Add(DrawGrid(Input, Margin, y, (_, _) => [], "input"));
        y += Input.GetLength(0) * Cell + 34;
        content.Add(Svg.Text(Margin, y - 14, "kernel K", 13, Svg.Muted, "start", "600"));
        content.Add(DrawGrid(Kernel, Margin, y, (i, j) => [i * kw + j], "kernel"));
        double leftHeight = y + kh * Cell;

        int oh = Sum.Values.GetLength(0), ow = Sum.Values.GetLength(1);
        double panelTop = Math.Max(Margin + 20, (leftHeight + Margin) / 2 - oh * Cell / 2);
        double x = Margin + leftWidth + Gap + 10;
        content.Add(Svg.Line(x - Gap / 2 - 5, Margin, x - Gap / 2 - 5, leftHeight, Svg.Faint, 1.2));
        foreach (var p in Panels.Append(Sum))
        {
            bool sum = p.Row < 0;
            if (p != Panels[0])
                content.Add(Svg.Text(x - Gap / 2, panelTop + oh * Cell / 2, sum ? "=" : "+", 22, Svg.Muted));
            long value = sum ? 0 : Input[p.Row, p.Column];
            string title = sum ? "Y = Vᵀ·vec(X)" : $"X[{p.Row},{p.Column}] = {value}";
            content.Add(Svg.Text(x + ow * Cell / 2, panelTop - 14, title, 13, Svg.Ink, weight: "600"));
            var panel = DrawGrid(p.Values, x, panelTop, (i, j) => p.Taps[i, j], sum ? "sum" : $"{p.Row},{p.Column}", !sum);
            content.Add(panel);
            if (!sum)
            {
                int r0 = p.Row * Stride, c0 = p.Column * Stride;
                content.Add(Svg.Rect(x + c0 * Cell, panelTop + r0 * Cell, kw * Cell, kh * Cell, "none", Svg.Ink, 2));
                content.Add(Svg.Text(x + ow * Cell / 2, panelTop + oh * Cell + 15,
                    $"Y[{r0}:{r0 + kh}, {c0}:{c0 + kw}] += {value}·K", 11.5, Svg.Muted));
            }
            x += ow * Cell + Gap;
        }
        double width = x - Gap + Margin;
        double height = Math.Max(leftHeight, panelTop + oh * Cell + 24) + Margin;
        return Svg.Root(width, height, caption, "scatter", content);
    }

    /// <summary>A cell that several taps reach: a band along its bottom, one segment per tap colour, so the sum stays readable on white.</summary>
    public static IEnumerable<XElement> Strip(IReadOnlyList<int> taps, double x, double y, double size)
    {
        double band = Math.Max(5, Math.Round(size / 5)), segment = (size - 2) / Math.Max(1, taps.Count);
        for (int k = 0; k < taps.Count; k++)
            yield return Svg.Rect(x + 1 + k * segment, y + size - 1 - band, segment, band, Palette.Tap(taps[k]));
    }

    /// <summary>A grid of values: a cell one tap reaches is filled with its colour, one several taps reach gets a band of their colours (<see cref="Strip"/>), the rest is white.</summary>
    private static XElement DrawGrid(long[,] values, double x0, double y0, Func<int, int, int[]> taps, string name, bool blankOutside = false)
    {
        int rows = values.GetLength(0), cols = values.GetLength(1);
        var cells = new List<XElement>();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                double cx = x0 + j * Cell, cy = y0 + i * Cell;
                var t = taps(i, j);
                var parts = new List<XElement> { Svg.Rect(cx, cy, Cell, Cell, "#ffffff", "#c4cbd3") };
                if (t.Length == 1) parts.Add(Svg.Rect(cx + 1, cy + 1, Cell - 2, Cell - 2, Palette.Tap(t[0])));
                else parts.AddRange(Strip(t, cx, cy, Cell));
                bool shown = !(blankOutside && t.Length == 0);
                if (shown) parts.Add(Svg.Text(cx + Cell / 2, cy + Cell / 2 - (t.Length > 1 ? 3 : 0), values[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), 16));
                cells.Add(Svg.Group([("data-row", $"{i}"), ("data-col", $"{j}"), ("data-value", shown ? values[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture) : ""),
                    ("data-taps", string.Join(',', t))], parts));
            }
        return Svg.Group([("data-panel", name)], cells);
    }
}
