using ConvAsMatrix.Tests.Quantized;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// <c>convmat conv</c> with zero points (ONNX ConvInteger) and scales (QLinearConv), on the NumPy int64 goldens of
/// tests/golden/quantized.py: every output and accumulation exact; and the options' refusals.
/// </summary>
public sealed class QuantizedCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        // Every rank, type pair, granularity and the adversarial cases: a third of the goldens keeps this quick.
        foreach (var id in QuantizedGoldenTests.All.Keys.Where((_, i) => i % 3 == 0 || QuantizedGoldenTests.All.Values.ElementAt(i).Adversarial)) data.Add(id);
        return data;
    }

    private string Save(string name, NpyArray array)
    {
        var path = cli.PathOf(name);
        Npy.WriteFile(path, array);
        return path;
    }

    private static NpyArray Typed(string type, long[] values, int[] shape) =>
        NpyArray.Narrow(new Tensor<long>(values, shape), type == "uint8" ? NpyDataType.UInt8 : NpyDataType.Int8);

    private static string List<T>(IEnumerable<T> values) => string.Join(",", values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [MemberData(nameof(Ids))]
    public void QLinearConvAndConvIntegerMatchTheGoldens(string id)
    {
        var c = QuantizedGoldenTests.All[id];
        var common = new List<string>
        {
            "conv", "--input", Save("x.npy", Typed(c.XType, c.X, c.XShape)), "--weight", Save("w.npy", Typed(c.WType, c.W, c.WShape)),
            "--stride", List(c.Stride), "--dilation", List(c.Dilation), "--groups", c.Group.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--padding", string.Join(",", c.Pads.Select(p => $"{p[0]}:{p[1]}")),
            "--x-zero-point", c.XZeroPoint.ToString(System.Globalization.CultureInfo.InvariantCulture), "--w-zero-point", List(c.WZeroPoint),
        };
        if (c.Bias is not null) common.AddRange(["--bias", Save("b.npy", NpyArray.From(new Tensor<int>(c.Bias, c.Bias.Length)))]);

        var (code, _, stderr) = cli.Run([.. common, "--out", cli.PathOf("acc.npy")]);
        Assert.True(code == 0, stderr);
        var acc = Npy.ReadFile(cli.PathOf("acc.npy"));
        Assert.Equal(NpyDataType.Int32, acc.DataType);
        Assert.Equal(c.Accumulation, acc.ToInt64().Data);

        (code, _, stderr) = cli.Run([.. common, "--x-scale", List(new[] { c.XScale }), "--w-scale", List(c.WScale), "--y-scale", List(new[] { c.YScale }),
            "--y-zero-point", c.YZeroPoint.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out-dtype", c.YType,
            "--accumulation", cli.PathOf("acc2.npy"), "--out", cli.PathOf("y.npy")]);
        Assert.True(code == 0, stderr);
        var y = Npy.ReadFile(cli.PathOf("y.npy"));
        Assert.Equal(c.YType, y.DataType.ToString().ToLowerInvariant());
        Assert.Equal(c.Y, y.ToInt64().Data);
        Assert.Equal(c.Accumulation, Npy.ReadFile(cli.PathOf("acc2.npy")).ToInt64().Data);
    }

    [Fact]
    public void QuantizationOptionsAreRefusedWhereTheyDoNotApply()
    {
        var x8 = Save("x.npy", NpyArray.From(new Tensor<byte>([1, 2, 3, 4], 1, 1, 4)));
        var w8 = Save("w.npy", NpyArray.From(new Tensor<sbyte>([1, -1], 1, 1, 2)));
        var xf = cli.PathOf("xf.npy");
        Npy.WriteFile(xf, new Tensor<float>([1, 2, 3, 4], 1, 1, 4));
        var y = cli.PathOf("y.npy");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", xf, "--weight", w8, "--x-zero-point", "1", "--out", y), "uint8 or int8 --input and --weight", "float32");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--x-scale", "0.5", "--out", y), "--w-scale is missing");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--y-zero-point", "3", "--out", y), "--y-zero-point belongs to QLinearConv");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--x-zero-point", "300", "--out", y), "x_zero_point 300 is outside x's type range [0, 255]");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--w-zero-point", "0,0,0", "--out", y), "w_zero_point has 3 values");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--x-scale", "0", "--w-scale", "1", "--y-scale", "1", "--out", y), "x_scale is 0");
        CliHarness.AssertBadInput(cli.Run("conv", "--input", x8, "--weight", w8, "--x-scale", "1", "--w-scale", "1", "--y-scale", "1", "--out-dtype", "int32", "--out", y), "QLinearConv writes uint8 or int8");
        Assert.False(File.Exists(y));
        // ConvInteger, then QLinearConv of the same: (x − 1)·w over taps (1, −1): [−1, −1, −1] → ·0.5·2/1 = −1 each, + 3.
        Assert.Equal(0, cli.Run("conv", "--input", x8, "--weight", w8, "--x-zero-point", "1", "--out", y).Code);
        Assert.Equal([-1L, -1, -1], Npy.ReadFile(y).ToInt64().Data);
        Assert.Equal(0, cli.Run("conv", "--input", x8, "--weight", w8, "--x-zero-point", "1", "--x-scale", "0.5", "--w-scale", "2", "--y-scale", "1", "--y-zero-point", "3", "--out", y).Code);
        var q = Npy.ReadFile(y);
        Assert.Equal(NpyDataType.UInt8, q.DataType);
        Assert.Equal([2L, 2, 2], q.ToInt64().Data);
    }
}
