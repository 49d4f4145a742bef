using ConvAsMatrix.Onnx;
using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>The reader: what it finds in a model, and every kind of bad model throwing FileFormatException.</summary>
public class OnnxModelReadTests
{
    private static readonly ConvSpec Spec = new("Conv", [1, 2, 5, 5], [3, 2, 3, 3], Pads: [0, 1, 2, 1], Strides: [2, 1], Group: 1);

    internal static ModelProto OneLayer(ConvSpec spec) => OnnxBuilder.Branches([spec], seed: 7);

    [Fact]
    public void ReadsTheLayerWithItsAttributesAndInitializers()
    {
        var proto = OneLayer(Spec);
        var model = OnnxBuilder.Load(proto);
        var layer = Assert.Single(model.Layers);
        Assert.Equal(("n0", OnnxConvOp.Conv, "x0", "y0", "w0", "b0"), (layer.Name, layer.Op, layer.InputName, layer.OutputName, layer.WeightName, layer.BiasName));
        Assert.Equal([3, 2, 3, 3], layer.Weight.Shape);
        var raw = proto.Graph.Initializer[0].RawData.ToByteArray();
        Assert.Equal(BitConverter.ToSingle(raw, 4), layer.Weight.Data[1]);
        Assert.Equal(3, layer.Bias!.Length);
        Assert.Equal([0, 1, 2, 1], layer.Attributes.Pads!);
        Assert.Equal([1, 2, 5, 5], layer.DeclaredInputShape!.ToArray());
        var g = layer.Geometry([1, 2, 5, 5]);
        Assert.Equal([0, 1], g.PaddingBefore);
        Assert.Equal([2, 1], g.PaddingAfter);
        Assert.Equal([2, 1], g.Stride);
        Assert.Equal(18, layer.FanIn);
        var input = Assert.Single(model.Inputs);
        Assert.Equal("x0", input.Name);
        Assert.True(input.IsStatic);
    }

    [Fact]
    public void IdentityAndConstantNodesCountAsInitializers()
    {
        // torch.onnx.export shares equal initializers through Identity nodes (ResNet-18's zero biases).
        var proto = OneLayer(Spec);
        var graph = proto.Graph;
        var weight = graph.Initializer[0];
        graph.Initializer.RemoveAt(0);
        var constant = new NodeProto { OpType = "Constant", Output = { "w_const" } };
        constant.Attribute.Add(new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = weight });
        graph.Node.Insert(0, constant);
        graph.Node.Insert(1, new NodeProto { OpType = "Identity", Input = { "w_const" }, Output = { "w0" } });
        var layer = Assert.Single(OnnxBuilder.Load(proto).Layers);
        Assert.Equal([3, 2, 3, 3], layer.Weight.Shape);
    }

    public static TheoryData<string, string> BadModels => new()
    {
        { "garbage", "malformed or truncated protobuf" },
        { "truncated", "malformed or truncated protobuf" },
        { "empty", "empty file" },
        { "no-graph", "no graph" },
        { "weight-is-input", "weight 'w0' is not an initializer or constant (missing initializer)" },
        { "bias-missing", "bias 'b0' is not an initializer" },
        { "weight-data-short", "raw_data bytes, its shape needs 216" },
        { "weight-int64", "element type 7" },
        { "weight-rank-2", "has 2 dimensions" },
        { "bias-wrong-length", "has shape (4), the layer has 3 output channels" },
        { "bad-auto-pad", "auto_pad 'SAME'" },
        { "pads-count", "'pads' has 2 values, the weight's rank needs 4" },
        { "negative-stride", "strides[0] = -1" },
        { "kernel-shape", "kernel_shape (2, 2) differs" },
        { "unknown-attribute", "'output_padding', which Conv does not define" },
        { "pads-and-auto-pad", "pads and auto_pad = SAME_UPPER" },
        { "group-type", "'group' must be an integer" },
        { "duplicate-initializer", "initializer 'w0' is defined twice" },
        { "external-escape", "leads outside the model's directory" },
        { "external-absolute", "leads outside the model's directory" },
        { "external-no-directory", "needs the model's directory" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void BadModelsThrowFileFormatException(string kind, string message)
    {
        var bytes = BadModel(kind);
        var e = Assert.Throws<FileFormatException>(() => OnnxModel.Read(bytes, kind == "external-no-directory" ? null : Path.GetTempPath()));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>The bytes of a bad model of the given kind, each a valid one-layer model with one thing broken.</summary>
    internal static byte[] BadModel(string kind)
    {
        var proto = OneLayer(Spec);
        var graph = proto.Graph;
        var node = graph.Node[0];
        switch (kind)
        {
            case "garbage": return "this is not a protobuf model at all, just text\n"u8.ToArray();
            case "truncated": { var b = proto.ToByteArray(); return b[..(b.Length / 2)]; }
            case "empty": return [];
            case "no-graph": proto.Graph = null; break;
            case "weight-is-input": graph.Initializer.RemoveAt(0); graph.Input.Add(OnnxBuilder.Value("w0", [3, 2, 3, 3])); break;
            case "bias-missing": graph.Initializer.RemoveAt(1); break;
            case "weight-data-short": graph.Initializer[0].RawData = ByteString.CopyFrom(new byte[100]); break;
            case "weight-int64": graph.Initializer[0].DataType = (int)TensorProto.Types.DataType.Int64; break;
            case "weight-rank-2": graph.Initializer[0].Dims.Clear(); graph.Initializer[0].Dims.Add([18, 3]); break;
            case "bias-wrong-length": graph.Initializer[1] = OnnxBuilder.Floats("b0", [4], new Random(1)); break;
            case "bad-auto-pad": node.Attribute.Clear(); node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME") }); break;
            case "pads-count": Attr(node, "pads", AttributeProto.Types.AttributeType.Ints).Ints.RemoveAt(0); Attr(node, "pads", AttributeProto.Types.AttributeType.Ints).Ints.RemoveAt(0); break;
            case "negative-stride": Attr(node, "strides", AttributeProto.Types.AttributeType.Ints).Ints[0] = -1; break;
            case "kernel-shape": node.Attribute.Add(new AttributeProto { Name = "kernel_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 2, 2 } }); break;
            case "unknown-attribute": node.Attribute.Add(new AttributeProto { Name = "output_padding", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 0 } }); break;
            case "pads-and-auto-pad": node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8("SAME_UPPER") }); break;
            case "group-type": node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Float, F = 1 }); break;
            case "duplicate-initializer": graph.Initializer.Add(graph.Initializer[0].Clone()); break;
            case "external-escape": External(graph.Initializer[0], "../outside.bin"); break;
            case "external-absolute": External(graph.Initializer[0], "/etc/passwd"); break;
            case "external-no-directory": External(graph.Initializer[0], "weights.bin"); break;
            default: throw new ArgumentException(kind, nameof(kind));
        }
        return proto.ToByteArray();
    }

    private static AttributeProto Attr(NodeProto node, string name, AttributeProto.Types.AttributeType type) =>
        node.Attribute.First(a => a.Name == name && a.Type == type);

    /// <summary>Moves a tensor's data to an external file reference (the file itself is written by the caller, if at all).</summary>
    internal static void External(TensorProto tensor, string location, long offset = 0)
    {
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = tensor.RawData.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        tensor.DataLocation = TensorProto.Types.DataLocation.External;
        tensor.RawData = ByteString.Empty;
    }
}
