using System.Numerics;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// <c>convmat conv</c> and <c>tconv</c> on integer arrays: computed exactly (long, or BigInteger where a sum could leave
/// long), written as int64 or the narrower --out-dtype, every value checked; against the direct loops in long.
/// </summary>
public sealed class IntegerCommandTests : IDisposable
{
    private readonly CliHarness cli = new();

    public void Dispose() => cli.Dispose();

    private string Save<T>(string name, Tensor<T> tensor, NpyWriteOptions? options = null) where T : unmanaged
    {
        var path = cli.PathOf(name);
        Npy.WriteFile(path, NpyArray.From(tensor), options ?? new NpyWriteOptions());
        return path;
    }

    private static Tensor<T> Values<T>(int[] shape, int seed, int low, int high) where T : IBinaryInteger<T>
    {
        var rng = new Random(seed);
        int n = shape.Aggregate(1, (p, s) => p * s);
        return new Tensor<T>(Enumerable.Range(0, n).Select(_ => T.CreateChecked(rng.Next(low, high + 1))).ToArray(), shape);
    }

    [Fact]
    public void ConvOfInt8OperandsIsExactInInt64()
    {
        var x = Values<sbyte>([2, 4, 7, 6], 1, -128, 127);
        var w = Values<sbyte>([6, 2, 3, 3], 2, -128, 127);
        var b = Values<int>([6], 3, -100000, 100000);
        var args = new[] { "conv", "--input", Save("x.npy", x), "--weight", Save("w.npy", w), "--bias", Save("b.npy", b), "--groups", "2", "--stride", "2", "--padding", "1", "--padding-mode", "reflect" };
        var (code, stdout, stderr) = cli.Run([.. args, "--out", cli.PathOf("y.npy")]);
        Assert.True(code == 0, stderr);
        Assert.Contains("int64", stdout);
        var y = Npy.ReadFile(cli.PathOf("y.npy"));
        Assert.Equal(NpyDataType.Int64, y.DataType);

        var options = new ConvOptions { Groups = 2, Stride = [2], Padding = 1, PaddingMode = PaddingMode.Reflect };
        var g = ConvGeometry.ForConv(x.ShapeArray, w.ShapeArray, options);
        var expected = new long[g.Batch * g.OutputLength];
        DirectCorrelation.Apply<long>(g, x.Data.Select(v => (long)v).ToArray(), w.Data.Select(v => (long)v).ToArray(), expected);
        int plane = expected.Length / (g.Batch * g.OutChannels);
        for (int i = 0; i < expected.Length; i++) expected[i] += b.Data[i / plane % g.OutChannels];
        Assert.Equal(expected, y.ToInt64().Data);

        // Fortran-ordered, big-endian files of the same arrays give the same result.
        var again = cli.Run("conv", "--input", Save("xf.npy", x, new() { FortranOrder = true }), "--weight", Save("wb.npy", w, new() { BigEndian = true, FortranOrder = true }),
            "--bias", Save("bb.npy", b, new() { BigEndian = true }), "--groups", "2", "--stride", "2", "--padding", "1", "--padding-mode", "reflect", "--out", cli.PathOf("y2.npy"));
        Assert.Equal(0, again.Code);
        Assert.Equal(expected, Npy.ReadFile(cli.PathOf("y2.npy")).ToInt64().Data);

        // Narrower: int32 holds every value; int8 does not, and nothing is written.
        Assert.Equal(0, cli.Run([.. args, "--out", cli.PathOf("y32.npy"), "--out-dtype", "int32"]).Code);
        var narrow = Npy.ReadFile(cli.PathOf("y32.npy"));
        Assert.Equal(NpyDataType.Int32, narrow.DataType);
        Assert.Equal(expected, narrow.ToInt64().Data);
        var refused = cli.Run([.. args, "--out", cli.PathOf("y8.npy"), "--out-dtype", "int8"]);
        CliHarness.AssertBadInput(refused, "--out-dtype int8", "does not fit int8 [-128, 127]");
        Assert.False(File.Exists(cli.PathOf("y8.npy")));
    }

    [Fact]
    public void TconvOfUInt8OperandsIsExact()
    {
        var x = Values<byte>([1, 4, 3, 5], 4, 0, 255);
        var w = Values<byte>([4, 3, 2, 3], 5, 0, 255);
        var (code, _, stderr) = cli.Run("tconv", "--input", Save("x.npy", x), "--weight", Save("w.npy", w), "--stride", "2", "--dilation", "2", "--output-padding", "1", "--out", cli.PathOf("z.npy"));
        Assert.True(code == 0, stderr);
        var options = new ConvTransposeOptions { Stride = [2], Dilation = [2], OutputPadding = [1] };
        var g = ConvGeometry.ForConvTranspose(x.ShapeArray, w.ShapeArray, options);
        var expected = new long[g.Batch * g.InputLength];
        DirectScatter.Apply<long>(g, x.Data.Select(v => (long)v).ToArray(), w.Data.Select(v => (long)v).ToArray(), expected);
        Assert.Equal(expected, Npy.ReadFile(cli.PathOf("z.npy")).ToInt64().Data);
    }

    [Fact]
    public void SumsBeyondLongAreComputedInBigIntegerAndCheckedAgainstInt64()
    {
        // One tap of 2^31 · 2^31 = 2^62: fits int64, but the bound (taps × max|x| × max|w|) does not, so BigInteger computes it.
        var x = new Tensor<long>([1L << 31, -(1L << 31)], 1, 1, 2);
        var w = new Tensor<long>([1L << 31], 1, 1, 1);
        var (code, _, stderr) = cli.Run("conv", "--input", Save("x.npy", x), "--weight", Save("w.npy", w), "--out", cli.PathOf("y.npy"));
        Assert.True(code == 0, stderr);
        Assert.Equal([1L << 62, -(1L << 62)], Npy.ReadFile(cli.PathOf("y.npy")).ToInt64().Data);
        // Two taps of 2^62: 2^63 has no int64.
        var w2 = new Tensor<long>([1L << 31, -(1L << 31)], 1, 1, 2);
        var refused = cli.Run("conv", "--input", Save("x2.npy", x), "--weight", Save("w2.npy", w2), "--out", cli.PathOf("y2.npy"));
        CliHarness.AssertBadInput(refused, "output element 0 is 9223372036854775808, beyond int64");
        Assert.False(File.Exists(cli.PathOf("y2.npy")));
    }

    [Fact]
    public void MixedAndMismatchedDtypesAreRefused()
    {
        var xi = Save("xi.npy", Values<int>([1, 1, 4], 6, -9, 9));
        var wf = cli.PathOf("wf.npy");
        Npy.WriteFile(wf, new Tensor<double>([1, 2], 1, 1, 2));
        CliHarness.AssertBadInput(cli.Run("conv", "--input", xi, "--weight", wf, "--out", cli.PathOf("y.npy")), "--input holds int32 but --weight float64");
        var wi = Save("wi.npy", Values<short>([1, 1, 2], 7, -9, 9));
        CliHarness.AssertBadInput(cli.Run("conv", "--input", xi, "--weight", wi, "--out", cli.PathOf("y.npy"), "--out-dtype", "float32"), "--out-dtype float32", "integer");
        var xf = cli.PathOf("xf.npy");
        Npy.WriteFile(xf, new Tensor<float>([1, 2, 3, 4], 1, 1, 4));
        CliHarness.AssertBadInput(cli.Run("conv", "--input", xf, "--weight", wf, "--out", cli.PathOf("y.npy"), "--out-dtype", "int16"), "--out-dtype int16 needs integer");
        var uint64 = Save("u.npy", new Tensor<ulong>([ulong.MaxValue, 1], 1, 1, 2));
        CliHarness.AssertBadInput(cli.Run("conv", "--input", uint64, "--weight", wi, "--out", cli.PathOf("y.npy")), "--input", "beyond int64");
        Assert.DoesNotContain(cli.Files(), f => f.StartsWith('y'));
        // A float result can be written in the other precision.
        Assert.Equal(0, cli.Run("conv", "--input", xf, "--weight", wf, "--out", cli.PathOf("y64.npy"), "--out-dtype", "float64").Code);
        Assert.Equal([5.0, 8, 11], Npy.ReadFile(cli.PathOf("y64.npy")).As<double>().Data);
    }
}
