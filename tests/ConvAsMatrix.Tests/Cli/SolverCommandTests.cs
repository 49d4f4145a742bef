using System.Globalization;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat deconvolve</c> and <c>convmat norm</c>: results against the library, status reporting, bad input.</summary>
public class SolverCommandTests
{
    /// <summary>A 3-out, 2-in 3×3 kernel with a strong centre tap: V is well conditioned, so x is recoverable.</summary>
    private static Tensor<double> WellConditionedWeight(int cout = 3, int cin = 2)
    {
        var w = Problems.Gaussian(new Random(1), cout * cin * 9);
        for (int c = 0; c < Math.Min(cin, cout); c++) w[(c * cin + c) * 9 + 4] += 3;
        return new Tensor<double>(w, cout, cin, 3, 3);
    }

    private static (string Y, string W, Tensor<double> X) Problem(CliHarness cli, ConvOptions options, int[] xShape)
    {
        var x = new Tensor<double>(Problems.Gaussian(new Random(2), xShape.Aggregate(1, (a, b) => a * b)), xShape);
        var w = WellConditionedWeight(cin: xShape[1]);
        var y = Functional.Conv(x, w, options: options);
        Npy.WriteFile(cli.PathOf("y.npy"), y);
        Npy.WriteFile(cli.PathOf("w.npy"), w);
        return (cli.PathOf("y.npy"), cli.PathOf("w.npy"), x);
    }

    [Theory]
    [InlineData(new[] { "--padding", "1" }, new[] { 2, 2, 7, 6 })]
    [InlineData(new[] { "--padding", "same", "--padding-mode", "circular" }, new[] { 1, 2, 6, 6 })]
    [InlineData(new[] { "--padding", "1,2", "--padding-mode", "reflect", "--dilation", "1,2" }, new[] { 1, 2, 6, 7 })]
    public void DeconvolveRecoversTheInputOfNoiselessData(string[] geometry, int[] xShape)
    {
        using var cli = new CliHarness();
        var options = new ConvOptions
        {
            Padding = Padding.Parse(geometry[1]),
            PaddingMode = geometry.Contains("circular") ? PaddingMode.Circular : geometry.Contains("reflect") ? PaddingMode.Reflect : PaddingMode.Zeros,
            Dilation = geometry.Contains("--dilation") ? [1, 2] : [1],
        };
        var (y, w, x) = Problem(cli, options, xShape);
        var (code, stdout, stderr) = cli.Run(["deconvolve", "--input", y, "--weight", w, .. geometry, "--lambda", "1e-14", "--tol", "1e-12", "--out", cli.PathOf("x.npy")]);
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains($"{xShape[0]} of {xShape[0]} samples converged", stdout);
        var got = Npy.ReadFile(cli.PathOf("x.npy")).ToDouble();
        Assert.Equal(x.Shape, got.Shape);
        Assert.True(Problems.Distance(got.Data, x.Data) <= 1e-8 * Problems.Norm(x.Data), $"error {Problems.Distance(got.Data, x.Data)}");
    }

    [Fact]
    public void DeconvolveGivesTheSameAnswerWithEitherFormOfV()
    {
        using var cli = new CliHarness();
        var (y, w, _) = Problem(cli, new ConvOptions { Stride = [2], Padding = 1 }, [2, 2, 8, 8]);
        var answers = new List<double[]>();
        foreach (var form in new[] { "structured", "csr" })
        {
            var (code, _, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--stride", "2", "--padding", "1", "--input-shape", "2,8,8", "--form", form, "--out", cli.PathOf(form + ".npy"));
            Assert.True(code == 0, stderr);
            answers.Add(Npy.ReadFile(cli.PathOf(form + ".npy")).ToDouble().Data);
        }
        // The same method (by default hybrid LSQR choosing λ) on the same matrix: the products differ by rounding only.
        Assert.True(Problems.Distance(answers[0], answers[1]) <= 1e-9 * Problems.Norm(answers[1]), $"difference {Problems.Distance(answers[0], answers[1])}");
    }

    [Fact]
    public void StridedInputSizeIsConvTransposesUnlessGiven()
    {
        using var cli = new CliHarness();
        var options = new ConvOptions { Stride = [2], Padding = 1 };
        var (y, w, _) = Problem(cli, options, [1, 2, 8, 8]);   // y is 4×4; conv_transpose of 4×4 gives 7×7
        var (code, stdout, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--stride", "2", "--padding", "1", "--out", cli.PathOf("a.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal([1, 2, 7, 7], Npy.ReadFile(cli.PathOf("a.npy")).Shape);
        Assert.Contains("(1, 2, 7, 7)", stdout);

        (code, _, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--stride", "2", "--padding", "1", "--input-shape", "2,8,8", "--out", cli.PathOf("b.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal([1, 2, 8, 8], Npy.ReadFile(cli.PathOf("b.npy")).Shape);
    }

    [Fact]
    public void NonConvergenceWritesTheIterateAndWarnsOnOneLine()
    {
        using var cli = new CliHarness();
        var (y, w, _) = Problem(cli, new ConvOptions { Padding = 1 }, [1, 2, 6, 6]);
        // A given λ: CGLS (the default λ is chosen by hybrid LSQR, whose warning RegularizationTests and DeconvolveRuleTests cover).
        var (code, stdout, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--padding", "1", "--lambda", "1e-3", "--max-iter", "2", "--tol", "1e-15", "--out", cli.PathOf("x.npy"));
        Assert.Equal(0, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convmat deconvolve: warning: the solve did not converge (IterationLimit) after 2 iterations, residual |Vx - y| = ", line);
        Assert.Contains("0 of 1 samples converged, at most 2 iterations", stdout);
        Assert.True(File.Exists(cli.PathOf("x.npy")));
    }

    [Fact]
    public void Float32DataGiveFloat32Output()
    {
        using var cli = new CliHarness();
        var (y, w, _) = Problem(cli, new ConvOptions { Padding = 1 }, [1, 2, 5, 5]);
        var y32 = Npy.ReadFile(y).ToSingle();
        Npy.WriteFile(cli.PathOf("y32.npy"), y32);
        var (code, _, stderr) = cli.Run("deconvolve", "--input", cli.PathOf("y32.npy"), "--weight", w, "--padding", "1", "--out", cli.PathOf("x.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal(NpyDataType.Float32, Npy.ReadFile(cli.PathOf("x.npy")).DataType);
    }

    [Theory]
    [InlineData("--lambda", "-1", "--lambda '-1' must be a finite number >= 0")]
    [InlineData("--tol", "0", "--tol '0' must be a finite number > 0")]
    [InlineData("--tol", "abc", "--tol 'abc'")]
    [InlineData("--max-iter", "0", "--max-iter '0' must be an integer >= 1")]
    [InlineData("--input-shape", "5,8,8", "weight.shape[1] x groups = 2")]
    [InlineData("--input-shape", "2,8", "--input-shape 2,8 needs C and 2 spatial sizes")]
    [InlineData("--input-shape", "2,9,9", "gives (1, 3, 9, 9)")]
    public void DeconvolveBadInputIsOneLineAndNoFile(string option, string value, string mention)
    {
        using var cli = new CliHarness();
        var (y, w, _) = Problem(cli, new ConvOptions { Padding = 1 }, [1, 2, 8, 8]);
        var result = cli.Run("deconvolve", "--input", y, "--weight", w, "--padding", "1", option, value, "--out", cli.PathOf("x.npy"));
        CliHarness.AssertBadInput(result, mention);
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Fact]
    public void DeconvolveRefusesAWeightThatDoesNotFitTheData()
    {
        using var cli = new CliHarness();
        var (y, _, _) = Problem(cli, new ConvOptions { Padding = 1 }, [1, 2, 6, 6]);
        Npy.WriteFile(cli.PathOf("w4.npy"), WellConditionedWeight(cout: 4));
        CliHarness.AssertBadInput(cli.Run("deconvolve", "--input", y, "--weight", cli.PathOf("w4.npy"), "--padding", "1", "--out", cli.PathOf("x.npy")),
            "--input has 3 channels but the weight (4, 2, 3, 3) has C_out = 4");
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    /// <summary>Writes y of a 6×6 problem and a weight wnan.npy with one NaN tap; returns y's path.</summary>
    private static string WithNaNWeight(CliHarness cli)
    {
        var (y, _, _) = Problem(cli, new ConvOptions { Padding = 1 }, [1, 2, 6, 6]);
        var w = WellConditionedWeight();
        w.Data[7] = double.NaN;
        Npy.WriteFile(cli.PathOf("wnan.npy"), w);
        return y;
    }

    [Fact]
    public void DeconvolveRefusesAKernelWithNaN()
    {
        using var cli = new CliHarness();
        var y = WithNaNWeight(cli);
        CliHarness.AssertBadInput(cli.Run("deconvolve", "--input", y, "--weight", cli.PathOf("wnan.npy"), "--padding", "1", "--out", cli.PathOf("x.npy")),
            "V has non-finite entries");
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Fact]
    public void DeconvolveWithNaNAndAGivenLambdaDivergesWithExitOneAndNoFile()
    {
        using var cli = new CliHarness();
        var y = WithNaNWeight(cli);
        var (code, stdout, stderr) = cli.Run("deconvolve", "--input", y, "--weight", cli.PathOf("wnan.npy"), "--padding", "1", "--lambda", "0.01", "--out", cli.PathOf("x.npy"));
        Assert.Equal(1, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("convmat deconvolve: sample 0 diverged after 0 iterations", line);
        Assert.Equal("", stdout);
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Theory]
    [InlineData("6,7", new[] { "--padding", "1", "--stride", "2" })]
    [InlineData("6,6", new[] { "--padding", "1", "--padding-mode", "circular" })]
    [InlineData("5,5", new[] { "--padding", "valid", "--dilation", "2" })]
    public void NormPrintsTheLargestSingularValueAloneOnItsLastLine(string spatial, string[] geometry)
    {
        using var cli = new CliHarness();
        var w = WellConditionedWeight();
        Npy.WriteFile(cli.PathOf("w.npy"), w);
        var (code, stdout, stderr) = cli.Run(["norm", "--weight", cli.PathOf("w.npy"), "--input-shape", "2," + spatial, .. geometry]);
        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        double printed = double.Parse(lines[^1], CultureInfo.InvariantCulture);

        int[] size = [.. spatial.Split(',').Select(int.Parse)];
        var options = new ConvOptions
        {
            Padding = Padding.Parse(geometry[1]),
            Stride = geometry.Contains("--stride") ? [2] : [1],
            Dilation = geometry.Contains("--dilation") ? [2] : [1],
            PaddingMode = geometry.Contains("circular") ? PaddingMode.Circular : PaddingMode.Zeros,
        };
        var g = ConvGeometry.ForConv([1, 2, .. size], [3, 2, 3, 3], options);
        var v = ConvolutionMatrix<double>.Compile(w, g);
        double sigma = SingularValues.Dense(v)[0];
        Assert.True(Math.Abs(printed - sigma) <= 1e-9 * sigma, $"printed {printed}, SVD {sigma}");
        if (options.PaddingMode == PaddingMode.Circular)
            Assert.Equal(sigma, SingularValues.Circular(w, g)[0], 1e-12);
        Assert.Contains("converged", lines[0]);
    }

    [Fact]
    public void NormWarnsWhenThePowerIterationStopsEarly()
    {
        using var cli = new CliHarness();
        Npy.WriteFile(cli.PathOf("w.npy"), WellConditionedWeight());
        var (code, stdout, stderr) = cli.Run("norm", "--weight", cli.PathOf("w.npy"), "--input-shape", "2,9,9", "--padding", "1", "--max-iter", "1");
        Assert.Equal(0, code);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("warning: Lanczos iteration did not converge (IterationLimit) after 1 iterations", line);
        Assert.Contains("lower bound", line);
        Assert.True(double.TryParse(stdout.TrimEnd('\n').Split('\n')[^1], CultureInfo.InvariantCulture, out _));
    }

    [Theory]
    [InlineData(new[] { "--padding", "1" }, "--input-shape")]
    [InlineData(new[] { "--input-shape", "2,6", "--padding", "1" }, "--input-shape 2,6 has 1 spatial sizes but the weight (3, 2, 3, 3) has 2")]
    [InlineData(new[] { "--input-shape", "2,6,6", "--tol", "-1" }, "--tol '-1' must be a finite number > 0")]
    [InlineData(new[] { "--input-shape", "2,2,2" }, "kernel_size")]
    public void NormBadInputIsOneLine(string[] args, string mention)
    {
        using var cli = new CliHarness();
        Npy.WriteFile(cli.PathOf("w.npy"), WellConditionedWeight());
        CliHarness.AssertBadInput(cli.Run(["norm", "--weight", cli.PathOf("w.npy"), .. args]), mention);
    }
}
