using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// Reads the conv layers of one graph: Conv and ConvTranspose with float weights, ConvInteger and QLinearConv, and the
/// QDQ form DequantizeLinear → Conv → QuantizeLinear (<see cref="QdqPattern"/>). Everything a layer needs must be an
/// initializer or constant; anything else is a <see cref="FileFormatException"/> naming the node and the tensor.
/// </summary>
internal sealed class LayerReader
{
    private readonly GraphIndex graph;
    private readonly HashSet<string> names = new(StringComparer.Ordinal);
    private readonly ConstantValues values;

    /// <summary>w_zero_point where the model gives none: one shared array, so the dequantized weights it keys are shared too.</summary>
    private static readonly int[] NoZeroPoint = [0];

    public LayerReader(GraphIndex graph)
    {
        this.graph = graph;
        values = new ConstantValues(graph.Source);
    }

    private string Source => graph.Source;

    /// <summary>The layer this node is, or null for any other node (the DequantizeLinear/QuantizeLinear of a QDQ layer included).</summary>
    public OnnxConvLayer? Read(NodeProto node)
    {
        if (node.Domain is not ("" or "ai.onnx")) return null;
        return node.OpType switch
        {
            "Conv" when graph.Producer(node, 1) is { OpType: "DequantizeLinear" } => ReadQdq(node),
            "Conv" => ReadFloat(node, OnnxConvOp.Conv),
            "ConvTranspose" => ReadFloat(node, OnnxConvOp.ConvTranspose),
            "ConvInteger" => ReadConvInteger(node),
            "QLinearConv" => ReadQLinearConv(node),
            _ => null,
        };
    }

    private OnnxConvLayer ReadFloat(NodeProto node, OnnxConvOp op)
    {
        var (name, layer, output) = Name(node);
        Inputs(node, layer, 2, 3, "X, W and optionally B");
        var weightName = node.Input[1];
        var weight = values.Floats(Constant(node.Input[1], "weight", layer), $"weight '{AttributeReader.Quote(weightName)}' of node '{layer}'");
        var attributes = Attributes(node, op, weight.ShapeArray, weightName, layer);
        long outChannels = op == OnnxConvOp.ConvTranspose ? (long)weight.Shape[1] * attributes.Group : weight.Shape[0];
        string? biasName = Optional(node, 2);
        double[]? bias = null;
        if (biasName is not null)
        {
            var biasTensor = values.Floats(Constant(biasName, "bias", layer), $"bias '{AttributeReader.Quote(biasName)}' of node '{layer}'");
            if (biasTensor.Rank != 1 || biasTensor.Length != outChannels)
                throw Error($"node '{layer}': bias '{AttributeReader.Quote(biasName)}' has shape ({string.Join(", ", biasTensor.Shape)}), the layer has {outChannels} output channels");
            bias = biasTensor.Data;
        }
        return new OnnxConvLayer(name, op, node.Input[0], output, weightName, biasName, weight, bias, attributes, graph.DeclaredShape(node.Input[0]));
    }

    /// <summary>ConvInteger(x, w, x_zero_point?, w_zero_point?) → int32.</summary>
    private OnnxConvLayer ReadConvInteger(NodeProto node)
    {
        var (name, layer, output) = Name(node);
        Inputs(node, layer, 2, 4, "x, w and optionally x_zero_point, w_zero_point");
        var (weightType, weight) = IntegerWeight(node.Input[1], layer);
        int channels = weight.Shape[0];
        var (xZero, xType) = Optional(node, 2) is { } xz ? ZeroPoints(xz, "x_zero_point", layer, 1) : (null, graph.ElementType(node.Input[0]));
        var wZero = Optional(node, 3) is { } wz ? ZeroPoints(wz, "w_zero_point", layer, channels, weightType).Values : NoZeroPoint;
        var inputType = EightBit(xType, node.Input[0], "x", layer);
        var q = new OnnxQuantization(inputType, weightType, NpyDataType.Int32, weight, xZero?[0] ?? 0, wZero, null, null, null, null, null);
        return Quantized(node, OnnxConvOp.ConvInteger, name, output, node.Input[0], node.Input[1], null, q);
    }

    /// <summary>QLinearConv(x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point, B?).</summary>
    private OnnxConvLayer ReadQLinearConv(NodeProto node)
    {
        var (name, layer, output) = Name(node);
        Inputs(node, layer, 8, 9, "x, x_scale, x_zero_point, w, w_scale, w_zero_point, y_scale, y_zero_point and optionally B");
        for (int i = 0; i < 8; i++)
            if (node.Input[i].Length == 0) throw Error($"node '{layer}' (QLinearConv): input {i} is empty; only B is optional");
        var (weightType, weight) = IntegerWeight(node.Input[3], layer);
        int channels = weight.Shape[0];
        var (xZero, xType) = ZeroPoints(node.Input[2], "x_zero_point", layer, 1);
        var wZero = ZeroPoints(node.Input[5], "w_zero_point", layer, channels, weightType).Values;
        var (yZero, yType) = ZeroPoints(node.Input[7], "y_zero_point", layer, 1);
        var biasName = Optional(node, 8);
        var q = new OnnxQuantization(EightBit(xType, node.Input[0], "x", layer), weightType, EightBit(yType, output, "y", layer), weight, xZero[0], wZero,
            Scales(node.Input[1], "x_scale", layer, 1)[0], Scales(node.Input[4], "w_scale", layer, channels), Scales(node.Input[6], "y_scale", layer, 1)[0], yZero[0],
            biasName is null ? null : IntegerBias(biasName, layer, channels));
        return Quantized(node, OnnxConvOp.QLinearConv, name, output, node.Input[0], node.Input[3], biasName, q);
    }

    /// <summary>The QDQ form, from the Conv node in its middle: see <see cref="QdqPattern"/>.</summary>
    private OnnxConvLayer ReadQdq(NodeProto conv)
    {
        var (name, layer, _) = Name(conv);
        Inputs(conv, layer, 2, 3, "X, W and optionally B");
        var p = QdqPattern.Match(conv, graph, layer);
        var (weightType, weight) = IntegerWeight(p.Weight.Input[0], layer);
        int channels = weight.Shape[0];
        var (xZero, xType) = p.Input.Input.Count > 2 && p.Input.Input[2].Length > 0 ? ZeroPoints(p.Input.Input[2], "x_zero_point", layer, 1) : ([0], graph.ElementType(p.Input.Input[0]));
        var wZero = p.Weight.Input.Count > 2 && p.Weight.Input[2].Length > 0 ? ZeroPoints(p.Weight.Input[2], "w_zero_point", layer, channels, weightType).Values : NoZeroPoint;
        // QuantizeLinear without y_zero_point writes uint8 (ONNX).
        var (yZero, yType) = p.Output.Input.Count > 2 && p.Output.Input[2].Length > 0 ? ZeroPoints(p.Output.Input[2], "y_zero_point", layer, 1) : ([0], TensorValues.UInt8);
        float xScale = Scales(p.Input.Input[1], "x_scale", layer, 1)[0];
        var wScale = Scales(p.Weight.Input[1], "w_scale", layer, channels);
        if (wScale.Length > 1) QdqPattern.RequireChannelAxis(p.Weight, "w_scale", weight.Rank, layer, Source);
        int[]? bias = null;
        string? biasName = null;
        if (p.Bias is { } dqb)
        {
            biasName = dqb.Input[0];
            bias = IntegerBias(biasName, layer, channels);
            QdqPattern.CheckBiasScale(Scales(dqb.Input[1], "bias scale", layer, channels), xScale, wScale, layer, Source);
            if (dqb.Input.Count > 2 && dqb.Input[2].Length > 0 && ZeroPoints(dqb.Input[2], "bias zero point", layer, channels, NpyDataType.Int32).Values.Any(z => z != 0))
                throw Error($"node '{layer}': the bias DequantizeLinear '{AttributeReader.Quote(dqb.Name)}' has a non-zero zero point; B is added to the accumulation as is");
        }
        var q = new OnnxQuantization(EightBit(xType, p.Input.Input[0], "x", layer), weightType, EightBit(yType, p.Output.Output[0], "y", layer), weight,
            xZero[0], wZero, xScale, wScale, Scales(p.Output.Input[1], "y_scale", layer, 1)[0], yZero[0], bias);
        return Quantized(conv, OnnxConvOp.QdqConv, name, p.Output.Output[0], p.Input.Input[0], p.Weight.Input[0], biasName, q);
    }

    /// <summary>The layer with its dequantized weight and bias (see <see cref="OnnxConvLayer"/>'s remarks).</summary>
    private OnnxConvLayer Quantized(NodeProto node, OnnxConvOp op, string name, string output, string input, string weightName, string? biasName, OnnxQuantization q)
    {
        var attributes = Attributes(node, op, q.Weight.ShapeArray, weightName, AttributeReader.Quote(name));
        var (weight, bias) = q.Dequantize(values);
        return new OnnxConvLayer(name, op, input, output, weightName, biasName, weight, bias, attributes, graph.DeclaredShape(input), q);
    }

    private OnnxConvAttributes Attributes(NodeProto node, OnnxConvOp op, int[] weightShape, string weightName, string layer)
    {
        if (weightShape.Length is < 3 or > 5)
            throw Error($"node '{layer}': weight '{AttributeReader.Quote(weightName)}' has {weightShape.Length} dimensions; 1-D to 3-D convolutions need 3 to 5");
        var attributes = AttributeReader.Read(node, op, weightShape.Length - 2, Source, layer);
        if (attributes.KernelShape is { } k && !k.SequenceEqual(weightShape.Skip(2)))
            throw Error($"node '{layer}': kernel_shape ({string.Join(", ", k)}) differs from the weight's spatial shape ({string.Join(", ", weightShape.Skip(2))})");
        if (op == OnnxConvOp.ConvTranspose && weightShape[0] % attributes.Group != 0)
            throw Error($"node '{layer}': group = {attributes.Group} does not divide the weight's {weightShape[0]} input channels");
        return attributes;
    }

    private (string Name, string Quoted, string Output) Name(NodeProto node)
    {
        string output = node.Output.Count > 0 ? node.Output[0] : "";
        string name = node.Name.Length > 0 && !names.Contains(node.Name) ? node.Name : $"{node.OpType}:{output}";
        if (!names.Add(name)) throw Error($"two {node.OpType} nodes write '{AttributeReader.Quote(output)}'");
        string layer = AttributeReader.Quote(name);
        if (output.Length == 0) throw Error($"node '{layer}' ({node.OpType}) has no output");
        return (name, layer, output);
    }

    private void Inputs(NodeProto node, string layer, int min, int max, string expected)
    {
        if (node.Input.Count < min || node.Input.Count > max || node.Input[0].Length == 0 || node.Input[1].Length == 0)
            throw Error($"node '{layer}' ({node.OpType}) needs inputs {expected}, has {node.Input.Count}");
    }

    private static string? Optional(NodeProto node, int index) => node.Input.Count > index && node.Input[index].Length > 0 ? node.Input[index] : null;

    private TensorProto Constant(string tensor, string role, string layer) =>
        graph.Constant(tensor) ?? throw Error($"node '{layer}': {role} '{AttributeReader.Quote(tensor)}' is not an initializer or constant (missing initializer)");

    private (NpyDataType Type, Tensor<long> Weight) IntegerWeight(string tensor, string layer)
    {
        var (type, weight) = values.Integers(Constant(tensor, "weight", layer), $"weight '{AttributeReader.Quote(tensor)}' of node '{layer}'");
        EightBit((int?)TensorValues.OnnxType(type), tensor, "w", layer);
        if (weight.Rank is < 3 or > 5)
            throw Error($"node '{layer}': weight '{AttributeReader.Quote(tensor)}' has {weight.Rank} dimensions; 1-D to 3-D convolutions need 3 to 5");
        return (type, weight);
    }

    /// <summary>A zero point: one value, or (when <paramref name="channels"/> > 1) one per output channel; of the weight's type when given.</summary>
    private (int[] Values, int? OnnxType) ZeroPoints(string tensor, string role, string layer, int channels, NpyDataType? sameAs = null)
    {
        var constant = Constant(tensor, role, layer);
        string what = $"{role} '{AttributeReader.Quote(tensor)}' of node '{layer}'";
        var (type, read) = values.Integers(constant, what);
        CheckCount(read.ShapeArray, tensor, role, layer, channels);
        if (sameAs is { } t && t != type)
            throw Error($"node '{layer}': {role} '{AttributeReader.Quote(tensor)}' is {Name(type)}, its tensor is {Name(t)}");
        return (values.Int32s(constant, what), TensorValues.OnnxType(type));
    }

    private float[] Scales(string tensor, string role, string layer, int channels)
    {
        var constant = Constant(tensor, role, layer);
        var scales = values.Float32(constant, $"{role} '{AttributeReader.Quote(tensor)}' of node '{layer}'");
        CheckCount(constant.Dims.Select(d => (int)d).ToArray(), tensor, role, layer, channels);
        foreach (var s in scales)
            if (!(s > 0) || !float.IsFinite(s))
                throw Error($"node '{layer}': {role} '{AttributeReader.Quote(tensor)}' holds {s}; a scale must be positive and finite");
        return scales;
    }

    private int[] IntegerBias(string tensor, string layer, int channels)
    {
        var constant = Constant(tensor, "bias", layer);
        string what = $"bias '{AttributeReader.Quote(tensor)}' of node '{layer}'";
        var (type, read) = values.Integers(constant, what);
        if (type != NpyDataType.Int32 || read.Rank != 1 || read.Length != channels)
            throw Error($"node '{layer}': bias '{AttributeReader.Quote(tensor)}' is {Name(type)} of shape ({string.Join(", ", read.Shape)}); it must be int32 of shape ({channels})");
        return values.Int32s(constant, what);
    }

    /// <summary>Per tensor: a scalar or one value; per channel (channels > 1): also a vector of one value per output channel.</summary>
    private void CheckCount(int[] shape, string tensor, string role, string layer, int channels)
    {
        long count = shape.Aggregate(1L, (p, d) => p * d);
        bool perTensor = count == 1 && shape.Length <= 1;
        bool perChannel = channels > 1 && shape.Length == 1 && count == channels;
        if (!perTensor && !perChannel)
            throw Error($"node '{layer}': {role} '{AttributeReader.Quote(tensor)}' has shape ({string.Join(", ", shape)}); it must be a scalar or one value{(channels > 1 ? $", or ({channels}), one per output channel" : " (per tensor)")}");
    }

    private NpyDataType EightBit(int? onnxType, string tensor, string role, string layer)
    {
        if (onnxType is null)
            throw Error($"node '{layer}': the element type of {role} '{AttributeReader.Quote(tensor)}' is not known (no zero point and no declared type)");
        return TensorValues.IntegerType(onnxType.Value) is { } t and (NpyDataType.UInt8 or NpyDataType.Int8)
            ? t
            : throw Error($"node '{layer}': {role} '{AttributeReader.Quote(tensor)}' has element type {onnxType}; quantized convolutions take uint8 (2) or int8 (3)");
    }

    private static string Name(NpyDataType t) => t.ToString().ToLowerInvariant();

    private FileFormatException Error(string problem) => OnnxFormat.Error(Source, problem);
}
