using ConvAsMatrix.Onnx;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// What two ONNX Runtime session settings do to the quantized layers on this CPU: the x64 quantization precision option
/// (<c>session.x64quantprecision</c>, meant to avoid the u8s8 saturation on x64 without VNNI) on the saturating layer, and
/// running the QDQ network unfused (optimization off: DequantizeLinear, a float32 Conv, QuantizeLinear).
/// </summary>
public class OnnxRuntimeSessionOptionTests(ITestOutputHelper output)
{
    [Fact]
    public void X64QuantPrecisionOnTheSaturatingU8S8Layer()
    {
        var model = OnnxBuilder.Load(QuantizedAdversarialTests.Proto("QLinearConv", false, true, QuantizedAdversarialTests.Weight(127, -128), 0.01f));
        var x = NpyArray.From(new Tensor<byte>(Enumerable.Repeat((byte)255, 100).ToArray(), 1, 4, 5, 5));
        var plain = OnnxVerification.Compare(OnnxRuntimeProbe.Run(model, [x], null)[0]);
        var precise = OnnxVerification.Compare(OnnxRuntimeProbe.Run(model, [x], o => o.AddSessionConfigEntry("session.x64quantprecision", "1"))[0]);
        output.WriteLine($"default: {plain.DifferingElements} differ; session.x64quantprecision=1: {(precise.Agrees ? "agrees" : $"{precise.DifferingElements} differ; {precise.Finding}")}");
        Assert.Equal(50, plain.DifferingElements);
        Assert.True(precise.Agrees, precise.Finding);
    }

    [Fact]
    public void X64QuantPrecisionOnTheSaturatingS8U8ConvInteger()
    {
        var model = OnnxBuilder.Load(QuantizedAdversarialTests.Proto("ConvInteger", true, false, QuantizedAdversarialTests.Weight(255, 0), 0.01f));
        var x = NpyArray.From(new Tensor<sbyte>(Enumerable.Repeat((sbyte)-128, 100).ToArray(), 1, 4, 5, 5));
        var precise = OnnxVerification.Compare(OnnxRuntimeProbe.Run(model, [x], o => o.AddSessionConfigEntry("session.x64quantprecision", "1"))[0]);
        output.WriteLine($"ConvInteger s8u8, session.x64quantprecision=1: {(precise.Agrees ? "agrees" : $"{precise.DifferingElements} differ; {precise.Finding}")}");
        Assert.Equal(50, precise.DifferingElements);
        Assert.Contains("reproduced exactly by int16 saturation of adjacent u8·s8 products in (channel, tap) order", precise.Finding);
    }

    [Fact]
    public void TheQdqNetworkUnfused()
    {
        var model = OnnxBuilder.Load(QdqNetwork.Build());
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var image = new NpyArray(OnnxBuilder.RandomTensor([1, 4, 8, 8], new Random(seed)));
            foreach (var a in OnnxRuntimeProbe.Run(model, [image], o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL))
            {
                var r = OnnxVerification.Compare(a);
                output.WriteLine($"seed {seed} {a.Layer.Name}: {(r.Agrees ? "agrees" : $"{r.DifferingElements} differ, largest {r.MaxAbsError}; {r.Finding}")}");
                // Measured: DequantizeLinear, a float32 Conv and QuantizeLinear give the exact result on these inputs too.
                Assert.True(r.Agrees, r.Finding);
            }
        }
    }
}
