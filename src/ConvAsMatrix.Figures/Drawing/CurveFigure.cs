using System.Globalization;
using System.Xml.Linq;

namespace ConvAsMatrix.Figures;

/// <summary>
/// Curves on logarithmic or linear axes with labelled points on them, e.g. the L-curve (log‖Vx_λ − y‖, log‖x_λ‖) or the
/// GCV function of λ with the λ each rule chooses. In the terminal a character plot; in SVG a polyline per curve and a
/// dot per marked point, each carrying its numbers (<c>data-points</c> "x y;x y;…", <c>data-x</c>, <c>data-y</c>) so a
/// test can read the figure back.
/// </summary>
public sealed class CurveFigure : Figure
{
    /// <summary>One curve: its name (the legend) and its points in order.</summary>
    public sealed record Curve(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);

    /// <summary>A labelled point (e.g. "GCV" at the λ GCV chooses).</summary>
    public sealed record Mark(string Label, double X, double Y);

    private const double Width = 560, Height = 340, Left = 70, Right = 150, Top = 34, Bottom = 52;
    private static readonly string[] Colours = ["#1f6feb", "#8250df", "#bf3989", "#1a7f37", "#9a6700", "#cf222e"];
    private readonly string caption;

    /// <param name="caption">What the figure shows.</param>
    /// <param name="xLabel">The horizontal axis.</param>
    /// <param name="yLabel">The vertical axis.</param>
    /// <param name="logX">Logarithmic horizontal axis (values must be positive).</param>
    /// <param name="logY">Logarithmic vertical axis.</param>
    /// <param name="curves">At least one curve.</param>
    /// <param name="marks">Points to label, drawn over the curves.</param>
    /// <exception cref="ArgumentException">No curve, a curve whose X and Y differ in length or hold a non-finite (or, on a log axis, non-positive) value.</exception>
    public CurveFigure(string caption, string xLabel, string yLabel, bool logX, bool logY, IReadOnlyList<Curve> curves, IReadOnlyList<Mark> marks)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(marks);
        if (curves.Count == 0) throw new ArgumentException("a curve figure needs at least one curve", nameof(curves));
        foreach (var c in curves)
        {
            if (c.X.Count != c.Y.Count || c.X.Count == 0) throw new ArgumentException($"curve '{c.Name}' has {c.X.Count} x and {c.Y.Count} y values", nameof(curves));
            if (c.X.Any(v => !Valid(v, logX)) || c.Y.Any(v => !Valid(v, logY))) throw new ArgumentException($"curve '{c.Name}' has a value its axis cannot show", nameof(curves));
        }
        if (marks.Any(m => !Valid(m.X, logX) || !Valid(m.Y, logY))) throw new ArgumentException("a mark has a value its axis cannot show", nameof(marks));
        this.caption = caption;
        (XLabel, YLabel, LogX, LogY, Curves, Marks) = (xLabel, yLabel, logX, logY, curves, marks);
    }

    /// <summary>The horizontal axis's title.</summary>
    public string XLabel { get; }

    /// <summary>The vertical axis's title.</summary>
    public string YLabel { get; }

    /// <summary>Whether the horizontal axis is logarithmic.</summary>
    public bool LogX { get; }

    /// <summary>Whether the vertical axis is logarithmic.</summary>
    public bool LogY { get; }

    /// <summary>The curves, drawn in order.</summary>
    public IReadOnlyList<Curve> Curves { get; }

    /// <summary>The labelled points.</summary>
    public IReadOnlyList<Mark> Marks { get; }

    /// <inheritdoc/>
    public override string Caption => caption;

    private static bool Valid(double v, bool log) => double.IsFinite(v) && (!log || v > 0);

    private (double Lo, double Hi) Range(bool x)
    {
        var values = Curves.SelectMany(c => x ? c.X : c.Y).Concat(Marks.Select(m => x ? m.X : m.Y)).Select(v => Axis(v, x ? LogX : LogY)).ToList();
        double lo = values.Min(), hi = values.Max();
        if (hi - lo < 1e-12) (lo, hi) = (lo - 0.5, hi + 0.5);
        double pad = 0.04 * (hi - lo);
        return (lo - pad, hi + pad);
    }

    private static double Axis(double v, bool log) => log ? Math.Log10(v) : v;

    /// <inheritdoc/>
    public override IReadOnlyList<string> TextLines()
    {
        const int Columns = 64, Rows = 18;
        var (x0, x1) = Range(true);
        var (y0, y1) = Range(false);
        var canvas = new char[Rows, Columns];
        for (int i = 0; i < Rows; i++) for (int j = 0; j < Columns; j++) canvas[i, j] = ' ';
        (int I, int J) Cell(double x, double y) =>
            (Math.Clamp((int)Math.Round((y1 - Axis(y, LogY)) / (y1 - y0) * (Rows - 1)), 0, Rows - 1),
             Math.Clamp((int)Math.Round((Axis(x, LogX) - x0) / (x1 - x0) * (Columns - 1)), 0, Columns - 1));
        string symbols = "·+ox*~";
        for (int c = 0; c < Curves.Count; c++)
            for (int p = 0; p < Curves[c].X.Count; p++)
            {
                var (i, j) = Cell(Curves[c].X[p], Curves[c].Y[p]);
                canvas[i, j] = symbols[c % symbols.Length];
            }
        for (int m = 0; m < Marks.Count; m++)
        {
            var (i, j) = Cell(Marks[m].X, Marks[m].Y);
            canvas[i, j] = (char)('A' + m);
        }
        var lines = new List<string> { $"{YLabel} (up{(LogY ? ", log" : "")}) against {XLabel} (right{(LogX ? ", log" : "")})" };
        for (int i = 0; i < Rows; i++) lines.Add("│" + new string(Enumerable.Range(0, Columns).Select(j => canvas[i, j]).ToArray()));
        lines.Add("└" + new string('─', Columns));
        lines.AddRange(Curves.Select((c, k) => $"  {symbols[k % symbols.Length]} {c.Name}"));
        lines.AddRange(Marks.Select((m, k) => $"  {(char)('A' + k)} {m.Label}: ({G(m.X)}, {G(m.Y)})"));
        return lines;
    }

    /// <inheritdoc/>
    public override XElement ToSvg()
    {
        var (x0, x1) = Range(true);
        var (y0, y1) = Range(false);
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Px(double x) => Left + (Axis(x, LogX) - x0) / (x1 - x0) * plotW;
        double Py(double y) => Top + (y1 - Axis(y, LogY)) / (y1 - y0) * plotH;
        var content = new List<XElement> { Svg.Rect(Left, Top, plotW, plotH, "none", "#8c959f") };
        foreach (var (t, label) in Ticks(x0, x1, LogX))
        {
            double px = Left + (t - x0) / (x1 - x0) * plotW;
            content.Add(Svg.Line(px, Top, px, Top + plotH, Svg.Faint));
            content.Add(Svg.Text(px, Top + plotH + 14, label, 11, Svg.Muted));
        }
        foreach (var (t, label) in Ticks(y0, y1, LogY))
        {
            double py = Top + (y1 - t) / (y1 - y0) * plotH;
            content.Add(Svg.Line(Left, py, Left + plotW, py, Svg.Faint));
            content.Add(Svg.Text(Left - 6, py, label, 11, Svg.Muted, "end"));
        }
        content.Add(Svg.Text(Left + plotW / 2, Height - 14, XLabel, 12.5, Svg.Ink));
        content.Add(Svg.Text(14, Top - 16, YLabel, 12.5, Svg.Ink, "start"));
        for (int c = 0; c < Curves.Count; c++)
        {
            var curve = Curves[c];
            string colour = Colours[c % Colours.Length];
            var points = string.Join(" ", curve.X.Select((x, p) => $"{Svg.N(Px(x))},{Svg.N(Py(curve.Y[p]))}"));
            var data = string.Join(";", curve.X.Select((x, p) => $"{R(x)} {R(curve.Y[p])}"));
            content.Add(Svg.Group([("data-curve", curve.Name), ("data-points", data)],
                new XElement(Svg.Namespace + "polyline", new XAttribute("points", points), new XAttribute("fill", "none"), new XAttribute("stroke", colour), new XAttribute("stroke-width", "2"))));
            content.Add(Svg.Line(Width - Right + 14, Top + 8 + 18 * c, Width - Right + 34, Top + 8 + 18 * c, colour, 2));
            content.Add(Svg.Text(Width - Right + 40, Top + 8 + 18 * c, curve.Name, 11.5, Svg.Ink, "start"));
        }
        // Marks close together would overprint their names: each dot carries a letter, alternately above and below it,
        // and the legend names the letters.
        for (int k = 0; k < Marks.Count; k++)
        {
            var m = Marks[k];
            double px = Px(m.X), py = Py(m.Y), legendY = Top + 8 + 18 * (Curves.Count + k) + 6;
            string letter = ((char)('A' + k)).ToString();
            content.Add(Svg.Group([("data-mark", m.Label), ("data-x", R(m.X)), ("data-y", R(m.Y))],
                new XElement(Svg.Namespace + "circle", new XAttribute("cx", Svg.N(px)), new XAttribute("cy", Svg.N(py)), new XAttribute("r", "4.5"),
                    new XAttribute("fill", "#ffffff"), new XAttribute("stroke", Svg.Ink), new XAttribute("stroke-width", "1.5")),
                Svg.Text(px + 4 * (k % 2 == 0 ? 1 : -1), py + (k % 2 == 0 ? -12 : 13), letter, 11.5, Svg.Ink, weight: "700"),
                Svg.Text(Width - Right + 14, legendY, $"{letter}  {m.Label}", 11.5, Svg.Ink, "start"),
                Svg.Title($"{m.Label}: ({G(m.X)}, {G(m.Y)})")));
        }
        return Svg.Root(Width, Height, caption, "curves", content);
    }

    /// <summary>Tick positions (in axis units) and labels: the powers of ten on a log axis, about five round numbers on a linear one.</summary>
    private static IEnumerable<(double At, string Label)> Ticks(double lo, double hi, bool log)
    {
        if (log)
        {
            // Under two decades the powers of ten alone are too few: 2 and 5 times them too.
            double[] mantissas = hi - lo < 2 ? [1, 2, 5] : [1];
            int step = Math.Max(1, (int)Math.Ceiling((hi - lo) / 8));
            for (int e = (int)Math.Floor(lo); e <= hi; e += step)
                foreach (double mantissa in mantissas)
                {
                    double at = e + Math.Log10(mantissa);
                    if (at >= lo && at <= hi) yield return (at, mantissa == 1 ? $"1e{e}" : $"{mantissa:0}e{e}");
                }
            yield break;
        }
        double raw = (hi - lo) / 5, magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw))), unit = new[] { 1.0, 2, 5, 10 }.First(f => f * magnitude >= raw) * magnitude;
        // Whole multiples of the unit, so that 0 is printed as 0 and not as a rounding error's "-0".
        for (long i = (long)Math.Ceiling(lo / unit); i * unit <= hi; i++) yield return (i * unit, i == 0 ? "0" : G(i * unit));
    }

    /// <summary>A value as the figure's data attributes carry it: round-trip precision.</summary>
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
