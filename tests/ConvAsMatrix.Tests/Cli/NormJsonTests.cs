using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat norm</c>'s certified interval: the plain lines, <c>--json</c>'s one object, and bad input.</summary>
public class NormJsonTests
{
    private static string Weight(CliHarness cli, double[]? data = null)
    {
        var w = new Tensor<double>(data ?? Problems.Gaussian(new Random(4), 3 * 2 * 9), 3, 2, 3, 3);
        Npy.WriteFile(cli.PathOf("w.npy"), w);
        return cli.PathOf("w.npy");
    }

    [Theory]
    [InlineData("zeros", false)]
    [InlineData("circular", true)]
    public void JsonIsOneObjectWithTheSevenFields(string mode, bool circular)
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run("norm", "--weight", Weight(cli), "--input-shape", "2,7,7", "--padding", "1", "--padding-mode", mode, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal(["value", "lower", "upper", "exact", "method", "iterations", "seconds"], root.EnumerateObject().Select(p => p.Name));
        // Both exact: circular padding in closed form, zero padding (a small V) by the banded Gram certificate.
        Assert.True(root.GetProperty("exact").GetBoolean(), line);
        double value = root.GetProperty("value").GetDouble(), lower = root.GetProperty("lower").GetDouble(), upper = root.GetProperty("upper").GetDouble();
        Assert.True(lower <= value && value <= upper, line);
        Assert.True(root.GetProperty("iterations").GetInt32() >= 1);
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.Contains(circular ? "grid" : "Cholesky certificate", root.GetProperty("method").GetString());

        var g = ConvGeometry.ForConv([1, 2, 7, 7], [3, 2, 3, 3], new ConvOptions { Padding = 1, PaddingMode = circular ? PaddingMode.Circular : PaddingMode.Zeros });
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(Npy.ReadFile(cli.PathOf("w.npy")).ToDouble(), g))[0];
        Assert.True(lower <= sigma * (1 + 1e-12) && sigma <= upper, $"{line} vs SVD {sigma}");
        Assert.True(Math.Abs(value - sigma) <= 1e-9 * sigma, $"{line} vs SVD {sigma}");
    }

    [Fact]
    public void WidthStopsOnceTheIntervalIsThatNarrowAndTheFormsAgree()
    {
        using var cli = new CliHarness();
        var w = Weight(cli);
        var results = new List<JsonElement>();
        foreach (var args in new[] { new[] { "--width", "0.5" }, ["--width", "0.5", "--form", "csr"], ["--width", "0"] })
        {
            // 300²: beyond the banded Gram certificate's work limit, so the interval is the circular one and --width decides.
            var (code, stdout, stderr) = cli.Run(["norm", "--weight", w, "--input-shape", "2,300,300", "--padding", "1", "--json", .. args]);
            Assert.True(code == 0, stderr);
            results.Add(JsonDocument.Parse(stdout).RootElement);
        }
        double Get(int i, string name) => results[i].GetProperty(name).GetDouble();
        // A wide width is met by the first product's Rayleigh quotient; width 0 iterates to --tol's eigen-residual.
        Assert.Equal(1, results[0].GetProperty("iterations").GetInt32());
        Assert.True(Get(0, "upper") - Get(0, "lower") <= 0.5 * Get(0, "upper"));
        Assert.True(results[2].GetProperty("iterations").GetInt32() > 1);
        // The structured and the explicit V give the same interval up to the products' rounding.
        Assert.Equal(Get(0, "upper"), Get(1, "upper"));
        Assert.True(Math.Abs(Get(0, "lower") - Get(1, "lower")) <= 1e-12 * Get(0, "upper"));
        Assert.True(Get(2, "lower") >= Get(0, "lower") && Get(2, "upper") == Get(0, "upper"));
    }

    [Fact]
    public void PlainOutputShowsTheIntervalAndEndsWithTheValue()
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run("norm", "--weight", Weight(cli), "--input-shape", "2,6,6", "--padding", "1", "--padding-mode", "reflect");
        Assert.True(code == 0, stderr);
        var lines = stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("lower ", lines[1]);
        Assert.Contains("exact true", lines[1]);           // a small V: the banded Gram certificate
        Assert.StartsWith("method: ", lines[2]);
        Assert.Contains("Cholesky certificate", lines[2]);
        double value = double.Parse(lines[^1], CultureInfo.InvariantCulture);
        double lower = double.Parse(lines[1].Split(',')[0]["lower ".Length..], CultureInfo.InvariantCulture);
        double upper = double.Parse(lines[1].Split(',')[1][" upper ".Length..], CultureInfo.InvariantCulture);
        Assert.True(lower <= value && value <= upper, stdout);
    }

    [Fact]
    public void AnIntervalWithinTheToleranceStopsAfterOneProductAndSaysSo()
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run("norm", "--weight", Weight(cli), "--input-shape", "2,300,300", "--padding", "1", "--tol", "0.1");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Contains("Lanczos: converged after 1 iterations, eigen-residual not computed", stdout.Split('\n')[0]);
    }

    [Theory]
    [InlineData(new[] { "--json", "--tol", "0" }, "--tol '0' must be a finite number > 0")]
    [InlineData(new[] { "--json", "--max-iter", "-2" }, "--max-iter")]
    [InlineData(new[] { "--json", "--width", "-1" }, "--width")]
    [InlineData(new[] { "--json", "--form", "dense" }, "--form")]
    [InlineData(new[] { "--json", "--padding", "9", "--padding-mode", "reflect" }, "reflect padding")]
    public void BadInputIsOneLineAndNoJson(string[] args, string mention)
    {
        using var cli = new CliHarness();
        CliHarness.AssertBadInput(cli.Run(["norm", "--weight", Weight(cli), "--input-shape", "2,6,6", .. args]), mention);
    }

    [Fact]
    public void ANonFiniteWeightIsRefused()
    {
        using var cli = new CliHarness();
        var data = Problems.Gaussian(new Random(4), 54);
        data[5] = double.PositiveInfinity;
        CliHarness.AssertBadInput(cli.Run("norm", "--weight", Weight(cli, data), "--input-shape", "2,6,6", "--json"), "non-finite");
    }
}
