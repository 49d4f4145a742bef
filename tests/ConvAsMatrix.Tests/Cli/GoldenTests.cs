using System.Text.Json;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>Every conv and tconv case of tests/cli-fixtures against PyTorch's output, through V and through the direct loops.</summary>
public class GoldenTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in CliHarness.Manifest.GetProperty("cases").EnumerateArray())
            foreach (var method in new[] { "matrix", "direct" })
                data.Add(c.GetProperty("name").GetString()!, method);
        return data;
    }

    private static JsonElement Case(string name) =>
        CliHarness.Manifest.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name, string method)
    {
        var c = Case(name);
        using var cli = new CliHarness();
        var outPath = cli.PathOf("out.npy");
        var args = new List<string> { c.GetProperty("command").GetString()!, "--input", CliHarness.Fixture(c.GetProperty("input").GetString()!), "--weight", CliHarness.Fixture(c.GetProperty("weight").GetString()!) };
        if (c.TryGetProperty("bias", out var bias)) args.AddRange(["--bias", CliHarness.Fixture(bias.GetString()!)]);
        args.AddRange(c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!));
        args.AddRange(["--method", method, "--out", outPath]);

        var (code, stdout, stderr) = cli.Run([.. args]);
        Assert.True(code == 0, stderr);
        Assert.Contains("out.npy", stdout);
        Assert.Equal(["out.npy"], cli.Files());

        var expected = Npy.ReadFile(CliHarness.Fixture(c.GetProperty("expected").GetString()!));
        var actual = Npy.ReadFile(outPath);
        Assert.Equal(expected.DataType, actual.DataType);
        Assert.Equal(c.GetProperty("dtype").GetString() == "float32" ? NpyDataType.Float32 : NpyDataType.Float64, actual.DataType);
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToDouble().Data;
        var a = actual.ToDouble().Data;
        if (c.GetProperty("exact").GetBoolean())
        {
            Assert.Equal(e, a);
            return;
        }
        // Sums of a few dozen products: float64 agrees to ~1e-15 of the scale, float32 to ~1e-7.
        double scale = 1 + e.Max(Math.Abs);
        double tolerance = (actual.DataType == NpyDataType.Float32 ? 2e-6 : 1e-13) * scale;
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= tolerance, $"{name} [{i}]: torch {e[i]}, convmat {a[i]}");
    }

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in CliHarness.Manifest.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void DirectEqualsTheMatrixPath(string name)
    {
        var c = Case(name);
        using var cli = new CliHarness();
        var outputs = new Dictionary<string, double[]>();
        foreach (var method in new[] { "matrix", "direct" })
        {
            var outPath = cli.PathOf(method + ".npy");
            var args = new List<string> { c.GetProperty("command").GetString()!, "--input", CliHarness.Fixture(c.GetProperty("input").GetString()!), "--weight", CliHarness.Fixture(c.GetProperty("weight").GetString()!) };
            args.AddRange(c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!));
            args.AddRange(["--method", method, "--out", outPath]);
            var (code, _, stderr) = cli.Run([.. args]);
            Assert.True(code == 0, stderr);
            outputs[method] = Npy.ReadFile(outPath).ToDouble().Data;
        }
        // The same products summed in another order: equal up to rounding (exactly, for the integer-valued cases).
        var (m, d) = (outputs["matrix"], outputs["direct"]);
        double tolerance = c.GetProperty("exact").GetBoolean() ? 0 : (c.GetProperty("dtype").GetString() == "float32" ? 1e-5 : 1e-12) * (1 + m.Max(Math.Abs));
        Assert.Equal(m.Length, d.Length);
        for (int i = 0; i < m.Length; i++) Assert.True(Math.Abs(m[i] - d[i]) <= tolerance, $"{name} [{i}]: matrix {m[i]}, direct {d[i]}");
    }

    [Fact]
    public void EveryGoldenFeatureIsCovered()
    {
        // The contract of issue 3: each padding mode, stride, dilation, groups, asymmetric padding, 1-3 dimensions, both precisions.
        var all = CliHarness.Manifest.GetProperty("cases").EnumerateArray().ToArray();
        var text = string.Join(" ", all.Select(c => c.GetProperty("name").GetString() + " " + string.Join(" ", c.GetProperty("args").EnumerateArray().Select(a => a.GetString()))));
        foreach (var needle in new[] { "reflect", "replicate", "circular", "same", "valid", "--stride", "--dilation", "--groups", "1:2,0:1", "--output-padding", "conv1d", "conv2d", "conv3d", "tconv1d", "tconv2d", "tconv3d", "float32" })
            Assert.Contains(needle, text);
        // Issue 9: PyTorch's output_size and unbatched input; ONNX's auto_pad (both splits, stride > 1, negative totals for tconv) and output_shape.
        foreach (var needle in new[] { "--output-size", "unbatched", "--auto-pad same-upper", "--auto-pad same-lower", "--auto-pad valid", "--output-shape", "negative", "larger", "smaller" })
            Assert.Contains(needle, text);
        Assert.Equal(39, all.Length);
    }
}
