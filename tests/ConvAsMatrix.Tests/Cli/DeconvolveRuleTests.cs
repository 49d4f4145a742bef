using System.Text.Json;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat deconvolve --lambda gcv|weighted-gcv|discrepancy|lcurve [--noise-level SIGMA] [--json]</c>.</summary>
public sealed class DeconvolveRuleTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private (BlurProblem P, string[] Args) Problem(double noise = 0.01)
    {
        var p = BlurProblem.Create(Phantoms.PiecewiseConstant(32), BlurKernels.Gaussian(5, 1.2), BlurBoundary.Reflect, noise, seed: 4);
        Npy.WriteFile(cli.PathOf("y.npy"), new Tensor<double>(p.Observed, 1, 1, 32, 32));
        Npy.WriteFile(cli.PathOf("w.npy"), p.Kernel);
        return (p, ["deconvolve", "--input", cli.PathOf("y.npy"), "--weight", cli.PathOf("w.npy"), "--padding", "same", "--padding-mode", "reflect", "--out", cli.PathOf("x.npy")]);
    }

    /// <remarks>
    /// The L-curve runs and reports, but is not held to improving this problem: measured here (32×32, Gaussian σ 1.2,
    /// reflect, 1 % noise) its corner undersmooths, 15.4 dB against the data's 17.7 dB, a known failure of the corner
    /// criterion that the issue's measurement table is to quantify.
    /// </remarks>
    [Theory]
    [InlineData("gcv", true)]
    [InlineData("weighted-gcv", true)]
    [InlineData("discrepancy", true)]
    [InlineData("lcurve", false)]
    public void EachRuleChoosesLambdaAndReportsIt(string rule, bool improves)
    {
        var (p, args) = Problem();
        var (code, stdout, stderr) = cli.Run([.. args, "--lambda", rule, "--max-iter", "120"]);
        Assert.True(code == 0, stderr);
        Assert.Contains($"by {rule}", stdout);
        Assert.Contains("sample 0:", stderr);
        var x = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        Assert.All(x, v => Assert.True(double.IsFinite(v)));
        if (improves) Assert.True(p.Psnr(x) > p.Psnr(p.Observed), $"{rule}: PSNR {p.Psnr(x):F2} dB against the data's {p.Psnr(p.Observed):F2}");
    }

    [Fact]
    public void TheDiscrepancyPrincipleUsesTheGivenNoiseLevelAndJsonReportsIt()
    {
        var (p, args) = Problem();
        var sigma = p.NoiseSigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var (code, stdout, stderr) = cli.Run([.. args, "--lambda", "discrepancy", "--noise-level", sigma, "--json"]);
        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var sample = report.RootElement.GetProperty("samples")[0];
        Assert.Equal("discrepancy", sample.GetProperty("rule").GetString());
        Assert.Equal(p.NoiseSigma, sample.GetProperty("noiseSigma").GetDouble());
        Assert.Equal(1.01, sample.GetProperty("criterion").GetDouble(), 1e-6);
        Assert.True(sample.GetProperty("lambda").GetDouble() > 0);
        Assert.True(sample.GetProperty("iterations").GetInt32() > 0);
        Assert.Equal(JsonValueKind.Null, sample.GetProperty("gcvWeight").ValueKind);
    }

    [Fact]
    public void WeightedGcvReportsItsAdaptiveWeight()
    {
        var (_, args) = Problem();
        var (code, stdout, stderr) = cli.Run([.. args, "--lambda", "weighted-gcv", "--max-iter", "120", "--json"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("omega", stderr);
        using var report = JsonDocument.Parse(stdout);
        double omega = report.RootElement.GetProperty("samples")[0].GetProperty("gcvWeight").GetDouble();
        Assert.InRange(omega, double.Epsilon, 1);
    }

    [Theory]
    [InlineData("cgls")]
    [InlineData("lsqr")]
    public void EarlyStoppingReportsItsStopIteration(string solver)
    {
        var (p, args) = Problem();
        var (code, stdout, stderr) = cli.Run([.. args, "--early-stop", "--solver", solver, "--json"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("discrepancy principle reached after", stderr);
        using var report = JsonDocument.Parse(stdout);
        var sample = report.RootElement.GetProperty("samples")[0];
        Assert.Equal("early-stop", sample.GetProperty("rule").GetString());
        Assert.True(sample.GetProperty("iterations").GetInt32() is > 0 and < 500);
        Assert.True(sample.GetProperty("criterion").GetDouble() <= 1.01);
        var x = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        Assert.True(p.Psnr(x) > p.Psnr(p.Observed), $"{solver}: PSNR {p.Psnr(x):F2} dB against the data's {p.Psnr(p.Observed):F2}");
    }

    [Theory]
    [InlineData("--early-stop")]
    [InlineData("--lambda", "0.01", "--max-iter", "2000")]
    public void NonNegativeSolutionsHaveNoNegativeComponent(params string[] how)
    {
        var (p, args) = Problem(noise: 0.05);
        var (code, _, stderr) = cli.Run([.. args, "--nonnegative", .. how]);
        Assert.True(code == 0, stderr);
        var x = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        Assert.All(x, v => Assert.True(v >= 0));
        Assert.True(p.Psnr(x) > p.Psnr(p.Observed), $"PSNR {p.Psnr(x):F2} dB against the data's {p.Psnr(p.Observed):F2}");
    }

    [Fact]
    public void TheCirculantPreconditionerGivesTheSameImage()
    {
        var (_, args) = Problem();
        Assert.Equal(0, cli.Run([.. args, "--lambda", "0.001", "--tol", "1e-10", "--max-iter", "2000"]).Code);
        var plain = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        var (code, stdout, stderr) = cli.Run([.. args, "--lambda", "0.001", "--tol", "1e-10", "--max-iter", "2000", "--circulant"]);
        Assert.True(code == 0, stderr);
        var preconditioned = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        Assert.Equal(plain, preconditioned, new AbsoluteTolerance(1e-6 * plain.Max(Math.Abs)));
        Assert.Contains("converged", stdout);
        CliHarness.AssertBadInput(cli.Run([.. args, "--circulant", "--lambda", "gcv"]), "--circulant");
    }


    [Fact]
    public void BadRulesAndNoiseLevelsAreRefused()
    {
        var (_, args) = Problem();
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "often"]), "--lambda 'often'", "gcv");
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "discrepancy", "--noise-level", "-0.1"]), "--noise-level");
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "gcv", "--noise-level", "0.1"]), "--noise-level is what --lambda discrepancy (the default) and --early-stop need");
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "0.01", "--noise-level", "0.1"]), "--noise-level", "would be ignored");
        CliHarness.AssertBadInput(cli.Run([.. args, "--early-stop", "--lambda", "0"]), "--early-stop", "without --lambda");
        CliHarness.AssertBadInput(cli.Run([.. args, "--early-stop", "--solver", "direct"]), "--early-stop", "not direct");
        CliHarness.AssertBadInput(cli.Run([.. args, "--nonnegative", "--lambda", "gcv"]), "--nonnegative", "no bound");
        CliHarness.AssertBadInput(cli.Run([.. args, "--nonnegative", "--solver", "lsqr"]), "--nonnegative runs MRNSD, not --solver lsqr");
        var nan = new double[32 * 32];
        nan[7] = double.NaN;
        Npy.WriteFile(cli.PathOf("y.npy"), new Tensor<double>(nan, 1, 1, 32, 32));
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "gcv"]), "NaN");
        CliHarness.AssertBadInput(cli.Run(args), "NaN"); // the default rule too
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Fact]
    public void WithoutLambdaTheDiscrepancyPrincipleChoosesItFromTheEstimatedNoise()
    {
        var (p, args) = Problem();
        var (code, stdout, stderr) = cli.Run([.. args, "--json"]);
        Assert.True(code == 0, stderr);
        var sample = JsonDocument.Parse(stdout).RootElement.GetProperty("samples")[0];
        Assert.Equal("discrepancy", sample.GetProperty("rule").GetString());
        // σ is the Haar estimate of y itself, and λ meets τσ̂√m.
        double estimate = NoiseEstimate.Haar(p.Observed, [32, 32]);
        Assert.Equal(estimate, sample.GetProperty("noiseSigma").GetDouble(), 1e-12 * estimate);
        Assert.Equal(1.01, sample.GetProperty("criterion").GetDouble(), 1e-6);
        var x = Npy.ReadFile(cli.PathOf("x.npy")).As<double>().Data;
        Assert.True(p.Psnr(x) > p.Psnr(p.Observed) + 1, $"PSNR {p.Psnr(x):F2} dB against the data's {p.Psnr(p.Observed):F2}");
        // The same with the noise level given, and the line says which λ it is.
        var sigma = p.NoiseSigma.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        (code, stdout, stderr) = cli.Run([.. args, "--noise-level", sigma]);
        Assert.True(code == 0, stderr);
        Assert.Contains("by discrepancy (the default)", stdout);
        Assert.Contains($"sigma {p.NoiseSigma:G4}", stderr);
    }

    [Fact]
    public void AOneRowSignalNeedsTheNoiseLevelForTheDiscrepancyPrincipleAndDefaultsToTheFixedLambda()
    {
        var y = new double[40];
        for (int i = 0; i < y.Length; i++) y[i] = Math.Sin(i / 5.0);
        Npy.WriteFile(cli.PathOf("row.npy"), new Tensor<double>(y, 1, 1, 1, 40));
        Npy.WriteFile(cli.PathOf("k.npy"), new Tensor<double>([0.25, 0.5, 0.25], 1, 1, 1, 3));
        string[] args = ["deconvolve", "--input", cli.PathOf("row.npy"), "--weight", cli.PathOf("k.npy"), "--padding", "same", "--out", cli.PathOf("x.npy")];
        CliHarness.AssertBadInput(cli.Run([.. args, "--lambda", "discrepancy"]), "--lambda discrepancy needs the noise level", "(1, 40)", "--noise-level");
        CliHarness.AssertBadInput(cli.Run([.. args, "--early-stop"]), "--early-stop needs the noise level");
        Assert.False(File.Exists(cli.PathOf("x.npy")));
        var (code, stdout, stderr) = cli.Run(args);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("discrepancy", stdout);
        Assert.Contains("1 of 1 samples converged", stdout);
        (code, stdout, stderr) = cli.Run([.. args, "--noise-level", "0.01"]);
        Assert.True(code == 0, stderr);
        Assert.Contains("by discrepancy (the default)", stdout);
    }
}
