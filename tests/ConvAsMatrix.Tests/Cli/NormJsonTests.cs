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
    public void JsonIsOneObjectWithTheSevenFields(string mode, bool exact)
    {
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run("norm", "--weight", Weight(cli), "--input-shape", "2,7,7", "--padding", "1", "--padding-mode", mode, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var root = JsonDocument.Parse(line).RootElement;
        Assert.Equal(["value", "lower", "upper", "exact", "method", "iterations", "seconds"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(exact, root.GetProperty("exact").GetBoolean());
        double value = root.GetProperty("value").GetDouble(), lower = root.GetProperty("lower").GetDouble(), upper = root.GetProperty("upper").GetDouble();
        Assert.True(lower <= value && value <= upper, line);
        Assert.True(root.GetProperty("iterations").GetInt32() >= 1);
        Assert.True(root.GetProperty("seconds").GetDouble() >= 0);
        Assert.Contains("grid", root.GetProperty("method").GetString());

        var g = ConvGeometry.ForConv([1, 2, 7, 7], [3, 2, 3, 3], new ConvOptions { Padding = 1, PaddingMode = exact ? PaddingMode.Circular : PaddingMode.Zeros });
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(Npy.ReadFile(cli.PathOf("w.npy")).ToDouble(), g))[0];
        Assert.True(lower <= sigma * (1 + 1e-12) && sigma <= upper, $"{line} vs SVD {sigma}");
        Assert.True(Math.Abs(value - sigma) <= 1e-9 * sigma, $"{line} vs SVD {sigma}");
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
        Assert.Contains("exact false", lines[1]);
        Assert.StartsWith("method: ", lines[2]);
        Assert.Contains("padding factor 2", lines[2]);   // reflect in two dimensions: sqrt(2) each
        double value = double.Parse(lines[^1], CultureInfo.InvariantCulture);
        double lower = double.Parse(lines[1].Split(',')[0]["lower ".Length..], CultureInfo.InvariantCulture);
        double upper = double.Parse(lines[1].Split(',')[1][" upper ".Length..], CultureInfo.InvariantCulture);
        Assert.True(lower <= value && value <= upper, stdout);
    }

    [Theory]
    [InlineData(new[] { "--json", "--tol", "0" }, "--tol '0' must be a finite number > 0")]
    [InlineData(new[] { "--json", "--max-iter", "-2" }, "--max-iter")]
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
