using System.Text.Json;
using ConvAsMatrix.Cli;
using SkiaSharp;
using Spectre.Console;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>The seed demo, help, compile and show.</summary>
public class CommandTests
{
    private const string SeedGrid =
        "     0 1 2 3 4 5 6 7 8\n" +
        "  0  1 2 . 3 4 . . . .\n" +
        "  1  . 1 2 . 3 4 . . .\n" +
        "  2  . . . 1 2 . 3 4 .\n" +
        "  3  . . . . 1 2 . 3 4\n";

    [Fact]
    public void WithoutArgumentsItShowsTheSeedsExample()
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run();
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        var text = stdout.ReplaceLineEndings("\n");
        Assert.Contains(SeedGrid, text);
        Assert.Contains("Y = V·vec(X), reshaped 2×2 (the convolution):\n  27 37\n  57 67\n", text);
        Assert.Contains("Z = Vᵀ·vec(Y), reshaped 3×3 (the transposed convolution):\n   27  91  74\n  138 400 282\n  171 429 268\n", text);
        Assert.Contains("Y == corr2d(X, K)       true", text);
        Assert.Contains("Z == trans_conv(Y, K)   true", text);
        Assert.DoesNotContain("FALSE", text);
    }

    [Theory]
    [InlineData("", new[] { "conv", "tconv", "grad", "compile", "show" })]
    [InlineData("grad", new[] { "--op", "conv|tconv", "--input", "--weight", "--grad-output", "--stride", "--padding", "--output-padding", "--groups", "--method", "--out-input", "--out-weight", "--out-bias" })]
    [InlineData("check", new[] { "--op <OP>", "conv-grad-input, conv-grad-weight, tconv-grad-input, tconv-grad-weight", "--grad-output", "--output", "--bias", "--tol" })]
    [InlineData("conv", new[] { "--input", "--weight", "--bias", "--stride", "--padding", "--dilation", "--groups", "--padding-mode", "--method", "--form", "--out" })]
    [InlineData("tconv", new[] { "--input", "--weight", "--bias", "--stride", "--padding", "--output-padding", "--dilation", "--groups", "--method", "--form", "--out" })]
    [InlineData("compile", new[] { "--weight", "--input-shape", "--stride", "--padding", "--dilation", "--groups", "--padding-mode", "--out" })]
    [InlineData("show", new[] { "--weight", "--input-shape", "--stride", "--padding", "--dilation", "--groups", "--padding-mode", "--plot" })]
    public void EveryCommandHasHelpListingItsContract(string command, string[] options)
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run(command == "" ? ["--help"] : [command, "--help"]);
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        Assert.Contains("Usage:", stdout);
        foreach (var o in options) Assert.Contains(o, stdout);
    }

    public static TheoryData<string> CompileCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in CliHarness.Manifest.GetProperty("compile").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(CompileCases))]
    public void CompileWritesTheJacobianPyTorchComputes(string name)
    {
        var c = CliHarness.Manifest.GetProperty("compile").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        using var cli = new CliHarness();
        var mtx = cli.PathOf("v.mtx");
        string[] args = ["compile", "--weight", CliHarness.Fixture(c.GetProperty("weight").GetString()!), "--input-shape", c.GetProperty("input_shape").GetString()!,
            .. c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!), "--out", mtx];
        var (code, stdout, stderr) = cli.Run(args);
        Assert.True(code == 0, stderr);
        Assert.Contains("stored entries", stdout);

        var v = MatrixMarket.ReadFile(mtx);
        var jacobian = Npy.ReadFile(CliHarness.Fixture(c.GetProperty("expected").GetString()!)).ToDouble();
        Assert.Equal([v.RowCount, v.ColumnCount], jacobian.Shape);
        // Each entry of V is one weight, or a sum of weights where reflect padding folds taps together: torch.autograd gets the same sums.
        var dense = v.ToDense();
        for (int r = 0; r < v.RowCount; r++)
            for (int col = 0; col < v.ColumnCount; col++)
                Assert.True(Math.Abs(dense[r, col] - jacobian[r, col]) <= 1e-15, $"{name} V[{r},{col}] = {dense[r, col]}, torch {jacobian[r, col]}");
    }

    [Fact]
    public void CompileWritesExactlyTheLibrarysV()
    {
        using var cli = new CliHarness();
        var mtx = cli.PathOf("v.mtx");
        var weightPath = CliHarness.Fixture("conv3d_stride_pad_w.npy");
        var (code, _, stderr) = cli.Run("compile", "--weight", weightPath, "--input-shape", "2,4,5,4", "--stride", "1,2,1", "--padding", "1:0,1:1,2:1", "--padding-mode", "replicate", "--out", mtx);
        Assert.True(code == 0, stderr);
        var weight = Npy.ReadFile(weightPath).ToDouble();
        var g = ConvGeometry.ForConv([1, 2, 4, 5, 4], weight.ShapeArray, new ConvOptions { Stride = [1, 2, 1], Padding = Padding.Parse("1:0,1:1,2:1"), PaddingMode = PaddingMode.Replicate });
        var expected = ConvolutionMatrix<double>.Compile(weight, g);
        var actual = MatrixMarket.ReadFile(mtx);
        Assert.Equal(expected.RowPointers, actual.RowPointers);
        Assert.Equal(expected.ColumnIndices, actual.ColumnIndices);
        Assert.Equal(expected.Values, actual.Values);
    }

    [Fact]
    public void ShowPrintsTheSeedsVAsAGrid()
    {
        using var cli = new CliHarness();
        var k = cli.PathOf("k.npy");
        Npy.WriteFile(k, new Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2));
        var (code, stdout, stderr) = cli.Run("show", "--weight", k, "--input-shape", "1,3,3");
        Assert.True(code == 0, stderr);
        var text = stdout.ReplaceLineEndings("\n");
        Assert.Contains("shape     4 x 9", text);
        Assert.Contains("stored    16 entries, density 44.444 %", text);
        Assert.Contains("memory    212 bytes as CSR", text);
        Assert.Contains(SeedGrid, text);
        Assert.Equal(["k.npy"], cli.Files());
    }

    [Fact]
    public void ShowRoundsLongValuesAndSaysSo()
    {
        using var cli = new CliHarness();
        var k = cli.PathOf("k.npy");
        Npy.WriteFile(k, new Tensor<double>([1.0 / 3, 0.5, -2, 1e-9], 1, 1, 4));
        var (code, stdout, stderr) = cli.Run("show", "--weight", k, "--input-shape", "1,5");
        Assert.True(code == 0, stderr);
        Assert.Contains("  0  0.3333    0.5     -2  1E-09      .", stdout);
        Assert.Contains("shown to 4 significant digits", stdout);
        Assert.Equal("0.5", MatrixGrid.Cell(0.5));
        Assert.Equal("-123.25", MatrixGrid.Cell(-123.25));
        Assert.Equal("-123.3", MatrixGrid.Cell(-123.251));
        Assert.Equal("123456789", MatrixGrid.Cell(123456789L));
    }

    [Fact]
    public void MatrixMarketInputsAreCheckedLikeNpyInputs()
    {
        using var cli = new CliHarness();
        var missing = cli.PathOf("missing.mtx");
        Assert.Contains("no such file", Assert.Throws<UsageException>(() => PathOptions.ReadMatrixMarket("--matrix", missing)).Message);
        var bad = cli.PathOf("bad.mtx");
        File.WriteAllText(bad, "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n");
        Assert.Contains("truncated", Assert.Throws<FileFormatException>(() => PathOptions.ReadMatrixMarket("--matrix", bad)).Message);
        var good = cli.PathOf("good.mtx");
        File.WriteAllText(good, "%%MatrixMarket matrix coordinate real general\n2 2 1\n2 1 5\n");
        Assert.Equal(5, PathOptions.ReadMatrixMarket("--matrix", good).At(1, 0));
    }

    [Fact]
    public void ShowSummarizesALargeVWithoutPrintingIt()
    {
        using var cli = new CliHarness();
        // V of 64 x 3 x 3 over 64 x 224 x 224, padding 1: 3.2M x 3.2M with 1.84 billion entries: statistics come from the geometry, nothing is compiled.
        var w = cli.PathOf("w.npy");
        Npy.WriteFile(w, new Tensor<float>(new float[64 * 64 * 9], 64, 64, 3, 3));
        var (code, stdout, stderr) = cli.Run("show", "--weight", w, "--input-shape", "64,224,224", "--padding", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("shape     3,211,264 x 3,211,264", stdout);
        Assert.Contains("stored    1,838,694,400 entries", stdout);
        Assert.Contains("too large to print as a grid", stdout);
        Assert.DoesNotContain(" . ", stdout);
    }

    [Theory]
    [InlineData("v.png")]
    [InlineData("v.svg")]
    public void ShowPlotsTheSparsityPattern(string file)
    {
        using var cli = new CliHarness();
        var k = cli.PathOf("k.npy");
        Npy.WriteFile(k, new Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2));
        var plot = cli.PathOf(file);
        var (code, stdout, stderr) = cli.Run("show", "--weight", k, "--input-shape", "1,3,3", "--plot", plot);
        Assert.True(code == 0, stderr);
        Assert.Contains(plot, stdout);
        var bytes = File.ReadAllBytes(plot);
        if (file.EndsWith(".png")) Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
        else Assert.Contains("<svg", System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal(["k.npy", file], cli.Files().Order());
    }

    [Fact]
    public void TheSpyPlotPutsRowZeroOnTop()
    {
        // The seed's V: row 0 stores columns 0, 1, 3, 4; row 3 stores columns 4, 5, 7, 8.
        var v = ConvolutionMatrix<double>.Compile(new Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2), ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]));
        var (plot, width, height) = SpyPlot.Build(v, "seed");
        using var bitmap = SKBitmap.Decode(plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png));
        bool Black(double column, double row)
        {
            var p = plot.GetPixel(new ScottPlot.Coordinates(column + 0.5, row + 0.5));
            return bitmap.GetPixel((int)p.X, (int)p.Y).Red < 64;
        }
        var dense = v.ToDense();
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 9; c++)
                Assert.True(Black(c, r) == (dense[r, c] != 0), $"cell ({r}, {c})");
    }

    [Fact]
    public void SpyPlotBinsLargeMatrices()
    {
        var v = new CompressedRowStorage<double>(2000, 1000, [0, .. Enumerable.Range(1, 2000).Select(i => i / 2)], Enumerable.Range(0, 1000).ToArray(), new double[1000]);
        var cells = SpyPlot.Occupancy(v, 100);
        Assert.Equal(100, cells.GetLength(0));
        Assert.Equal(100, cells.GetLength(1));
        for (int i = 0; i < 100; i++)
            for (int j = 0; j < 100; j++)
                Assert.Equal(i == j ? 1 : 0, cells[i, j]);
    }

    [Fact]
    public void ProgressIsDrawnThroughSpectreConsole()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        var g = ConvGeometry.ForConv([1, 2, 40, 40], [3, 2, 3, 3]);
        var reports = new List<double>();
        var v = CompileProgress.WithProgress(console, "compiling V", p => ConvolutionMatrix<double>.Compile(new double[g.WeightLength], g, new Recorder(p, reports)));
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);
        Assert.NotEmpty(reports);
        Assert.Equal(1.0, reports.Max());
        Assert.Contains("compiling V", output.ToString());
    }

    [Fact]
    public void NoProgressIsDrawnWhenStderrIsNotATerminal()
    {
        var stderr = new StringWriter();
        var context = new CommandContext(new System.CommandLine.RootCommand().Parse([]), new StringWriter(), stderr);
        Assert.False(context.ErrorIsTerminal);
        IProgress<double>? given = new Recorder(null, []);
        Assert.Equal(7, CompileProgress.Run(context, 50_000_000, p => { given = p; return 7; }));
        Assert.Null(given);
        Assert.Equal("", stderr.ToString());
    }

    [Fact]
    public void FunctionalReportsTheCompilationOfV()
    {
        var x = Tensor.Arange<double>(1, 2, 9, 9);
        var w = Tensor.Arange<double>(3, 2, 3, 3);
        foreach (var transposed in new[] { false, true })
        {
            var reports = new List<double>();
            var progress = new Recorder(null, reports);
            if (transposed) Functional.ConvTranspose(Tensor.Arange<double>(1, 3, 4, 4), Tensor.Arange<double>(3, 2, 3, 3), progress: progress);
            else Functional.Conv(x, w, progress: progress);
            Assert.NotEmpty(reports);
            Assert.Equal(1.0, reports.Max());
            Assert.All(reports, r => Assert.InRange(r, 0.0, 1.0));
        }
        var none = new List<double>();
        Functional.Conv(x, w, method: ConvMethod.Direct, progress: new Recorder(null, none));
        Assert.Empty(none);
    }

    private sealed class Recorder(IProgress<double>? inner, List<double> reports) : IProgress<double>
    {
        public void Report(double value)
        {
            lock (reports) reports.Add(value);
            inner?.Report(value);
        }
    }
}
