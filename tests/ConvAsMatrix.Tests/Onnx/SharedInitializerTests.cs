using ConvAsMatrix.Fuzz;
using ConvAsMatrix.Onnx;
using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// Many nodes reading one initializer (tied weights): the layers share its converted values, so what the reader allocates
/// grows with the model's bytes, not with nodes × weight (a fuzzing find: 400 nodes of a 19 KB model had allocated 9 MB).
/// </summary>
public class SharedInitializerTests
{
    /// <summary>One 16→16 3×3 weight and <paramref name="nodes"/> nodes reading it (float Conv, or QLinearConv with one set of quantization constants).</summary>
    internal static ModelProto Tied(string op, int nodes, int channels = 16)
    {
        var random = new Random(3);
        GraphProto graph;
        if (op == "Conv")
        {
            graph = new GraphProto { Name = "tied" };
            graph.Input.Add(OnnxBuilder.Value("x", [1, channels, 8, 8]));
            graph.Initializer.Add(OnnxBuilder.Floats("w", [channels, channels, 3, 3], random));
            graph.Initializer.Add(OnnxBuilder.Floats("b", [channels], random));
            for (int i = 0; i < nodes; i++)
                graph.Node.Add(new NodeProto { OpType = "Conv", Name = $"n{i}", Input = { "x", "w", "b" }, Output = { $"y{i}" } });
        }
        else
        {
            var spec = new QuantSpec("QLinearConv", [1, channels, 8, 8], [channels, channels, 3, 3], PerChannel: true);
            graph = QuantizedOnnxBuilder.Branches([spec], seed: 3).Graph;
            var first = graph.Node[0];
            for (int i = 1; i < nodes; i++)
            {
                var node = first.Clone();
                node.Name = $"n{i}";
                node.Output[0] = $"y{i}";
                graph.Node.Add(node);
            }
        }
        return OnnxBuilder.Model(graph);
    }

    [Theory]
    [InlineData("Conv")]
    [InlineData("QLinearConv")]
    public void LayersReadingOneInitializerShareItsValues(string op)
    {
        var model = OnnxModel.Read(Tied(op, 5).ToByteArray(), null);
        Assert.Equal(5, model.Layers.Count);
        foreach (var layer in model.Layers.Skip(1))
        {
            Assert.Same(model.Layers[0].Weight, layer.Weight);
            Assert.Same(model.Layers[0].Bias, layer.Bias);
        }
        // The shared values are the ones a single node gets.
        var alone = Assert.Single(OnnxModel.Read(Tied(op, 1).ToByteArray(), null).Layers);
        Assert.Equal(alone.Weight.Data, model.Layers[4].Weight.Data);
        Assert.Equal(alone.Bias, model.Layers[4].Bias);
    }

    [Theory]
    [InlineData("Conv")]
    [InlineData("QLinearConv")]
    public void AllocationDoesNotGrowWithNodesTimesWeight(string op)
    {
        // A 64-channel weight (36,864 values: 295 KB as doubles) and 400 nodes of about 25 bytes: converting it per node
        // would allocate over 100 MB; the fuzz target's bound (linear in the model's bytes and its layers) must hold.
        var bytes = Tied(op, 400, channels: 64).ToByteArray();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var model = FuzzTargets.Get("onnx").Check(bytes);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(400, Assert.IsType<OnnxModel>(model).Layers.Count);
        Assert.InRange(allocated, 0, 10L * bytes.Length + (4 << 20));
    }
}
