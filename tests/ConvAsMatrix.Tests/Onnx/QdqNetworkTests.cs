using ConvAsMatrix.Onnx;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>The QDQ network (<see cref="QdqNetwork"/>) read as three quantized layers and verified against ONNX Runtime, layer by layer.</summary>
public class QdqNetworkTests(ITestOutputHelper output)
{
    [Fact]
    public void ReadsEachDequantizeConvQuantizeAsOneQuantizedLayer()
    {
        var model = OnnxBuilder.Load(QdqNetwork.Build());
        Assert.Equal(QdqNetwork.LayerNames, model.Layers.Select(l => l.Name));
        Assert.All(model.Layers, l => Assert.Equal(OnnxConvOp.QdqConv, l.Op));
        var (a, b, c) = (model.Layers[0], model.Layers[1], model.Layers[2]);
        Assert.Equal(("xq", "aq", "conv_a_w", "conv_a_b"), (a.InputName, a.OutputName, a.WeightName, a.BiasName));
        Assert.Equal(("u8s8->u8", "per-channel", 8), (a.Quantization!.TypeText, a.Quantization.WeightGranularity, a.Quantization.WeightScale!.Count));
        Assert.Equal(("u8s8->s8", "per-tensor", -3), (b.Quantization!.TypeText, b.Quantization.WeightGranularity, b.Quantization.OutputZeroPoint));
        Assert.Equal(("s8s8->s8", (string?)null), (c.Quantization!.TypeText, c.BiasName));
        Assert.Equal(1f / 128, a.Quantization.InputScale);
        Assert.Equal(128, a.Quantization.InputZeroPoint);
        // The dequantized weight: (w − w_zp)·w_scale[m].
        Assert.Equal(a.Quantization.Weight.Data[40] * (double)a.Quantization.WeightScale[1], a.Weight.Data[40]);
        Assert.Equal(a.Quantization.Bias![2] * (double)a.Quantization.InputScale!.Value * a.Quantization.WeightScale[2], a.Bias![2]);
    }

    [Fact]
    public void EveryLayerAgreesWithOnnxRuntimeOrItsDifferenceIsReproduced()
    {
        var model = OnnxBuilder.Load(QdqNetwork.Build());
        var outcomes = new List<string>();
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var image = OnnxBuilder.RandomTensor([1, 4, 8, 8], new Random(seed));
            foreach (var activation in OnnxRuntimeProbe.Run(model, [image]))
            {
                var r = OnnxVerification.Compare(activation);
                var values = activation.OutputValues.ToInt64().Data;
                var line = $"seed {seed} {activation.Layer.Name} {activation.Layer.Quantization!.TypeText} {string.Join("x", r.InputShape)} -> {string.Join("x", r.OutputShape)} (outputs {values.Min()}..{values.Max()}, {values.Distinct().Count()} values): " +
                    (r.Agrees ? "exact, agrees" : $"{r.DifferingElements} differ, largest {r.MaxAbsError} steps; {r.Finding}");
                output.WriteLine(line);
                outcomes.Add(line);
                Assert.Null(r.ShapeProblem);
                // A meaningful layer: its outputs spread over many values, not pinned at the saturation bounds.
                Assert.True(values.Distinct().Count() >= 8, line);
                // conv_a's weights stay within ±63 (reduce_range): no pair of products can leave int16, so it must be exact.
                if (activation.Layer.Name != "conv_b") Assert.True(r.Agrees, line);
                else Assert.True(r.Agrees || r.Finding!.Contains("reproduced exactly by int16 saturation of adjacent u8·s8 products in (tap, channel) order", StringComparison.Ordinal), line);
            }
        }
        Assert.Equal(9, outcomes.Count);
    }
}
