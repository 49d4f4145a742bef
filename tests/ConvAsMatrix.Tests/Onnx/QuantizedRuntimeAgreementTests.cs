using ConvAsMatrix.Onnx;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// ONNX Runtime 1.31.1's ConvInteger and QLinearConv (CPU) against the exact integer result, element by element with no
/// tolerance: every element-type combination (u8u8, u8s8, s8s8, s8u8), zero points per tensor and per channel, 1-D to
/// 3-D, pads, strides, dilations, groups (depthwise included), auto_pad. What ONNX Runtime does is predicted per layer,
/// before it runs, and the test fails if the prediction is wrong in either direction:
/// <list type="bullet">
/// <item>ConvInteger with a per-channel w_zero_point: refused at run time ("Non per-tensor quantization is not supported now").</item>
/// <item>QLinearConv with int8 x and uint8 w: no kernel ("Could not find an implementation").</item>
/// <item>Where MLAS multiplies a uint8 operand by an int8 one with AVX2's vpmaddubsw — QLinearConv u8s8 (x by w, pairs of
/// channels at one tap) and ConvInteger s8u8 (w by x, pairs of taps in one channel) — the output equals
/// <see cref="PairwiseSaturation"/>'s, so it differs from the exact result exactly where a pair of products leaves int16.</item>
/// <item>Everything else: exactly equal.</item>
/// </list>
/// </summary>
public class QuantizedRuntimeAgreementTests(ITestOutputHelper output)
{
    private static readonly (int[] In, int[] W, int[]? Pads, int[]? Strides, int[]? Dilations, int Group, string? AutoPad)[] Geometries =
    [
        ([2, 4, 6, 6], [3, 4, 3, 3], [1, 1, 1, 1], null, null, 1, null),
        ([1, 4, 7, 7], [4, 2, 3, 3], [0, 1, 2, 1], [2, 1], [1, 2], 2, null),
        ([1, 4, 6, 5], [4, 1, 3, 3], null, [1, 2], null, 4, "SAME_UPPER"),
        ([1, 6, 9], [3, 6, 3], [1, 2], [2], null, 1, null),
        ([1, 4, 11], [2, 4, 2], null, null, [3], 1, "VALID"),
        ([1, 4, 4, 4, 4], [2, 4, 2, 2, 2], [1, 0, 0, 0, 1, 1], null, null, 1, null),
        ([1, 4, 5, 4, 5], [4, 2, 2, 3, 2], null, [2, 1, 2], [1, 1, 2], 2, null),
    ];

    private static readonly (bool X, bool W)[] Types = [(false, false), (false, true), (true, true), (true, false)];

    public static TheoryData<string, bool> Cases() => new() { { "ConvInteger", false }, { "ConvInteger", true }, { "QLinearConv", false }, { "QLinearConv", true } };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryLayerIsExactOrDiffersAsPredicted(string op, bool perChannel)
    {
        var tally = new Dictionary<string, int>();
        int seed = 0;
        foreach (var (xSigned, wSigned) in Types)
            foreach (var g in Geometries)
            {
                var spec = new QuantSpec(op, g.In, g.W, xSigned, wSigned, xSigned, perChannel, true, g.Pads, g.Strides, g.Dilations, g.Group, g.AutoPad);
                var outcome = Run(spec, ++seed);
                output.WriteLine($"{spec}: {outcome}");
                tally[outcome.Split(':')[0]] = tally.GetValueOrDefault(outcome.Split(':')[0]) + 1;
            }
        output.WriteLine(string.Join(", ", tally.Select(p => $"{p.Key} {p.Value}")));
    }

    /// <summary>Runs one layer and checks ONNX Runtime's outcome against the prediction; returns it as a line.</summary>
    internal static string Run(QuantSpec spec, int seed)
    {
        var model = OnnxBuilder.Load(QuantizedOnnxBuilder.Branches([spec], seed));
        var x = QuantizedOnnxBuilder.Input(QuantizedOnnxBuilder.RandomIntegers(spec.InputShape, spec.XSigned, new Random(seed)), spec.XSigned);
        bool refusedAtRun = spec.Op == "ConvInteger" && spec.PerChannel;
        bool noKernel = spec.Op == "QLinearConv" && spec.XSigned && !spec.WSigned;
        IReadOnlyList<LayerActivation> activations;
        try
        {
            activations = OnnxRuntimeProbe.Run(model, [x]);
        }
        catch (ArgumentException e) when (refusedAtRun)
        {
            Assert.Contains("Non per-tensor quantization is not supported now", e.Message);
            return "refused: per-channel w_zero_point";
        }
        catch (FileFormatException e) when (noKernel)
        {
            Assert.Contains("Could not find an implementation for QLinearConv", e.Message);
            return "refused: no s8u8 kernel";
        }
        Assert.False(refusedAtRun || noKernel, $"{spec}: ONNX Runtime ran it");
        var layer = Assert.Single(activations);
        // Per channel means distinct zero points here (ONNX Runtime's QLinearConv source once required them equal).
        if (spec.PerChannel) Assert.True(layer.Layer.Quantization!.WeightZeroPoint.Distinct().Count() > 1);
        var r = OnnxVerification.Compare(layer);
        Assert.Null(r.ShapeProblem);
        PairwiseSaturation.Order? pairing = (spec.Op, spec.XSigned, spec.WSigned) switch
        {
            ("QLinearConv", false, true) => PairwiseSaturation.Order.TapThenChannel,
            ("ConvInteger", true, false) => PairwiseSaturation.Order.ChannelThenTap,
            _ => null,
        };
        if (pairing is not { } order)
        {
            Assert.True(r.Agrees, $"{spec}: {r.DifferingElements} elements differ, largest {r.MaxAbsError}; {r.Finding}");
            return "exact";
        }
        // The prediction: ONNX Runtime returns the saturated-pairs result, requantized; it differs where that does.
        var geometry = r.Geometry!;
        var q = layer.Layer.Quantization!;
        var saturated = PairwiseSaturation.Accumulate(geometry, layer.InputValues.ToInt64().Data, q, order);
        var exact = QuantizedReference.Compute(layer.Layer, layer.InputValues);
        int plane = saturated.Length / (geometry.Batch * geometry.OutChannels);
        var predicted = exact.Multipliers is { } m
            ? saturated.Select((acc, i) => QuantizedReference.Requantize(acc, m[i / plane % geometry.OutChannels], q.OutputZeroPoint!.Value, q.OutputType)).ToArray()
            : saturated;
        Assert.Equal(predicted, layer.OutputValues.ToInt64().Data);
        long expectedDiffering = predicted.Where((v, i) => v != exact.Output[i]).LongCount();
        Assert.Equal(expectedDiffering, r.DifferingElements);
        if (expectedDiffering == 0) return "exact (no pair saturated)";
        // (With one channel per group, or one tap, both orders pair the same products and both are named.)
        Assert.Matches($"reproduced exactly by .*int16 saturation of adjacent u8·s8 products in {(order == PairwiseSaturation.Order.TapThenChannel ? @"\(tap, channel\)" : @"\(channel, tap\)")} order", r.Finding);
        // QLinearConv hides its accumulation, yet the output shows it differs: some element is no rounding of the exact one.
        Assert.Matches(exact.Multipliers is null ? "the accumulation differs" : $@"of the {r.DifferingElements} differing elements, [1-9]\d* are no rounding of the exact accumulation", r.Finding);
        return $"saturated: {r.DifferingElements} of {predicted.Length} differ, largest {r.MaxAbsError}, reproduced";
    }
}
