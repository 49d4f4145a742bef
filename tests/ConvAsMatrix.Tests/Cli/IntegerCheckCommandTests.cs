namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat check</c> on integer arrays (exact, tolerance 0) and on ONNX's quantized convolutions.</summary>
public sealed class IntegerCheckCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string Save<T>(string name, Tensor<T> t) where T : unmanaged
    {
        var path = cli.PathOf(name);
        Npy.WriteFile(path, NpyArray.From(t));
        return path;
    }

    [Fact]
    public void IntegerConvolutionsAreCheckedExactly()
    {
        var x = new Tensor<int>(Enumerable.Range(0, 2 * 3 * 6 * 5).Select(i => (i * 37 % 19) - 9).ToArray(), 2, 3, 6, 5);
        var w = new Tensor<short>(Enumerable.Range(0, 4 * 3 * 3 * 2).Select(i => (short)((i * 11 % 13) - 6)).ToArray(), 4, 3, 3, 2);
        var g = ConvGeometry.ForConv(x.ShapeArray, w.ShapeArray, new ConvOptions { Padding = 1 });
        var expected = new long[g.Batch * g.OutputLength];
        DirectCorrelation.Apply<long>(g, x.Data.Select(v => (long)v).ToArray(), w.Data.Select(v => (long)v).ToArray(), expected);
        string[] common = ["check", "--op", "conv", "--input", Save("x.npy", x), "--weight", Save("w.npy", w), "--padding", "1"];

        var (code, stdout, _) = cli.Run([.. common, "--output", Save("y.npy", new Tensor<long>(expected, g.OutputShape))]);
        Assert.Equal(0, code);
        Assert.Contains("agree (max rel err 0)", stdout);

        var off = (long[])expected.Clone();
        off[5] += 1;
        (code, stdout, _) = cli.Run([.. common, "--output", Save("off.npy", new Tensor<long>(off, g.OutputShape))]);
        Assert.Equal(1, code);
        Assert.Contains("1 elements beyond tolerance 0", stdout);
        Assert.EndsWith("disagree: unexplained", stdout.TrimEnd());

        // A flipped kernel, computed by the loops on the flipped weight, is named.
        var flippedWeight = new long[w.Length];
        for (int o = 0; o < 4 * 3; o++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 2; j++)
                    flippedWeight[(o * 3 + i) * 2 + j] = w.Data[(o * 3 + (2 - i)) * 2 + (1 - j)];
        var flipped = new long[expected.Length];
        DirectCorrelation.Apply<long>(g, x.Data.Select(v => (long)v).ToArray(), flippedWeight, flipped);
        (code, stdout, _) = cli.Run([.. common, "--output", Save("flipped.npy", new Tensor<int>(flipped.Select(v => (int)v).ToArray(), g.OutputShape))]);
        Assert.Equal(1, code);
        Assert.EndsWith("disagree: flipped-kernel", stdout.TrimEnd());
    }

    [Fact]
    public void QuantizedOutputsAreCheckedExactlyAndTheirMistakesNamed()
    {
        var x = new Tensor<byte>([11, 10, 15, 10, 13, 14], 1, 1, 6);
        var w = new Tensor<sbyte>([1, -1], 1, 1, 2);
        string[] common = ["check", "--op", "conv", "--input", Save("x.npy", x), "--weight", Save("w.npy", w), "--x-zero-point", "10"];
        // ConvInteger: (x − 10)·[1, −1] over pairs of [1, 0, 5, 0, 3, 4]: odd values, whose halves tell the roundings apart.
        var acc = new Tensor<int>([1, -5, 5, -3, -1], 1, 1, 5);
        var (code, stdout, stderr) = cli.Run([.. common, "--output", Save("acc.npy", acc)]);
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("the int32 accumulation", cli.Run([.. common, "--output", Save("bad.npy", new Tensor<int>([1, -5, 5, -3, 0], 1, 1, 5))]).Out);
        // x's zero point cancels in a difference kernel, so w's is the one forgotten: (w − 1) = [0, −2] gives 0, −10, 0, −6, −8.
        (code, stdout, _) = cli.Run([.. common, "--w-zero-point", "1", "--output", Save("ignored.npy", acc)]);
        Assert.Equal(1, code);
        Assert.EndsWith("disagree: zero-point-ignored", stdout.TrimEnd());

        // QLinearConv with M = 0.5: 0.5, −2.5, 2.5, −1.5, −0.5; away-from-zero rounding differs on four and is named.
        var y = QuantizedConvolution.QLinearConv<byte, sbyte, sbyte>(x, 0.5f, 10, w, [1f], [0], 1f, 0).Output;
        string[] q = [.. common, "--x-scale", "0.5", "--w-scale", "1", "--y-scale", "1"];
        Assert.Equal(0, cli.Run([.. q, "--output", Save("q.npy", y)]).Code);
        var away = QuantizedConvolution.Accumulate(x, w, [10], [0]).Data.Select(a => (sbyte)Math.Round(a * 0.5, MidpointRounding.AwayFromZero)).ToArray();
        (code, stdout, _) = cli.Run([.. q, "--output", Save("away.npy", new Tensor<sbyte>(away, 1, 1, 5))]);
        Assert.Equal(1, code);
        Assert.EndsWith("disagree: requantize-rounding", stdout.TrimEnd());

        CliHarness.AssertBadInput(cli.Run([.. q, "--output", Save("acc32.npy", acc)]), "QLinearConv's output is uint8 or int8");
        CliHarness.AssertBadInput(cli.Run("check", "--op", "tconv", "--input", cli.PathOf("x.npy"), "--weight", cli.PathOf("w.npy"), "--x-zero-point", "1", "--output", cli.PathOf("acc.npy")), "--op conv, not --op tconv");
    }
}
