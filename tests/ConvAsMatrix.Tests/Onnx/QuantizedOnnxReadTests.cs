using ConvAsMatrix.Onnx;
using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>Reading ConvInteger and QLinearConv layers, and every kind of bad quantized model throwing FileFormatException.</summary>
public class QuantizedOnnxReadTests
{
    internal static readonly QuantSpec ConvInteger = new("ConvInteger", [1, 4, 5, 5], [3, 4, 3, 3], Pads: [1, 1, 1, 1]);
    internal static readonly QuantSpec QLinear = new("QLinearConv", [1, 4, 5, 5], [3, 2, 3, 3], PerChannel: true, Strides: [2, 2], Group: 2);

    [Fact]
    public void ReadsConvIntegerWithItsZeroPointsAndTheWeightMinusItsZeroPoint()
    {
        var proto = QuantizedOnnxBuilder.Branches([ConvInteger], 4);
        var layer = Assert.Single(OnnxBuilder.Load(proto).Layers);
        var q = layer.Quantization!;
        Assert.Equal((OnnxConvOp.ConvInteger, "x0", "y0", "q0_w", (string?)null), (layer.Op, layer.InputName, layer.OutputName, layer.WeightName, layer.BiasName));
        Assert.Equal((NpyDataType.UInt8, NpyDataType.Int8, NpyDataType.Int32, "u8s8->s32", "per-tensor"), (q.InputType, q.WeightType, q.OutputType, q.TypeText, q.WeightGranularity));
        var raw = proto.Graph.Initializer.Single(t => t.Name == "q0_w").RawData.ToByteArray();
        var zero = (sbyte)proto.Graph.Initializer.Single(t => t.Name == "q0_w_zp").RawData[0];
        Assert.Equal((sbyte)raw[7], q.Weight.Data[7]);
        Assert.Equal((sbyte)raw[7] - zero, layer.Weight.Data[7]);
        Assert.Equal(proto.Graph.Initializer.Single(t => t.Name == "q0_x_zp").RawData[0], q.InputZeroPoint);
        Assert.Null(q.InputScale);
        Assert.Equal(36, layer.FanIn);
        Assert.Equal([1, 3, 5, 5], layer.Geometry([1, 4, 5, 5]).OutputShape);
    }

    [Fact]
    public void ReadsQLinearConvPerChannelWithScalesAndBias()
    {
        var proto = QuantizedOnnxBuilder.Branches([QLinear], 4);
        var layer = Assert.Single(OnnxBuilder.Load(proto).Layers);
        var q = layer.Quantization!;
        Assert.Equal((OnnxConvOp.QLinearConv, "q0_b", "u8s8->u8", "per-channel"), (layer.Op, layer.BiasName, q.TypeText, q.WeightGranularity));
        Assert.Equal(3, q.WeightZeroPoint.Count);
        Assert.True(q.WeightZeroPoint.Distinct().Count() > 1, "the builder draws a zero point per channel");
        Assert.Equal(3, q.WeightScale!.Count);
        Assert.Equal(3, q.Bias!.Count);
        Assert.Equal((q.Weight.Data[20] - q.WeightZeroPoint[1]) * (double)q.WeightScale[1], layer.Weight.Data[20]);
        Assert.Equal(2, layer.Attributes.Group);
    }

    [Fact]
    public void ZeroPointsAndScalesMayBeConstantNodes()
    {
        var proto = QuantizedOnnxBuilder.Branches([QLinear], 4);
        var graph = proto.Graph;
        foreach (var name in new[] { "q0_x_zp", "q0_y_scale" })
        {
            var t = graph.Initializer.Single(i => i.Name == name);
            graph.Initializer.Remove(t);
            graph.Node.Insert(0, new NodeProto { OpType = "Constant", Output = { name }, Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = t } } });
        }
        var q = Assert.Single(OnnxBuilder.Load(proto).Layers).Quantization!;
        Assert.NotNull(q.OutputScale);
    }

    public static TheoryData<string, string> BadModels => new()
    {
        { "x-zero-point-missing", "node 'n0': x_zero_point 'q0_x_zp' is not an initializer or constant (missing initializer)" },
        { "w-scale-shape", "w_scale 'q0_w_scale' has shape (4); it must be a scalar or one value, or (3), one per output channel" },
        { "x-scale-per-channel", "x_scale 'q0_x_scale' has shape (3); it must be a scalar or one value (per tensor)" },
        { "w-scale-zero", "w_scale 'q0_w_scale' holds 0; a scale must be positive and finite" },
        { "w-scale-double", "w_scale 'q0_w_scale' of node 'n0' has element type 11; a scale must be float32 (1)" },
        { "weight-int16", "weight 'q0_w' of node 'n0' has element type 5; only uint8 (2), int8 (3) and int32 (6) are supported" },
        { "weight-int32", "node 'n0': w 'q0_w' has element type 6; quantized convolutions take uint8 (2) or int8 (3)" },
        { "w-zero-point-type", "w_zero_point 'q0_w_zp' is uint8, its tensor is int8" },
        { "bias-int8", "bias 'q0_b' is int8 of shape (3); it must be int32 of shape (3)" },
        { "inputs-missing", "node 'n0' (QLinearConv) needs inputs x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point and optionally B, has 7" },
        { "int32-data-range", "int32_data[0] = 300 is outside its element type's range [0, 255]" },
        { "weight-is-input", "node 'n0': weight 'q0_w' is not an initializer or constant (missing initializer)" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void BadQuantizedModelsThrowFileFormatException(string kind, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => OnnxModel.Read(BadModel(kind), null));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>A one-layer QLinearConv model with one thing broken.</summary>
    internal static byte[] BadModel(string kind)
    {
        var proto = QuantizedOnnxBuilder.Branches([QLinear], 4);
        var graph = proto.Graph;
        TensorProto Init(string name) => graph.Initializer.Single(t => t.Name == name);
        switch (kind)
        {
            case "x-zero-point-missing": graph.Initializer.Remove(Init("q0_x_zp")); break;
            case "w-scale-shape": Replace(graph, OnnxBuilder.FloatsOf("q0_w_scale", [4], [1, 1, 1, 1])); break;
            case "x-scale-per-channel": Replace(graph, OnnxBuilder.FloatsOf("q0_x_scale", [3], [1, 1, 1])); break;
            case "w-scale-zero": Replace(graph, OnnxBuilder.FloatsOf("q0_w_scale", [3], [1, 0, 1])); break;
            case "w-scale-double": Init("q0_w_scale").DataType = (int)TensorProto.Types.DataType.Double; Init("q0_w_scale").RawData = ByteString.CopyFrom(new byte[24]); break;
            case "weight-int16": Init("q0_w").DataType = (int)TensorProto.Types.DataType.Int16; break;
            case "weight-int32": Replace(graph, QuantizedOnnxBuilder.Integers("q0_w", QuantizedOnnxBuilder.Int32, [3, 2, 3, 3], new long[54])); break;
            case "w-zero-point-type": Replace(graph, QuantizedOnnxBuilder.Integers("q0_w_zp", QuantizedOnnxBuilder.UInt8, [3], [1, 2, 3])); break;
            case "bias-int8": Replace(graph, QuantizedOnnxBuilder.Integers("q0_b", QuantizedOnnxBuilder.Int8, [3], [1, 2, 3])); break;
            case "inputs-missing": graph.Node[0].Input.RemoveAt(8); graph.Node[0].Input.RemoveAt(7); break;
            case "int32-data-range":
                var zp = Init("q0_x_zp");
                zp.RawData = ByteString.Empty;
                zp.Int32Data.Add(300);
                break;
            case "weight-is-input": graph.Initializer.Remove(Init("q0_w")); graph.Input.Add(QuantizedOnnxBuilder.Value("q0_w", QuantizedOnnxBuilder.Int8, [3, 2, 3, 3])); break;
            default: throw new ArgumentException(kind, nameof(kind));
        }
        return proto.ToByteArray();
    }

    private static void Replace(GraphProto graph, TensorProto tensor)
    {
        var list = graph.Initializer;
        list[list.IndexOf(list.Single(t => t.Name == tensor.Name))] = tensor;
    }

    public static TheoryData<string, string> BadQdqModels => new()
    {
        { "float-bias", "bias 'float_b' of a QDQ conv must be DequantizeLinear of an int32 initializer" },
        { "weight-not-constant", "the quantized weight 'conv_a_w' of DequantizeLinear 'conv_a_dq_w' is not an initializer or constant (missing initializer)" },
        { "no-quantize-after", "its output 'conv_c_y' does not go to one QuantizeLinear only" },
        { "input-not-dequantized", "its input 'conv_a_x' does not come from DequantizeLinear" },
        { "channel-axis", "w_scale of DequantizeLinear 'conv_a_dq_w' has one value per channel along axis 1" },
        { "bias-scale", "the bias scale of channel 0 is 1, not x_scale·w_scale" },
    };

    [Theory]
    [MemberData(nameof(BadQdqModels))]
    public void BadQdqModelsThrowFileFormatException(string kind, string message)
    {
        var e = Assert.Throws<FileFormatException>(() => OnnxModel.Read(BadQdqModel(kind), null));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>The QDQ network with one thing broken.</summary>
    internal static byte[] BadQdqModel(string kind)
    {
        var proto = QdqNetwork.Build();
        var graph = proto.Graph;
        NodeProto Node(string name) => graph.Node.Single(n => n.Name == name);
        switch (kind)
        {
            case "float-bias":
                Node("conv_a").Input[2] = "float_b";
                graph.Initializer.Add(OnnxBuilder.FloatsOf("float_b", [8], new float[8]));
                break;
            case "weight-not-constant":
                graph.Initializer.Remove(graph.Initializer.Single(t => t.Name == "conv_a_w"));
                graph.Input.Add(QuantizedOnnxBuilder.Value("conv_a_w", QuantizedOnnxBuilder.Int8, [8, 4, 3, 3]));
                break;
            case "no-quantize-after":
                graph.Node.Add(new NodeProto { OpType = "Relu", Input = { "conv_c_y" }, Output = { "extra" } });
                break;
            case "input-not-dequantized":
                Node("conv_a_dq_x").OpType = "Identity";
                Node("conv_a_dq_x").Input.RemoveAt(2);
                Node("conv_a_dq_x").Input.RemoveAt(1);
                break;
            case "channel-axis": Node("conv_a_dq_w").Attribute.Clear(); break;
            case "bias-scale":
                var bs = graph.Initializer.Single(t => t.Name == "conv_a_bs");
                graph.Initializer[graph.Initializer.IndexOf(bs)] = OnnxBuilder.FloatsOf("conv_a_bs", [8], Enumerable.Repeat(1f, 8).ToArray());
                break;
            default: throw new ArgumentException(kind, nameof(kind));
        }
        return proto.ToByteArray();
    }
}
