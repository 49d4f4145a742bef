using ConvAsMatrix.Tests.Quantized;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Verification;

/// <summary>The exact check of quantized outputs: agreement on the goldens, the two quantized mistakes named, other errors not.</summary>
public class QuantizedCheckTests
{
    private static Tensor<long> Longs(long[] data, int[] shape) => new((long[])data.Clone(), shape);

    [Fact]
    public void ConvIntegerAgreesAndNamesAnIgnoredZeroPoint()
    {
        var c = QuantizedGoldenTests.All.Values.First(g => g.XType == "uint8" && g.WType == "int8" && g.XZeroPoint != 0 && g.Bias is null);
        var x = new Tensor<byte>(c.X.Select(v => (byte)v).ToArray(), c.XShape);
        var w = new Tensor<sbyte>(c.W.Select(v => (sbyte)v).ToArray(), c.WShape);
        var right = QuantizedCheck.ConvInteger(x, w, c.XZeroPoint, c.WZeroPoint, Longs(c.Accumulation, c.AccumulationShape), null, c.Options);
        Assert.True(right.Agree);
        Assert.Equal(0, right.Tolerance);

        // The engine forgot x's zero point: computed independently, by the library's accumulation with x_zp = 0.
        var forgot = QuantizedConvolution.Accumulate(x, w, [0], c.WZeroPoint, null, c.Options);
        var wrong = QuantizedCheck.ConvInteger(x, w, c.XZeroPoint, c.WZeroPoint, forgot, null, c.Options);
        Assert.False(wrong.Agree);
        Assert.Equal("zero-point-ignored", wrong.Mistake?.Id);
        Assert.Equal("disagree: zero-point-ignored", wrong.Verdict);

        // One element off by one is a mismatch nothing explains, located exactly.
        var off = Longs(c.Accumulation, c.AccumulationShape);
        off.Data[^1] += 1;
        var unexplained = QuantizedCheck.ConvInteger(x, w, c.XZeroPoint, c.WZeroPoint, off, null, c.Options);
        Assert.Equal(1, unexplained.MismatchCount);
        Assert.Equal(1, unexplained.MaxAbsoluteError);
        Assert.Null(unexplained.Mistake);
        Assert.Equal(c.AccumulationShape.Select(d => d - 1), unexplained.WorstIndex);
    }

    [Fact]
    public void QLinearConvNamesHalfAwayFromZeroRounding()
    {
        // x − x_zp = [1, 3, 5, 7], w = 1 (one tap), M = 0.5·1/1: products 0.5, 1.5, 2.5, 3.5 are all halves.
        var x = new Tensor<byte>([11, 13, 15, 17], 1, 1, 4);
        var w = new Tensor<sbyte>([1], 1, 1, 1);
        var even = QuantizedConvolution.QLinearConv<byte, sbyte, byte>(x, 0.5f, 10, w, [1f], [0], 1f, 0);
        Assert.Equal([0, 2, 2, 4], even.Output.Data.Select(v => (int)v));
        var right = QuantizedCheck.QLinearConv(x, 0.5f, 10, w, [1f], [0], 1f, 0, even.Output);
        Assert.True(right.Agree);
        var awayFromZero = new Tensor<byte>([1, 2, 3, 4], 1, 1, 4);
        var wrong = QuantizedCheck.QLinearConv(x, 0.5f, 10, w, [1f], [0], 1f, 0, awayFromZero);
        Assert.Equal("requantize-rounding", wrong.Mistake?.Id);
        Assert.Equal(2, wrong.MismatchCount);
        // Ignoring x's zero point: (x)·0.5 = 5.5, 6.5, 7.5, 8.5 → 6, 6, 8, 8.
        var ignored = QuantizedCheck.QLinearConv(x, 0.5f, 10, w, [1f], [0], 1f, 0, new Tensor<byte>([6, 6, 8, 8], 1, 1, 4));
        Assert.Equal("zero-point-ignored", ignored.Mistake?.Id);
    }

    [Fact]
    public void TheQuantizedMistakesAreNotTriedOnFloatPasses()
    {
        foreach (var m in ConvolutionMistake.Quantized)
            Assert.All(Enum.GetValues<CheckedOperation>(), op => Assert.False(m.AppliesTo(op)));
        Assert.DoesNotContain(ConvolutionMistake.All, m => m.Id is "zero-point-ignored" or "requantize-rounding");
    }

    [Fact]
    public void AnExactCheckRefusesSumsFloat64CannotHoldExactly()
    {
        var x = new Tensor<double>([1L << 30, 1L << 30], 1, 1, 2);
        var w = new Tensor<double>([1L << 30, 1L << 30], 1, 1, 2);
        var claimed = new Tensor<double>([(double)(1L << 61)], 1, 1, 1);
        var e = Assert.Throws<ArgumentException>(() => ConvolutionCheck.Conv(x, w, null, claimed, tolerance: 0));
        Assert.Contains("2^53", e.Message);
        var small = ConvolutionCheck.Conv(new Tensor<double>([3, 4], 1, 1, 2), new Tensor<double>([5, 6], 1, 1, 2), null, new Tensor<double>([39], 1, 1, 1), tolerance: 0);
        Assert.True(small.Agree);
        var offByOne = ConvolutionCheck.Conv(new Tensor<double>([3, 4], 1, 1, 2), new Tensor<double>([5, 6], 1, 1, 2), null, new Tensor<double>([40], 1, 1, 1), tolerance: 0);
        Assert.False(offByOne.Agree);
    }
}
