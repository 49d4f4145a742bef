using ConvAsMatrix.Onnx;
using Google.Protobuf;
using Onnx;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// Inputs and weights chosen so that two adjacent uint8·int8 products leave int16 (255·127·2 = 64770 > 32767,
/// 255·(−128)·2 = −65280 < −32768), and what ONNX Runtime 1.31.1 does with them on this CPU (AMD EPYC Zen 3: AVX2, no
/// AVX-VNNI, no AVX-512, so MLAS's x64 platform picks MlasGemmU8S8DispatchAvx2, whose kernel sums adjacent products with
/// vpmaddubsw, and MlasConvSymDispatchAvx2). Pinned either way: where ONNX Runtime saturates, its output equals the
/// saturated-pairs model to the element and the exact result differs; where it does not, it equals the exact result.
/// </summary>
/// <remarks>
/// The layer: x (1, 4, 5, 5) all 255 (or its int8 counterpart), zero points 0, pads 1; w (2, 4, 3, 3) with input
/// channels 0 and 1 at +127 and channels 2 and 3 at −128, so the exact sum at an interior output is 9·255·(127 + 127 −
/// 128 − 128) = −4590, small, while each pair of channels at one tap saturates: (tap, channel) pairing gives 9·(32767 −
/// 32768) = −9. Padding (x = 0) breaks pairs at the border, where the (channel, tap) pairing differs from the (tap,
/// channel) one: the two orders are told apart.
/// </remarks>
public class QuantizedAdversarialTests(ITestOutputHelper output)
{
    private static readonly int[] InputShape = [1, 4, 5, 5], WeightShape = [2, 4, 3, 3];

    internal static Tensor<long> Weight(long positive, long negative) =>
        new(Enumerable.Range(0, 72).Select(i => i / 9 % 4 < 2 ? positive : negative).ToArray(), WeightShape);

    /// <summary>A one-layer model with the given weight, zero points 0, x_scale 1, w_scale (0.01 unless given), y_scale 1, y_zero_point 128 (uint8) or 0 (int8), no bias.</summary>
    private static OnnxModel Model(string op, bool xSigned, bool wSigned, Tensor<long> weight, float wScale) => OnnxBuilder.Load(Proto(op, xSigned, wSigned, weight, wScale));

    internal static ModelProto Proto(string op, bool xSigned, bool wSigned, Tensor<long> weight, float wScale)
    {
        var spec = new QuantSpec(op, InputShape, WeightShape, xSigned, wSigned, xSigned, Bias: false, Pads: [1, 1, 1, 1]);
        var proto = QuantizedOnnxBuilder.Branches([spec], 1, (_, _, _) => weight);
        Set(proto, "q0_x_zp", QuantizedOnnxBuilder.Integers("q0_x_zp", xSigned ? QuantizedOnnxBuilder.Int8 : QuantizedOnnxBuilder.UInt8, [], [0]));
        Set(proto, "q0_w_zp", QuantizedOnnxBuilder.Integers("q0_w_zp", wSigned ? QuantizedOnnxBuilder.Int8 : QuantizedOnnxBuilder.UInt8, [], [0]));
        if (op == "QLinearConv")
        {
            Set(proto, "q0_x_scale", OnnxBuilder.FloatsOf("q0_x_scale", [], [1f]));
            Set(proto, "q0_w_scale", OnnxBuilder.FloatsOf("q0_w_scale", [], [wScale]));
            Set(proto, "q0_y_scale", OnnxBuilder.FloatsOf("q0_y_scale", [], [1f]));
            Set(proto, "q0_y_zp", QuantizedOnnxBuilder.Integers("q0_y_zp", xSigned ? QuantizedOnnxBuilder.Int8 : QuantizedOnnxBuilder.UInt8, [], [xSigned ? 0 : 128]));
        }
        return proto;
    }

    private static void Set(ModelProto proto, string name, TensorProto value)
    {
        var list = proto.Graph.Initializer;
        list[list.IndexOf(list.Single(t => t.Name == name))] = value;
    }

    private (LayerComparison Result, long[] Actual, long[] Exact, long[] TapThenChannel, long[] ChannelThenTap) Run(string op, bool xSigned, bool wSigned, long x, Tensor<long> weight, float wScale = 0.01f)
    {
        var model = Model(op, xSigned, wSigned, weight, wScale);
        var input = QuantizedOnnxBuilder.Input(new Tensor<long>(Enumerable.Repeat(x, 100).ToArray(), InputShape), xSigned);
        var activation = Assert.Single(OnnxRuntimeProbe.Run(model, [input]));
        var r = OnnxVerification.Compare(activation);
        var q = activation.Layer.Quantization!;
        var exact = QuantizedReference.Compute(activation.Layer, activation.InputValues);
        long[] Saturated(PairwiseSaturation.Order order)
        {
            var acc = PairwiseSaturation.Accumulate(r.Geometry!, activation.InputValues.ToInt64().Data, q, order);
            return exact.Multipliers is { } m ? acc.Select(a => QuantizedReference.Requantize(a, m[0], q.OutputZeroPoint!.Value, q.OutputType)).ToArray() : acc;
        }
        var actual = activation.OutputValues.ToInt64().Data;
        output.WriteLine($"{op} {q.TypeText} x={x}: ONNX Runtime [{string.Join(" ", actual.Take(10))} …], exact [{string.Join(" ", exact.Output.Take(10))} …]; {(r.Agrees ? "agrees" : $"{r.DifferingElements} differ, largest {r.MaxAbsError}; {r.Finding}")}");
        return (r, actual, exact.Output, Saturated(PairwiseSaturation.Order.TapThenChannel), Saturated(PairwiseSaturation.Order.ChannelThenTap));
    }

    [Fact]
    public void QLinearConvU8S8SaturatesAdjacentChannelProductsToInt16()
    {
        var (r, actual, exact, tapThenChannel, channelThenTap) = Run("QLinearConv", false, true, 255, Weight(127, -128));
        // Interior: exact −4590·0.01 = −45.9 → −46 + 128 = 82; ONNX Runtime −9·0.01 → 0 + 128 = 128.
        // Top-left corner (4 taps): exact −2040·0.01 → −20 + 128 = 108; (tap, channel) pairs −4·0.01 → 128; (channel, tap) pairs −1022·0.01 → 118.
        Assert.Equal((82L, 108L), (exact[6], exact[0]));
        Assert.Equal((128L, 128L), (actual[6], actual[0]));
        Assert.Equal(118L, channelThenTap[0]);
        Assert.Equal(tapThenChannel, actual);
        Assert.NotEqual(channelThenTap, actual);
        Assert.Equal(50, r.DifferingElements);
        Assert.Equal(46, r.MaxAbsError);
        Assert.Contains("of the 50 differing elements, 50 are no rounding of the exact accumulation (the accumulation differs)", r.Finding);
        Assert.Contains("reproduced exactly by int16 saturation of adjacent u8·s8 products in (tap, channel) order (vpmaddubsw)", r.Finding);
        Assert.DoesNotContain("(channel, tap) order (vpmaddubsw)", r.Finding!.Split("reproduced exactly by")[1].Split(';')[0]);
    }

    [Fact]
    public void ConvIntegerS8U8SaturatesAdjacentTapProducts()
    {
        // x = −128 (int8), w = 255 or 0 (uint8): MLAS's A operand is w (uint8), B is x (int8), pairs along the NCHW im2col (channel, tap).
        var (r, actual, exact, tapThenChannel, channelThenTap) = Run("ConvInteger", true, false, -128, Weight(255, 0));
        Assert.Equal(-128L * 255 * 2 * 9, exact[6]);
        Assert.Equal(channelThenTap, actual);
        Assert.NotEqual(tapThenChannel, actual);
        Assert.NotEqual(exact, actual);
        Assert.Contains("ConvInteger's output is its accumulation: the accumulation differs", r.Finding);
        Assert.Contains("reproduced exactly by int16 saturation of adjacent u8·s8 products in (channel, tap) order", r.Finding);
    }

    [Theory]
    [InlineData("ConvInteger", false, true, 255L, 127L, -128L)]   // u8s8: MLAS takes w (int8) as A and x as B: no vpmaddubsw on them
    [InlineData("ConvInteger", true, true, -128L, -128L, 127L)]   // s8s8: (−128)·(−128)·2 = 32768 would leave int16
    [InlineData("ConvInteger", false, false, 255L, 255L, 0L)]     // u8u8: widened to 16 bits, vpmaddwd
    [InlineData("QLinearConv", true, true, 127L, 127L, -128L)]    // s8s8 QLinearConv
    [InlineData("QLinearConv", true, true, -128L, -128L, 127L)]
    [InlineData("QLinearConv", false, false, 255L, 255L, 0L, 1e-4f)] // u8u8 QLinearConv; w_scale small so y stays below 255
    public void TheOtherTypeCombinationsStayExactOnTheSameInputs(string op, bool xSigned, bool wSigned, long x, long positive, long negative, float wScale = 0.01f)
    {
        var (r, actual, exact, _, _) = Run(op, xSigned, wSigned, x, Weight(positive, negative), wScale);
        Assert.DoesNotContain(exact, y => y is 255 or 127 or -128); // no output saturated, so nothing is masked
        Assert.True(r.Agrees, r.Finding);
        Assert.Equal(exact, actual);
    }
}
