using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// A ConvInteger or QLinearConv node for a test model: shapes, attributes, element types (x, w, y signed or not), zero
/// points per tensor or per output channel; weights, zero points, scales and bias are drawn from a seed.
/// </summary>
public sealed record QuantSpec(
    string Op, int[] InputShape, int[] WeightShape, bool XSigned = false, bool WSigned = true, bool YSigned = false,
    bool PerChannel = false, bool Bias = true, int[]? Pads = null, int[]? Strides = null, int[]? Dilations = null, int Group = 1, string? AutoPad = null)
{
    public int Rank => WeightShape.Length - 2;

    public string Types => $"{(XSigned ? "s8" : "u8")}{(WSigned ? "s8" : "u8")}" + (Op == "ConvInteger" ? "" : $"->{(YSigned ? "s8" : "u8")}");

    public override string ToString() =>
        $"{Op} {Types} {Rank}-D in ({string.Join(",", InputShape)}) W ({string.Join(",", WeightShape)}) {(PerChannel ? "per-channel" : "per-tensor")}" +
        (AutoPad is null ? "" : $" auto_pad={AutoPad}") + (Pads is null ? "" : $" pads=[{string.Join(",", Pads)}]") +
        (Strides is null ? "" : $" strides=[{string.Join(",", Strides)}]") + (Dilations is null ? "" : $" dilations=[{string.Join(",", Dilations)}]") +
        (Group == 1 ? "" : $" group={Group}");
}

/// <summary>Quantized ONNX models built in code: ConvInteger and QLinearConv branches, and integer tensors.</summary>
public static class QuantizedOnnxBuilder
{
    public const int UInt8 = (int)TensorProto.Types.DataType.Uint8;
    public const int Int8 = (int)TensorProto.Types.DataType.Int8;
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;

    /// <summary>One graph with one independent branch per spec: input x{i} (uint8/int8) → node n{i} → output y{i}.</summary>
    public static ModelProto Branches(IReadOnlyList<QuantSpec> specs, int seed, Func<QuantSpec, int, Random, Tensor<long>>? weights = null)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "quantized" };
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            graph.Input.Add(Value($"x{i}", s.XSigned ? Int8 : UInt8, s.InputShape));
            graph.Output.Add(Value($"y{i}", s.Op == "ConvInteger" ? Int32 : s.YSigned ? Int8 : UInt8, null));
            AddNode(graph, s, $"n{i}", $"x{i}", $"y{i}", $"q{i}_", weights?.Invoke(s, i, random) ?? RandomIntegers(s.WeightShape, s.WSigned, random), random);
        }
        return OnnxBuilder.Model(graph);
    }

    public static void AddNode(GraphProto graph, QuantSpec s, string name, string input, string output, string prefix, Tensor<long> weight, Random random)
    {
        int m = s.WeightShape[0];
        int channels = s.PerChannel ? m : 1;
        var node = new NodeProto { OpType = s.Op, Name = name, Output = { output } };
        graph.Initializer.Add(Integers(prefix + "w", s.WSigned ? Int8 : UInt8, s.WeightShape, weight.Data));
        var xZero = Integers(prefix + "x_zp", s.XSigned ? Int8 : UInt8, [], [s.XSigned ? random.Next(-10, 11) : random.Next(110, 146)]);
        var wZero = Integers(prefix + "w_zp", s.WSigned ? Int8 : UInt8, s.PerChannel ? [m] : [],
            Enumerable.Range(0, channels).Select(_ => (long)(s.WSigned ? random.Next(-6, 7) : random.Next(120, 136))).ToArray());
        graph.Initializer.Add(xZero);
        graph.Initializer.Add(wZero);
        if (s.Op == "ConvInteger")
            node.Input.AddRange([input, prefix + "w", prefix + "x_zp", prefix + "w_zp"]);
        else
        {
            int k = s.WeightShape.Skip(1).Aggregate(1, (p, d) => p * d);
            float xScale = 0.02f + 0.03f * random.NextSingle();
            var wScale = Enumerable.Range(0, channels).Select(_ => 0.002f + 0.008f * random.NextSingle()).ToArray();
            // A y_scale that puts most outputs inside the 8-bit range and some beyond it (saturation is part of the test).
            float yScale = xScale * wScale.Average() * 128 * MathF.Sqrt(k) / 40;
            graph.Initializer.Add(OnnxBuilder.FloatsOf(prefix + "x_scale", [], [xScale]));
            graph.Initializer.Add(OnnxBuilder.FloatsOf(prefix + "w_scale", s.PerChannel ? [m] : [], wScale));
            graph.Initializer.Add(OnnxBuilder.FloatsOf(prefix + "y_scale", [], [yScale]));
            graph.Initializer.Add(Integers(prefix + "y_zp", s.YSigned ? Int8 : UInt8, [], [s.YSigned ? random.Next(-5, 6) : random.Next(120, 136)]));
            node.Input.AddRange([input, prefix + "x_scale", prefix + "x_zp", prefix + "w", prefix + "w_scale", prefix + "w_zp", prefix + "y_scale", prefix + "y_zp"]);
            if (s.Bias)
            {
                graph.Initializer.Add(Integers(prefix + "b", Int32, [m], Enumerable.Range(0, m).Select(_ => (long)random.Next(-2000, 2001)).ToArray()));
                node.Input.Add(prefix + "b");
            }
        }
        if (s.AutoPad is { } a) node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(a) });
        foreach (var (attribute, values) in new[] { ("pads", s.Pads), ("strides", s.Strides), ("dilations", s.Dilations) })
            if (values is not null) node.Attribute.Add(new AttributeProto { Name = attribute, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values.Select(v => (long)v) } });
        if (s.Group != 1) node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = s.Group });
        graph.Node.Add(node);
    }

    /// <summary>An integer initializer (uint8, int8 or int32) stored as little-endian raw_data.</summary>
    public static TensorProto Integers(string name, int dataType, int[] shape, long[] values)
    {
        var bytes = dataType == Int32 ? values.SelectMany(v => BitConverter.GetBytes((int)v)).ToArray() : values.Select(v => unchecked((byte)v)).ToArray();
        var t = new TensorProto { Name = name, DataType = dataType, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.AddRange(shape.Select(d => (long)d));
        return t;
    }

    public static ValueInfoProto Value(string name, int elementType, int[]? shape)
    {
        var v = OnnxBuilder.Value(name, shape);
        v.Type.TensorType.ElemType = elementType;
        return v;
    }

    /// <summary>Seeded integers over the whole range of uint8 or int8.</summary>
    public static Tensor<long> RandomIntegers(int[] shape, bool signed, Random random)
    {
        var data = new long[shape.Aggregate(1, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++) data[i] = signed ? random.Next(-128, 128) : random.Next(0, 256);
        return new Tensor<long>(data, shape);
    }

    /// <summary>An input of the spec's x type.</summary>
    public static NpyArray Input(Tensor<long> values, bool signed) => NpyArray.Narrow(values, signed ? NpyDataType.Int8 : NpyDataType.UInt8);
}
