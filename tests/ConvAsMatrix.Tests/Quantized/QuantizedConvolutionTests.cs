namespace ConvAsMatrix.Tests.Quantized;

/// <summary>Requantization's rounding and saturation, and the refusals of bad quantization parameters.</summary>
public class QuantizedConvolutionTests
{
    [Theory]
    [InlineData(5L, 0.5f, 0, 2)]      // 2.5 rounds to the even 2, not 3 (half away from zero)
    [InlineData(7L, 0.5f, 0, 4)]      // 3.5 → 4
    [InlineData(-5L, 0.5f, 0, -2)]    // −2.5 → −2
    [InlineData(-5L, 0.5f, 10, 8)]    // then the zero point
    [InlineData(1000L, 1f, 0, 127)]   // saturates high
    [InlineData(-1000L, 1f, 0, -128)] // and low
    [InlineData(300L, 1f, -200, 100)] // the zero point is added before saturating
    public void RequantizeRoundsHalfToEvenThenSaturates(long accumulation, float multiplier, int zeroPoint, int expected)
    {
        Assert.Equal((sbyte)expected, QuantizedConvolution.Requantize<sbyte>(accumulation, multiplier, zeroPoint));
    }

    [Fact]
    public void FloatOfTheAccumulationRoundsFirstAsMlasDoes()
    {
        // M = 254.5 / 2^24 (a float32). Exactly, (2^24 + 1)·M = 254.5000152 would round up to 255; but 2^24 + 1 is not a
        // float32, float(acc) = 2^24, the product is 254.5 exactly and rounds half to even: 254.
        float m = 509f / (1 << 25);
        Assert.Equal((byte)254, QuantizedConvolution.Requantize<byte>((1 << 24) + 1, m, 0));
        // 2^23 + 1 is a float32: there the product is above the half and rounds up.
        Assert.Equal((byte)255, QuantizedConvolution.Requantize<byte>((1 << 23) + 1, 2 * m, 0));
    }

    [Fact]
    public void PaddingPadsTheInputWithItsZeroPoint()
    {
        // 1×1×1 input 7 with zero point 7, padded by 1: every output reads x − x_zp = 0, whatever the weight.
        var x = new Tensor<byte>([7], 1, 1, 1);
        var w = new Tensor<sbyte>([1, 2, 3], 1, 1, 3);
        var acc = QuantizedConvolution.Accumulate(x, w, [7], [0], null, new ConvOptions { Padding = 1 });
        Assert.Equal([0L], acc.Data);
        acc = QuantizedConvolution.Accumulate(x, w, [0], [1], null, new ConvOptions { Padding = 1 });
        Assert.Equal([7L * (2 - 1)], acc.Data);
    }

    public static TheoryData<Action, string, string> BadParameters => new()
    {
        { () => QuantizedConvolution.Accumulate(new Tensor<byte>([1], 1, 1, 1), new Tensor<sbyte>([1], 1, 1, 1), [256], [0]), "x_zero_point", "256 is outside x's type range [0, 255]" },
        { () => QuantizedConvolution.Accumulate(new Tensor<byte>([1], 1, 1, 1), new Tensor<sbyte>([1], 1, 1, 1), [0], [-129]), "w_zero_point", "[-128, 127]" },
        { () => QuantizedConvolution.Accumulate(new Tensor<byte>([1, 1], 1, 1, 2), new Tensor<sbyte>([1, 1], 2, 1, 1), [0], [0, 0, 0]), "w_zero_point", "expected 1 (per tensor) or 2 (per output channel)" },
        { () => QuantizedConvolution.Accumulate(new Tensor<short>([1], 1, 1, 1), new Tensor<sbyte>([1], 1, 1, 1), [0], [0]), "x", "uint8 (byte) or int8 (sbyte)" },
        { () => QuantizedConvolution.Accumulate(new Tensor<byte>([1], 1, 1, 1), new Tensor<sbyte>([1], 1, 1, 1), [0], [0], new Tensor<int>([1, 2], 2)), "B", "" },
        { () => QuantizedConvolution.QLinearConv<byte, sbyte, byte>(new Tensor<byte>([1], 1, 1, 1), 0f, 0, new Tensor<sbyte>([1], 1, 1, 1), [1f], [0], 1f, 0), "x_scale", "positive and finite" },
        { () => QuantizedConvolution.QLinearConv<byte, sbyte, byte>(new Tensor<byte>([1], 1, 1, 1), 1f, 0, new Tensor<sbyte>([1], 1, 1, 1), [float.NaN], [0], 1f, 0), "w_scale", "positive and finite" },
        { () => QuantizedConvolution.QLinearConv<byte, sbyte, byte>(new Tensor<byte>([1], 1, 1, 1), 1f, 0, new Tensor<sbyte>([1], 1, 1, 1), [1f, 1f], [0], 1f, 0), "w_scale", "expected 1 (per tensor) or 1 (per output channel)" },
        { () => QuantizedConvolution.QLinearConv<byte, sbyte, sbyte>(new Tensor<byte>([1], 1, 1, 1), 1f, 0, new Tensor<sbyte>([1], 1, 1, 1), [1f], [0], 1f, 128), "y_zero_point", "[-128, 127]" },
    };

    [Theory]
    [MemberData(nameof(BadParameters))]
    public void BadParametersAreRefusedByName(Action call, string parameter, string message)
    {
        var e = Assert.Throws<ArgumentException>(call);
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void ConvIntegerRefusesAnAccumulationBeyondInt32()
    {
        // 255·127 per tap over 70,000 taps ≈ 2.27e9 > 2^31 − 1: exact in Accumulate, refused as int32.
        int taps = 70_000;
        var x = new Tensor<byte>(Enumerable.Repeat((byte)255, taps).ToArray(), 1, taps, 1);
        var w = new Tensor<sbyte>(Enumerable.Repeat((sbyte)127, taps).ToArray(), 1, taps, 1);
        Assert.Equal(255L * 127 * taps, QuantizedConvolution.Accumulate(x, w, [0], [0]).Data[0]);
        var e = Assert.Throws<ArgumentException>(() => QuantizedConvolution.ConvInteger(x, w, [0], [0]));
        Assert.Contains("beyond int32", e.Message);
    }
}
