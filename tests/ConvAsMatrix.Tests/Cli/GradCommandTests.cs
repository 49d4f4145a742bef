namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// <c>convmat grad</c> on integer-valued cases (<see cref="GradientCase"/>): every gradient of conv and tconv, through
/// V/U and through the direct loops, in float64 and float32, equals the textbook loops exactly; and bad input exits 2
/// with one line and no file.
/// </summary>
public class GradCommandTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in GradientCase.All)
            foreach (var method in new[] { "matrix", "direct" })
                data.Add(c.Name, method);
        return data;
    }

    private static string[] CommandLine(GradientCase c, string[] arrays, params string[] rest) =>
        ["grad", "--op", c.Transposed ? "tconv" : "conv", .. arrays, .. c.Args, .. rest];

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryGradientEqualsTheReferenceLoops(string name, string method)
    {
        var c = GradientCase.Named(name);
        using var cli = new CliHarness();
        var arrays = c.WriteArrays(cli.Directory);
        var (code, stdout, stderr) = cli.Run(CommandLine(c, arrays, "--method", method,
            "--out-input", cli.PathOf("gx.npy"), "--out-weight", cli.PathOf("gw.npy"), "--out-bias", cli.PathOf("gb.npy")));
        Assert.True(code == 0, stderr);
        Assert.Equal("", stderr);
        Assert.Equal(
            [$"{cli.PathOf("gx.npy")}: ({string.Join(", ", c.InputShape)}) float64", $"{cli.PathOf("gw.npy")}: ({string.Join(", ", c.WeightShape)}) float64",
             $"{cli.PathOf("gb.npy")}: ({c.OutputShape[c.Unbatched ? 0 : 1]}) float64"],
            stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        AssertArray(cli.PathOf("gx.npy"), c.InputShape, c.InputGrad, NpyDataType.Float64);
        AssertArray(cli.PathOf("gw.npy"), c.WeightShape, c.WeightGrad, NpyDataType.Float64);
        AssertArray(cli.PathOf("gb.npy"), [c.OutputShape[c.Unbatched ? 0 : 1]], c.BiasGrad, NpyDataType.Float64);
        Assert.Equal(["g.npy", "gb.npy", "gw.npy", "gx.npy", "w.npy", "x.npy"], cli.Files().Order());
    }

    private static void AssertArray(string path, int[] shape, long[] expected, NpyDataType type)
    {
        var actual = Npy.ReadFile(path);
        Assert.Equal(type, actual.DataType);
        Assert.Equal(shape, actual.Shape);
        Assert.Equal(expected.Select(v => (double)v).ToArray(), actual.ToDouble().Data);
    }

    [Fact]
    public void Float32InputGivesFloat32GradientsEqualToTheLoops()
    {
        // Integers of magnitude ≤ 4 summed a few hundred times: exact in float32 too.
        var c = GradientCase.Named("tconv2d_groups_stride_outpad");
        using var cli = new CliHarness();
        var arrays = c.WriteArrays(cli.Directory, float32: true);
        var (code, stdout, stderr) = cli.Run(CommandLine(c, arrays, "--out-weight", cli.PathOf("gw.npy"), "--out-input", cli.PathOf("gx.npy")));
        Assert.True(code == 0, stderr);
        Assert.Contains("float32", stdout);
        AssertArray(cli.PathOf("gw.npy"), c.WeightShape, c.WeightGrad, NpyDataType.Float32);
        AssertArray(cli.PathOf("gx.npy"), c.InputShape, c.InputGrad, NpyDataType.Float32);
    }

    [Fact]
    public void OnlyTheRequestedOutputsAreWritten()
    {
        var c = GradientCase.Named("conv2d_groups_stride_pad");
        using var cli = new CliHarness();
        var arrays = c.WriteArrays(cli.Directory);
        var (code, stdout, _) = cli.Run(CommandLine(c, arrays, "--out-bias", cli.PathOf("gb.npy")));
        Assert.Equal(0, code);
        Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["g.npy", "gb.npy", "w.npy", "x.npy"], cli.Files().Order());
        AssertArray(cli.PathOf("gb.npy"), [6], c.BiasGrad, NpyDataType.Float64);
    }

    [Fact]
    public void AHandComputedWeightGradient()
    {
        // conv1d, x = [1, 2, 3, 4], a 2-tap kernel, g = [1, 0, -1]: gw[t] = Σ_o g[o]·x[o + t] = (1 - 3, 2 - 4) = (-2, -2);
        // gx = Vᵀg = (w0, w1 + 0, -w0 + 0, -w1) with w = (5, 7): (5, 7, -5, -7); gb = 0.
        using var cli = new CliHarness();
        GradientCase.Write(cli.PathOf("x.npy"), [1, 2, 3, 4], [1, 1, 4]);
        GradientCase.Write(cli.PathOf("w.npy"), [5, 7], [1, 1, 2]);
        GradientCase.Write(cli.PathOf("g.npy"), [1, 0, -1], [1, 1, 3]);
        var (code, _, stderr) = cli.Run("grad", "--op", "conv", "--input", cli.PathOf("x.npy"), "--weight", cli.PathOf("w.npy"), "--grad-output", cli.PathOf("g.npy"),
            "--out-input", cli.PathOf("gx.npy"), "--out-weight", cli.PathOf("gw.npy"), "--out-bias", cli.PathOf("gb.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal([-2.0, -2.0], Npy.ReadFile(cli.PathOf("gw.npy")).ToDouble().Data);
        Assert.Equal([5.0, 7.0, -5.0, -7.0], Npy.ReadFile(cli.PathOf("gx.npy")).ToDouble().Data);
        Assert.Equal([0.0], Npy.ReadFile(cli.PathOf("gb.npy")).ToDouble().Data);
    }

    /// <summary>Each case's arrays, then the rest: "{args}" stands for the case's own geometry options, "{dir}" for the test's directory.</summary>
    public static TheoryData<string, string[], string[]> BadCommandLines => new()
    {
        { "conv2d_groups_stride_pad", ["--op", "conv", "{args}"], ["no output requested", "--out-input, --out-weight, --out-bias"] },
        { "conv2d_groups_stride_pad", ["--op", "conv", "{args}", "--out-input", "{dir}/a.npy", "--out-weight", "{dir}/a.npy"], ["--out-input '{dir}/a.npy' and --out-weight '{dir}/a.npy' name the same file"] },
        { "conv2d_groups_stride_pad", ["--op", "conv", "--groups", "2", "--padding", "1", "--out-weight", "{dir}/gw.npy"], ["--grad-output has shape (2, 6, 4, 3)", "conv output of --input (2, 4, 7, 6) and --weight (6, 2, 3, 3) has shape (2, 6, 7, 6)"] },
        { "conv2d_groups_stride_pad", ["--op", "conv", "--stride", "2", "--padding", "1", "--out-weight", "{dir}/gw.npy"], ["input has 4 channels", "weight (6, 2, 3, 3)"] },
        { "conv2d_groups_stride_pad", ["--op", "conv", "{args}", "--output-padding", "1", "--out-weight", "{dir}/gw.npy"], ["--output-padding is an option of --op tconv, not of --op conv"] },
        { "conv2d_groups_stride_pad", ["--op", "conv", "{args}", "--out-weight", "{dir}/nowhere/gw.npy"], ["--out-weight", "does not exist"] },
        { "conv2d_groups_stride_pad", ["--op", "tconv", "{args}", "--out-weight", "{dir}/gw.npy"], ["conv_transpose weight"] },
        // An output that cannot be written is refused before the work, so the one that could is not written either.
        { "conv2d_groups_stride_pad", ["--op", "conv", "{args}", "--out-input", "{dir}/gx.npy", "--out-weight", "/sys/convmat-gw.npy"], ["--out-weight", "cannot write '/sys/convmat-gw.npy'"] },
        { "tconv2d_groups_stride_outpad", ["--op", "tconv", "--groups", "2", "--stride", "2", "--padding", "1", "--out-input", "{dir}/gx.npy"], ["--grad-output has shape (2, 6, 8, 6)", "tconv output", "has shape (2, 6, 7, 5)"] },
        { "tconv2d_groups_stride_outpad", ["--op", "deconv", "{args}", "--out-input", "{dir}/gx.npy"], ["--op 'deconv' is not one of conv, tconv"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void BadInputExitsTwoWithOneLineAndNoFile(string name, string[] template, string[] mentions)
    {
        var c = GradientCase.Named(name);
        using var cli = new CliHarness();
        var arrays = c.WriteArrays(cli.Directory);
        var rest = template.SelectMany(a => a == "{args}" ? c.Args : [a.Replace("{dir}", cli.Directory)]);
        CliHarness.AssertBadInput(cli.Run(["grad", .. arrays, .. rest]), mentions.Select(m => m.Replace("{dir}", cli.Directory)).ToArray());
        Assert.Equal(["g.npy", "w.npy", "x.npy"], cli.Files().Order());
    }

    [Fact]
    public void AGradOutputOfTheWrongRankIsBadInput()
    {
        var c = GradientCase.Named("conv2d_unbatched");
        using var cli = new CliHarness();
        var arrays = c.WriteArrays(cli.Directory);
        GradientCase.Write(cli.PathOf("g.npy"), new long[2 * 6 * 5], [1, 2, 6, 5]);
        CliHarness.AssertBadInput(cli.Run(CommandLine(c, arrays, "--out-weight", cli.PathOf("gw.npy"))), "--grad-output has shape (1, 2, 6, 5)", "has shape (2, 6, 5)");
        Assert.False(File.Exists(cli.PathOf("gw.npy")));
    }
}
