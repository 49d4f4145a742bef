using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// A small 2-D network of four conv layers with a dynamic batch and no value_info, so shapes come from ONNX
/// Runtime: image (N, 3, 8, 8) → conv_a (stride 2, pads 1) → Relu → conv_b (group 2, SAME_UPPER) → Add(skip) →
/// deconv (ConvTranspose, stride 2) → conv_c (1×1, no bias) → out (N, 2, 8, 8).
/// </summary>
public static class OnnxNetwork
{
    public static readonly string[] LayerNames = ["conv_a", "conv_b", "deconv", "conv_c"];

    public static ModelProto Build(int seed = 11)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "network" };
        graph.Input.Add(OnnxBuilder.Value("image", ["N", 3, 8, 8]));
        graph.Output.Add(OnnxBuilder.Value("out", (int[]?)null));
        OnnxBuilder.AddConv(graph, new ConvSpec("Conv", [1, 3, 8, 8], [8, 3, 3, 3], Pads: [1, 1, 1, 1], Strides: [2, 2]), "conv_a", "image", "a", "wa", "ba", random);
        graph.Node.Add(new NodeProto { OpType = "Relu", Name = "relu", Input = { "a" }, Output = { "r" } });
        OnnxBuilder.AddConv(graph, new ConvSpec("Conv", [1, 8, 4, 4], [8, 4, 3, 3], AutoPad: "SAME_UPPER", Group: 2), "conv_b", "r", "b", "wb", "bb", random);
        graph.Node.Add(new NodeProto { OpType = "Add", Name = "skip", Input = { "r", "b" }, Output = { "s" } });
        OnnxBuilder.AddConv(graph, new ConvSpec("ConvTranspose", [1, 8, 4, 4], [8, 4, 2, 2], Strides: [2, 2]), "deconv", "s", "d", "wd", "bd", random);
        OnnxBuilder.AddConv(graph, new ConvSpec("Conv", [1, 4, 8, 8], [2, 4, 1, 1], Bias: false), "conv_c", "d", "out", "wc", null, random);
        return OnnxBuilder.Model(graph);
    }

    /// <summary>Writes the network with every initializer's data in one external file (ONNX external data), at increasing offsets.</summary>
    public static void WriteWithExternalData(string modelPath, string dataName)
    {
        var proto = Build();
        using var data = new MemoryStream();
        foreach (var t in proto.Graph.Initializer)
        {
            long offset = data.Length;
            data.Write(t.RawData.Span);
            data.Write(new byte[3]); // unaligned offsets on purpose
            OnnxModelReadTests.External(t, dataName, offset);
        }
        File.WriteAllBytes(Path.Combine(Path.GetDirectoryName(modelPath)!, dataName), data.ToArray());
        File.WriteAllBytes(modelPath, proto.ToByteArray());
    }
}
