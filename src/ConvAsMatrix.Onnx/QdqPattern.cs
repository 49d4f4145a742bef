using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// The QDQ form of a quantized convolution, as ONNX Runtime's quantizer writes it and its optimizer fuses it into
/// QLinearConv: <c>x_q → DequantizeLinear → Conv ← DequantizeLinear ← w_q</c> (and optionally <c>← DequantizeLinear ← B</c>,
/// int32), <c>Conv → QuantizeLinear → y_q</c>, the Conv's output read by that QuantizeLinear only.
/// </summary>
/// <remarks>
/// Read as one layer from x_q to y_q with QLinearConv's semantics, B in units of x_scale·w_scale[m]: the bias's
/// DequantizeLinear must use that scale (as quantizers write it), since the fused kernel adds B to the accumulation as is.
/// A float bias, or a Conv with a dequantized weight that is not wrapped this way, is refused (FileFormatException).
/// </remarks>
internal sealed record QdqPattern(NodeProto Input, NodeProto Weight, NodeProto? Bias, NodeProto Output)
{
    /// <summary>The pattern around <paramref name="conv"/>, whose weight DequantizeLinear has already been found.</summary>
    public static QdqPattern Match(NodeProto conv, GraphIndex graph, string layer)
    {
        var weight = graph.Producer(conv, 1)!;
        string Why(string what) => $"node '{layer}' (Conv): its weight '{AttributeReader.Quote(conv.Input[1])}' is DequantizeLinear's output, {what}; only DequantizeLinear → Conv → QuantizeLinear is read as a quantized layer";
        if (weight.Input.Count < 2 || graph.Constant(weight.Input[0]) is null)
            throw OnnxFormat.Error(graph.Source, $"node '{layer}': the quantized weight '{AttributeReader.Quote(weight.Input.FirstOrDefault() ?? "")}' of DequantizeLinear '{AttributeReader.Quote(weight.Name)}' is not an initializer or constant (missing initializer)");
        if (graph.Producer(conv, 0) is not { OpType: "DequantizeLinear" } input || input.Input.Count < 2)
            throw OnnxFormat.Error(graph.Source, Why($"but its input '{AttributeReader.Quote(conv.Input[0])}' does not come from DequantizeLinear"));
        var readers = graph.Consumers(conv.Output[0]);
        if (readers.Count != 1 || readers[0].OpType != "QuantizeLinear" || graph.IsGraphOutput(conv.Output[0]) || readers[0].Output.Count < 1 || readers[0].Input.Count < 2)
            throw OnnxFormat.Error(graph.Source, Why($"but its output '{AttributeReader.Quote(conv.Output[0])}' does not go to one QuantizeLinear only"));
        NodeProto? bias = null;
        if (conv.Input.Count > 2 && conv.Input[2].Length > 0)
        {
            bias = graph.Producer(conv, 2);
            if (bias is not { OpType: "DequantizeLinear" } || bias.Input.Count < 2)
                throw OnnxFormat.Error(graph.Source, $"node '{layer}': bias '{AttributeReader.Quote(conv.Input[2])}' of a QDQ conv must be DequantizeLinear of an int32 initializer (as quantizers write it); a float bias is not read");
        }
        foreach (var node in new[] { input, weight, readers[0] }.Concat(bias is null ? [] : [bias]))
            if (node.Attribute.FirstOrDefault(a => a.Name == "block_size") is { I: not 0 })
                throw OnnxFormat.Error(graph.Source, $"node '{layer}': {node.OpType} '{AttributeReader.Quote(node.Name)}' quantizes by blocks (block_size); only per-tensor and per-channel are read");
        return new QdqPattern(input, weight, bias, readers[0]);
    }

    /// <summary>A per-channel scale of the weight must run along axis 0, the output channels (DequantizeLinear's default axis is 1).</summary>
    public static void RequireChannelAxis(NodeProto node, string role, int rank, string layer, string source)
    {
        long axis = node.Attribute.FirstOrDefault(a => a.Name == "axis") is { } a ? a.I : 1;
        if (axis != 0 && axis != -rank)
            throw OnnxFormat.Error(source, $"node '{layer}': {role} of DequantizeLinear '{AttributeReader.Quote(node.Name)}' has one value per channel along axis {axis}; a conv weight's output channels are axis 0");
    }

    /// <summary>The bias's scale must be x_scale·w_scale[m] (in float32, as quantizers compute it), one value or per channel.</summary>
    public static void CheckBiasScale(float[] biasScale, float xScale, float[] wScale, string layer, string source)
    {
        int channels = Math.Max(biasScale.Length, wScale.Length);
        for (int m = 0; m < channels; m++)
        {
            float expected = xScale * wScale[wScale.Length == 1 ? 0 : m];
            float actual = biasScale[biasScale.Length == 1 ? 0 : m];
            if (Math.Abs(actual - expected) > 1e-6 * expected)
                throw OnnxFormat.Error(source, $"node '{layer}': the bias scale of channel {m} is {actual:R}, not x_scale·w_scale = {expected:R}; the quantized kernel adds B to the accumulation in those units");
        }
    }
}
