using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// A QDQ network of three quantized conv layers, as ONNX Runtime's quantizer writes them (DequantizeLinear → Conv →
/// QuantizeLinear, int32 bias through DequantizeLinear with scale x_scale·w_scale):
/// image (1, 4, 8, 8) float → QuantizeLinear (uint8) →
/// conv_a (int8 weight, per-channel scales, |w| ≤ 63 as quantize_static's reduce_range writes them, stride 2, pads 1) →
/// conv_b (int8 weight, per tensor, full range, group 2, pads 1) → QuantizeLinear to int8 →
/// conv_c (1×1, int8 activations and weight, no bias) → DequantizeLinear → out (1, 4, 4, 4) float.
/// </summary>
public static class QdqNetwork
{
    public static readonly string[] LayerNames = ["conv_a", "conv_b", "conv_c"];

    public static ModelProto Build(int seed = 21)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "qdq" };
        graph.Input.Add(OnnxBuilder.Value("image", [1, 4, 8, 8]));
        graph.Output.Add(OnnxBuilder.Value("out", (int[]?)null));
        Scale(graph, "s_in", 1f / 128);
        Zero(graph, "z_in", QuantizedOnnxBuilder.UInt8, 128);
        graph.Node.Add(Node("QuantizeLinear", "q_in", ["image", "s_in", "z_in"], "xq"));
        Layer(graph, random, "conv_a", "xq", ("s_in", "z_in"), [8, 4, 3, 3], 63, perChannel: true, bias: true, ("s_a", 0.05f, QuantizedOnnxBuilder.UInt8, 128), "aq",
            new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } },
            new AttributeProto { Name = "strides", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 2, 2 } });
        Layer(graph, random, "conv_b", "aq", ("s_a", "z_a"), [8, 4, 3, 3], 127, perChannel: false, bias: true, ("s_b", 0.05f, QuantizedOnnxBuilder.Int8, -3), "bq",
            new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } },
            new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 2 });
        Layer(graph, random, "conv_c", "bq", ("s_b", "z_b"), [4, 8, 1, 1], 127, perChannel: false, bias: false, ("s_c", 0.02f, QuantizedOnnxBuilder.Int8, 2), "cq");
        graph.Node.Add(Node("DequantizeLinear", "dq_out", ["cq", "s_c", "z_c"], "out"));
        return OnnxBuilder.Model(graph);
    }

    private static void Layer(GraphProto graph, Random random, string name, string input, (string Scale, string Zero) x, int[] weightShape, int range,
        bool perChannel, bool bias, (string Scale, float Value, int Type, int Zero) y, string output, params AttributeProto[] attributes)
    {
        int m = weightShape[0];
        var w = Enumerable.Range(0, weightShape.Aggregate(1, (p, d) => p * d)).Select(_ => (long)random.Next(-range, range + 1)).ToArray();
        graph.Initializer.Add(QuantizedOnnxBuilder.Integers($"{name}_w", QuantizedOnnxBuilder.Int8, weightShape, w));
        var wScale = Enumerable.Range(0, perChannel ? m : 1).Select(_ => 0.002f + 0.004f * random.NextSingle()).ToArray();
        graph.Initializer.Add(OnnxBuilder.FloatsOf($"{name}_ws", perChannel ? [m] : [], wScale));
        Zero(graph, $"{name}_wz", QuantizedOnnxBuilder.Int8, 0, perChannel ? m : 0);
        graph.Node.Add(Node("DequantizeLinear", $"{name}_dq_x", [input, x.Scale, x.Zero], $"{name}_x"));
        var dqw = Node("DequantizeLinear", $"{name}_dq_w", [$"{name}_w", $"{name}_ws", $"{name}_wz"], $"{name}_wf");
        if (perChannel) dqw.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        graph.Node.Add(dqw);
        var conv = Node("Conv", name, [$"{name}_x", $"{name}_wf"], $"{name}_y");
        if (bias)
        {
            float xScale = graph.Initializer.Single(t => t.Name == x.Scale).RawData.ToByteArray() is var b ? BitConverter.ToSingle(b) : 0;
            graph.Initializer.Add(QuantizedOnnxBuilder.Integers($"{name}_b", QuantizedOnnxBuilder.Int32, [m], Enumerable.Range(0, m).Select(_ => (long)random.Next(-3000, 3001)).ToArray()));
            graph.Initializer.Add(OnnxBuilder.FloatsOf($"{name}_bs", perChannel ? [m] : [], wScale.Select(s => xScale * s).ToArray()));
            var dqb = Node("DequantizeLinear", $"{name}_dq_b", [$"{name}_b", $"{name}_bs"], $"{name}_bf");
            if (perChannel) dqb.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
            graph.Node.Add(dqb);
            conv.Input.Add($"{name}_bf");
        }
        conv.Attribute.AddRange(attributes);
        graph.Node.Add(conv);
        Scale(graph, y.Scale, y.Value);
        Zero(graph, "z_" + y.Scale[2..], y.Type, y.Zero);
        graph.Node.Add(Node("QuantizeLinear", $"{name}_q", [$"{name}_y", y.Scale, "z_" + y.Scale[2..]], output));
    }

    private static NodeProto Node(string op, string name, string[] inputs, string output) => new() { OpType = op, Name = name, Input = { inputs }, Output = { output } };

    private static void Scale(GraphProto graph, string name, float value) => graph.Initializer.Add(OnnxBuilder.FloatsOf(name, [], [value]));

    private static void Zero(GraphProto graph, string name, int type, int value, int count = 0) =>
        graph.Initializer.Add(QuantizedOnnxBuilder.Integers(name, type, count == 0 ? [] : [count], Enumerable.Repeat((long)value, Math.Max(1, count)).ToArray()));
}
