using ConvAsMatrix.Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// The requantization side of a quantized layer's diagnosis, which ONNX Runtime 1.31.1 never exercised on this CPU (it
/// only saturated): engine outputs made here by another rounding rule or other multipliers, computed independently of
/// the library, must be located at requantization and reproduced by the matching candidate, and by no other.
/// </summary>
public class MismatchCausesTests
{
    /// <summary>A 1×1 QLinearConv, one channel, uint8: acc = x·w (zero points 0), y = round(acc·M), M = x_scale·w_scale/y_scale.</summary>
    private static (OnnxConvLayer Layer, NpyArray Input, long[] Acc) Layer(float xScale, float wScale, float yScale, long weight)
    {
        var spec = new QuantSpec("QLinearConv", [1, 1, 16, 16], [1, 1, 1, 1], WSigned: false, Bias: false);
        var proto = QuantizedOnnxBuilder.Branches([spec], 1, (_, _, _) => new Tensor<long>([weight], 1, 1, 1, 1));
        var init = proto.Graph.Initializer;
        void Set(global::Onnx.TensorProto t) => init[init.IndexOf(init.Single(i => i.Name == t.Name))] = t;
        Set(QuantizedOnnxBuilder.Integers("q0_x_zp", QuantizedOnnxBuilder.UInt8, [], [0]));
        Set(QuantizedOnnxBuilder.Integers("q0_w_zp", QuantizedOnnxBuilder.UInt8, [], [0]));
        Set(QuantizedOnnxBuilder.Integers("q0_y_zp", QuantizedOnnxBuilder.UInt8, [], [0]));
        Set(OnnxBuilder.FloatsOf("q0_x_scale", [], [xScale]));
        Set(OnnxBuilder.FloatsOf("q0_w_scale", [], [wScale]));
        Set(OnnxBuilder.FloatsOf("q0_y_scale", [], [yScale]));
        var layer = Assert.Single(OnnxBuilder.Load(proto).Layers);
        var x = Enumerable.Range(0, 256).Select(i => (long)i).ToArray();
        return (layer, NpyArray.Narrow(new Tensor<long>(x, 1, 1, 16, 16), NpyDataType.UInt8), x.Select(v => v * weight).ToArray());
    }

    private static LayerComparison Compare(OnnxConvLayer layer, NpyArray input, long[] engine) =>
        OnnxVerification.Compare(new LayerActivation(layer, input, NpyArray.Narrow(new Tensor<long>(engine, 1, 1, 16, 16), NpyDataType.UInt8)));

    [Fact]
    public void HalfAwayFromZeroIsLocatedAtTheTiesAndReproduced()
    {
        // M = 0.5: every odd accumulation is a tie; half to even and half away from zero part there.
        var (layer, input, acc) = Layer(1f, 0.5f, 1f, 1);
        var engine = acc.Select(a => Math.Min(255, (long)Math.Round(a * 0.5, MidpointRounding.AwayFromZero))).ToArray();
        var r = Compare(layer, input, engine);
        Assert.False(r.Agrees);
        Assert.Equal(64, r.DifferingElements); // the ties k + 0.5 with k even: accumulations 1, 5, 9, …, 253
        Assert.Equal(1, r.MaxAbsError);
        Assert.Contains("of the 64 differing elements, 0 are no rounding of the exact accumulation (the accumulation differs) and 64 are within one rounding of it (requantization, 64 of them at a tie x.5)", r.Finding);
        Assert.Contains("reproduced exactly by rounding half away from zero", r.Finding);
        Assert.DoesNotContain("float64", r.Finding!.Split("reproduced exactly by")[1]);
    }

    [Fact]
    public void Float64MultipliersAreReproducedWhereFloat32RoundingCrossesAHalf()
    {
        // Search scales (deterministically) until float32's M·acc and float64's round differently somewhere.
        var random = new Random(7);
        for (int trial = 0; trial < 5000; trial++)
        {
            // M near 1, so the 256 accumulations 0…255 spread over the whole uint8 range.
            float xs = 0.5f + 0.5f * random.NextSingle(), ws = 0.5f + 0.5f * random.NextSingle(), ys = 0.5f + 0.5f * random.NextSingle();
            double m64 = (double)xs * ws / ys;
            float m32 = xs * ws / ys;
            const long w = 1;
            var acc = Enumerable.Range(0, 256).Select(i => i * w).ToArray();
            var f32 = acc.Select(a => Math.Clamp((long)MathF.Round((float)a * m32, MidpointRounding.ToEven), 0, 255)).ToArray();
            var f64 = acc.Select(a => Math.Clamp((long)Math.Round(a * m64, MidpointRounding.ToEven), 0, 255)).ToArray();
            if (f32.SequenceEqual(f64)) continue;
            var (layer, input, _) = Layer(xs, ws, ys, w);
            var r = Compare(layer, input, f64);
            Assert.Equal(f32.Zip(f64).Count(p => p.First != p.Second), r.DifferingElements);
            Assert.Contains("0 are no rounding of the exact accumulation", r.Finding);
            Assert.Contains("reproduced exactly by float64 multipliers and product (as ONNX's reference implementation)", r.Finding);
            return;
        }
        Assert.Fail("no scales found where float32 and float64 requantization differ");
    }

    [Fact]
    public void AnUnexplainedDifferenceSaysNoCandidateReproducesIt()
    {
        var (layer, input, acc) = Layer(1f, 0.5f, 1f, 1);
        var engine = acc.Select(a => Math.Min(255, (long)Math.Round(a * 0.5, MidpointRounding.ToEven))).ToArray();
        engine[100] += 7;
        var r = Compare(layer, input, engine);
        Assert.Equal(1, r.DifferingElements);
        Assert.Contains("1 are no rounding of the exact accumulation", r.Finding);
        Assert.Contains("not reproduced by float64 multipliers and product (as ONNX's reference implementation) (1 still differ), rounding half away from zero (", r.Finding);
    }
}
