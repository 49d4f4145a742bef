using System.Globalization;
using System.Xml.Linq;
using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs.Site;

/// <summary>
/// The figures carry the numbers the proofs compute: each test reads the SVG files of the written site back
/// (values, taps, entries, grey levels) and compares them with the library's results recomputed here, through
/// independent paths where there is one (the direct scatter loops, V probed from the direct correlation).
/// </summary>
[Collection(SiteCollection.Name)]
public class SiteFigureTests(SiteFixture site)
{
    private static readonly XNamespace S = Html.Svg;

    private IEnumerable<(ProofResult Result, int Number, Figure Model, XElement Svg)> Figures(string kind) =>
        from result in site.Results
        let models = result.Blocks.OfType<FigureBlock>().Select(b => b.Figure).ToList()
        from n in Enumerable.Range(1, models.Count)
        let svg = SiteFixture.Load(Path.Combine(site.Directory, SiteWriter.FigureFile(result.Proof, n))).Root!
        where svg.Attribute("data-figure")!.Value == kind
        select (result, n, models[n - 1], svg);

    private static XElement Panel(XElement svg, string name) =>
        svg.Descendants(S + "g").Single(g => g.Attribute("data-panel")?.Value == name);

    private static int Int(XElement e, string attribute) => int.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    /// <summary>A scatter panel read back: the value shown in each cell (0 where none is shown) and the taps it is coloured with.</summary>
    private static (long[,] Values, int[,][] Taps) ReadScatterPanel(XElement panel)
    {
        var cells = panel.Elements(S + "g").ToList();
        int rows = cells.Max(c => Int(c, "data-row")) + 1, cols = cells.Max(c => Int(c, "data-col")) + 1;
        var values = new long[rows, cols];
        var taps = new int[rows, cols][];
        foreach (var cell in cells)
        {
            int r = Int(cell, "data-row"), c = Int(cell, "data-col");
            var text = cell.Elements(S + "text").SingleOrDefault()?.Value;
            Assert.Equal(text ?? "", cell.Attribute("data-value")!.Value);
            values[r, c] = text is null ? 0 : long.Parse(text, CultureInfo.InvariantCulture);
            var tapText = cell.Attribute("data-taps")!.Value;
            taps[r, c] = tapText.Length == 0 ? [] : tapText.Split(',').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
            // The colours drawn are the colours of those taps.
            var fills = cell.Elements(S + "rect").Skip(1).Select(x => x.Attribute("fill")!.Value).ToList();
            Assert.Equal(taps[r, c].Select(Palette.Tap), fills);
        }
        return (values, taps);
    }

    [Fact]
    public void ScatterFiguresCarryTheDirectScatterOfEachInputElementAndTheirSum()
    {
        var scatters = Figures("scatter").ToList();
        Assert.Equal(2, scatters.Count); // the lecture's example, and its stride-2 version
        foreach (var (result, n, model, svg) in scatters)
        {
            var x = ReadScatterPanel(Panel(svg, "input")).Values;
            var (k, kernelTaps) = ReadScatterPanel(Panel(svg, "kernel"));
            int stride = ((ScatterFigure)model).Stride;
            int h = x.GetLength(0), w = x.GetLength(1), kh = k.GetLength(0), kw = k.GetLength(1);
            var geometry = ConvGeometry.ForConvTranspose([1, 1, h, w], [1, 1, kh, kw], new ConvTransposeOptions { Stride = [stride] });
            int oh = geometry.InputSize[0], ow = geometry.InputSize[1];
            for (int a = 0; a < kh; a++)
                for (int b = 0; b < kw; b++) Assert.Equal([a * kw + b], kernelTaps[a, b]);

            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    // Independent path: the library's direct scatter loops on X with only X[i,j] kept.
                    var only = new long[h * w];
                    only[i * w + j] = x[i, j];
                    var expected = new long[oh * ow];
                    DirectScatter.Apply<long>(geometry, only, Dense.Flatten(k), expected);
                    var (values, taps) = ReadScatterPanel(Panel(svg, $"{i},{j}"));
                    Assert.Equal(Dense.Matrix(expected, oh, ow), values);
                    for (int r = 0; r < oh; r++)
                        for (int c = 0; c < ow; c++)
                        {
                            int a = r - i * stride, b = c - j * stride;
                            bool inBlock = a >= 0 && a < kh && b >= 0 && b < kw;
                            Assert.Equal(inBlock ? [a * kw + b] : [], taps[r, c]);
                        }
                }

            var sum = ReadScatterPanel(Panel(svg, "sum"));
            var scattered = new long[oh * ow];
            DirectScatter.Apply<long>(geometry, Dense.Flatten(x), Dense.Flatten(k), scattered);
            Assert.Equal(Dense.Matrix(scattered, oh, ow), sum.Values);
            Assert.Equal(SeedCode.TransConv(x, k, stride, padding: 0), sum.Values);
            for (int r = 0; r < oh; r++)
                for (int c = 0; c < ow; c++)
                    Assert.Equal(Enumerable.Range(0, h * w).SelectMany(e =>
                    {
                        int a = r - e / w * stride, b = c - e % w * stride;
                        return a >= 0 && a < kh && b >= 0 && b < kw ? new[] { a * kw + b } : [];
                    }).Order(), sum.Taps[r, c]);
        }
    }

    [Fact]
    public void TheLecturesFigureShowsTheLecturesNumbers()
    {
        var svg = Figures("scatter").First(f => f.Result.Proof.Name == "transposed-convolution-scatters").Svg;
        Assert.Equal(new long[,] { { 0, 1 }, { 2, 3 } }, ReadScatterPanel(Panel(svg, "input")).Values);
        Assert.Equal(new long[,] { { 0, 1 }, { 2, 3 } }, ReadScatterPanel(Panel(svg, "kernel")).Values);
        Assert.Equal(new long[,] { { 0, 0, 1 }, { 0, 4, 6 }, { 4, 12, 9 } }, ReadScatterPanel(Panel(svg, "sum")).Values); // what PyTorch prints
        Assert.Equal(4, svg.Descendants(S + "g").Count(g => g.Attribute("data-panel")?.Value.Contains(',') == true));
    }

    [Fact]
    public void TapGridFiguresCarryVAsProbedFromTheDirectCorrelation()
    {
        int panels = 0;
        foreach (var (result, n, model, svg) in Figures("tap-grid"))
        {
            var figure = (TapGridFigure)model;
            var drawn = svg.Descendants(S + "g").Where(g => g.Attribute("data-panel") is not null).ToList();
            Assert.Equal(figure.Panels.Count, drawn.Count);
            foreach (var (panel, g) in figure.Panels.Zip(drawn))
            {
                Assert.NotNull(panel.Geometry); // every panel on the site is V, Vᵀ, U or Uᵀg of a convolution
                var expected = Expected(panel);
                Assert.Equal(expected.GetLength(0), Int(g, "data-rows"));
                Assert.Equal(expected.GetLength(1), Int(g, "data-cols"));
                var cells = g.Elements(S + "g").Where(c => c.Attribute("data-row") is not null).ToList();
                var read = cells.ToDictionary(c => (Int(c, "data-row"), Int(c, "data-col")), c => c.Attribute("data-entry")!.Value);
                var nonZero = new Dictionary<(int, int), string>();
                for (int i = 0; i < expected.GetLength(0); i++)
                    for (int j = 0; j < expected.GetLength(1); j++)
                        if (!expected[i, j].IsZero) nonZero[(i, j)] = expected[i, j].ToString();
                Assert.Equal(nonZero.OrderBy(p => p.Key), read.OrderBy(p => p.Key));
                foreach (var cell in cells)
                {
                    var entry = cell.Attribute("data-entry")!.Value;
                    Assert.EndsWith($"[{Int(cell, "data-row")}, {Int(cell, "data-col")}] = {entry}", cell.Element(S + "title")!.Value);
                    int symbols = expected[Int(cell, "data-row"), Int(cell, "data-col")].Symbols.Count;
                    Assert.Equal(symbols, cell.Elements(S + "rect").Count()); // one colour per folded tap
                }
                panels++;
            }
        }
        Assert.True(panels >= 14, $"{panels} panels"); // V, Vᵀ, stride, dilation, groups, 4 padding modes, Toeplitz, channels
    }

    /// <summary>A panel's matrix recomputed through the direct loops: V (or Vᵀ) probed with unit inputs, U probed with unit weights, or the weight gradient of the reference loop spread tap by tap.</summary>
    private static Symbolic[,] Expected(TapGridFigure.Panel panel)
    {
        var geometry = panel.Geometry!;
        if (panel is { PatchInput: { } input, GradOutput: { } g })
        {
            var gw = new Symbolic[geometry.WeightLength];
            DirectWeightGradient.Apply<Symbolic>(geometry, input, g.Select(v => (Symbolic)v).ToArray(), gw);
            return TapGridFigure.Windows(gw, input, geometry);
        }
        if (panel.PatchInput is { } x) return Probe.Patches(geometry, x);
        var probed = Probe.Matrix(geometry, panel.Kernel!);
        return panel.Transposed ? Dense.Transpose(probed) : probed;
    }

    [Fact]
    public void TheWeightGradientFigureShowsUAndEachTapsWindow()
    {
        var figure = (TapGridFigure)Figures("tap-grid").Single(f => f.Result.Proof.Name == "weight-gradient-is-a-correlation").Model;
        Assert.Equal(2, figure.Panels.Count);
        var (u, windows) = (figure.Panels[0], figure.Panels[1]);
        // U(x) of the lecture's 3×3 input and 2×2 kernel: row (i, j) is the patch x[i:i+2, j:j+2].
        string[,] patches = { { "x₀₀", "x₀₁", "x₁₀", "x₁₁" }, { "x₀₁", "x₀₂", "x₁₁", "x₁₂" }, { "x₁₀", "x₁₁", "x₂₀", "x₂₁" }, { "x₁₁", "x₁₂", "x₂₁", "x₂₂" } };
        Assert.Equal(patches, Dense.Map(u.Matrix, s => s.ToString()));
        // Tap (a, b) is G = [[2, −1], [1, 3]] laid on the window x[a:a+2, b:b+2].
        Assert.Equal((6, 6, 3, 3), (windows.Matrix.GetLength(0), windows.Matrix.GetLength(1), windows.RowBlock, windows.ColumnBlock));
        long[,] g = { { 2, -1 }, { 1, 3 } };
        for (int a = 0; a < 2; a++)
            for (int b = 0; b < 2; b++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                    {
                        bool inWindow = i - a is 0 or 1 && j - b is 0 or 1;
                        var expected = inWindow ? g[i - a, j - b] * Symbolic.Variable($"x{Symbolic.Subscript(i, j)}") : Symbolic.AdditiveIdentity;
                        Assert.Equal(expected, windows.Matrix[a * 3 + i, b * 3 + j]);
                    }
    }

    [Fact]
    public void TheSpyPlotsCoverStrideDilationGroupsAndEveryPaddingMode()
    {
        var titles = Figures("tap-grid").SelectMany(f => ((TapGridFigure)f.Model).Panels).Select(p => p.Geometry!).ToList();
        Assert.Contains(titles, g => g.Stride.Any(s => s > 1));
        Assert.Contains(titles, g => g.Dilation.Any(d => d > 1));
        Assert.Contains(titles, g => g.Groups > 1);
        foreach (var mode in Enum.GetValues<PaddingMode>())
            Assert.Contains(titles, g => g.PaddingMode == mode && g.Rank == 2);
    }

    [Fact]
    public void ImageFiguresCarryTheDeconvolutionsPixelsAndPsnr()
    {
        var images = Figures("images").ToList();
        Assert.NotEmpty(images);
        foreach (var (result, n, model, svg) in images)
        {
            var figure = (ImageFigure)model;
            var groups = svg.Descendants(S + "g").Where(g => g.Attribute("data-image") is not null).ToList();
            Assert.Equal(figure.Images.Select(i => i.Title), groups.Select(g => g.Attribute("data-image")!.Value));
            foreach (var (image, g) in figure.Images.Zip(groups))
            {
                var greys = g.Elements(S + "rect").Select(r => Convert.ToInt32(r.Attribute("fill")!.Value.Substring(1, 2), 16)).ToList();
                Assert.Equal(image.Pixels.Select(ImageFigure.Grey), greys);
            }
        }
        // The first figure: sharp, blurred, restored; its PSNR notes are the PSNR of the pixels against the sharp image.
        var deblur = (ImageFigure)images.First(f => f.Result.Proof.Name == "deconvolution-deblurs").Model;
        var truth = deblur.Images[0].Pixels;
        Assert.Equal(3, deblur.Images.Count);
        var svgText = images.First(f => f.Result.Proof.Name == "deconvolution-deblurs").Svg.Descendants(S + "text").Select(t => t.Value).ToList();
        foreach (var image in deblur.Images.Skip(1))
            Assert.Contains($"PSNR {DeconvolutionDeblurs.Psnr(image.Pixels, truth).ToString("F2", CultureInfo.InvariantCulture)} dB", svgText);
        Assert.True(DeconvolutionDeblurs.Psnr(deblur.Images[2].Pixels, truth) > DeconvolutionDeblurs.Psnr(deblur.Images[1].Pixels, truth) + DeconvolutionDeblurs.RequiredGain);
    }
    private static double[][] Points(XElement curve) =>
        curve.Attribute("data-points")!.Value.Split(';').Select(pair => pair.Split(' ').Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray()).ToArray();

    private static double Attribute(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, CultureInfo.InvariantCulture);

    [Fact]
    public void CurveFiguresCarryTheGcvFunctionAndTheRulesChoices()
    {
        var curves = Figures("curves").Where(f => f.Result.Proof.Name == "choosing-lambda").ToList();
        Assert.Equal(3, curves.Count); // the L-curve, the GCV function, PSNR over λ
        // The GCV curve, recomputed here through TikhonovSpectrum.Of (its own SVD) of the explicit V: the same values.
        var p = ChoosingLambda.Problem();
        var v = ConvolutionMatrix<double>.Compile(p.Kernel, p.Geometry);
        var spectrum = ConvAsMatrix.Solvers.TikhonovSpectrum.Of(MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfMatrix(ConvAsMatrix.Interop.MathNetExtensions.ToMathNet(v)), p.Observed);
        var gcvSvg = curves[1].Svg;
        var gcv = Points(gcvSvg.Descendants(S + "g").Single(g => g.Attribute("data-curve") is not null));
        Assert.Equal(ChoosingLambda.Grid, gcv.Select(point => point[0]).ToArray());
        foreach (var point in gcv) Assert.Equal(spectrum.Gcv(point[0]), point[1], 1e-9 * point[1]);
        var marks = gcvSvg.Descendants(S + "g").Where(g => g.Attribute("data-mark") is not null).ToDictionary(g => g.Attribute("data-mark")!.Value);
        var chosen = marks["GCV"];
        Assert.Equal(spectrum.GcvLambda(), Attribute(chosen, "data-x"), 1e-6 * Attribute(chosen, "data-x"));
        Assert.All(gcv, point => Assert.True(point[1] >= Attribute(chosen, "data-y") * (1 - 1e-12)));
        // The PSNR curve: the mark "best" is its highest point.
        var psnrSvg = curves[2].Svg;
        var psnr = Points(psnrSvg.Descendants(S + "g").Single(g => g.Attribute("data-curve") is not null));
        var best = psnrSvg.Descendants(S + "g").Single(g => g.Attribute("data-mark")?.Value == "best");
        Assert.Equal(psnr.Max(point => point[1]), Attribute(best, "data-y"));
    }
}
