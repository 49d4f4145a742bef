using ConvAsMatrix.Onnx;
using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>A Conv or ConvTranspose node to put in a test model: shapes, attributes and seeded random weights.</summary>
public sealed record ConvSpec(
    string Op, int[] InputShape, int[] WeightShape, bool Bias = true,
    string? AutoPad = null, int[]? Pads = null, int[]? Strides = null, int[]? Dilations = null, int Group = 1,
    int[]? OutputPadding = null, int[]? OutputShape = null, bool KernelShape = false)
{
    public int Rank => WeightShape.Length - 2;

    public int OutChannels => Op == "Conv" ? WeightShape[0] : WeightShape[1] * Group;

    public override string ToString() =>
        $"{Op} {Rank}-D in ({string.Join(",", InputShape)}) W ({string.Join(",", WeightShape)})" +
        (AutoPad is null ? "" : $" auto_pad={AutoPad}") + (Pads is null ? "" : $" pads=[{string.Join(",", Pads)}]") +
        (Strides is null ? "" : $" strides=[{string.Join(",", Strides)}]") + (Dilations is null ? "" : $" dilations=[{string.Join(",", Dilations)}]") +
        (Group == 1 ? "" : $" group={Group}") + (OutputPadding is null ? "" : $" output_padding=[{string.Join(",", OutputPadding)}]") +
        (OutputShape is null ? "" : $" output_shape=[{string.Join(",", OutputShape)}]");
}

/// <summary>Builds ONNX models in code with OnnxSharp's protobuf types (so tests need no committed large files).</summary>
public static class OnnxBuilder
{
    public const int Opset = 13;

    public static ModelProto Model(GraphProto graph, int opset = Opset) => new()
    {
        IrVersion = 8,
        ProducerName = "ConvAsMatrix.Tests",
        Graph = graph,
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = opset } },
    };

    /// <summary>One graph with one independent branch per spec: input x{i} → node → output y{i}.</summary>
    public static ModelProto Branches(IReadOnlyList<ConvSpec> specs, int seed)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "branches" };
        for (int i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            graph.Input.Add(Value($"x{i}", s.InputShape));
            graph.Output.Add(Value($"y{i}", (int[]?)null));
            AddConv(graph, s, $"n{i}", $"x{i}", $"y{i}", $"w{i}", s.Bias ? $"b{i}" : null, random);
        }
        return Model(graph);
    }

    public static void AddConv(GraphProto graph, ConvSpec s, string name, string input, string output, string weightName, string? biasName, Random random)
    {
        graph.Initializer.Add(Floats(weightName, s.WeightShape, random));
        var node = new NodeProto { OpType = s.Op, Name = name, Input = { input, weightName }, Output = { output } };
        if (biasName is not null)
        {
            graph.Initializer.Add(Floats(biasName, [s.OutChannels], random));
            node.Input.Add(biasName);
        }
        if (s.AutoPad is { } a) node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(a) });
        Ints(node, "pads", s.Pads);
        Ints(node, "strides", s.Strides);
        Ints(node, "dilations", s.Dilations);
        Ints(node, "output_padding", s.OutputPadding);
        Ints(node, "output_shape", s.OutputShape);
        if (s.KernelShape) Ints(node, "kernel_shape", s.WeightShape[2..]);
        if (s.Group != 1) node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = s.Group });
        graph.Node.Add(node);
    }

    private static void Ints(NodeProto node, string name, int[]? values)
    {
        if (values is not null) OnnxConvExport.Ints(node, name, values);
    }

    /// <summary>A float32 initializer of seeded values in [-1, 1), stored as raw_data.</summary>
    public static TensorProto Floats(string name, int[] shape, Random random) =>
        OnnxConvExport.Floats(name, shape, RandomTensor(shape, random).Data);

    /// <summary>A float32 initializer of the given values (a scale), stored as raw_data.</summary>
    public static TensorProto FloatsOf(string name, int[] shape, float[] values) => OnnxConvExport.Floats(name, shape, values);

    /// <summary>A float32 tensor value: the given dimensions (a string is a symbolic one), or no shape at all when null.</summary>
    public static ValueInfoProto Value(string name, IEnumerable<object>? dims)
    {
        var tensor = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float };
        if (dims is not null)
        {
            tensor.Shape = new TensorShapeProto();
            foreach (var d in dims)
                tensor.Shape.Dim.Add(d is string p ? new TensorShapeProto.Types.Dimension { DimParam = p } : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture) });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensor } };
    }

    public static ValueInfoProto Value(string name, int[]? shape) => Value(name, shape?.Cast<object>());

    public static Tensor<float> RandomTensor(int[] shape, Random random)
    {
        var data = new float[shape.Aggregate(1, (p, d) => p * d)];
        for (int i = 0; i < data.Length; i++) data[i] = (float)(2 * random.NextDouble() - 1);
        return new Tensor<float>(data, shape);
    }

    public static OnnxModel Load(ModelProto model, string? baseDirectory = null) => OnnxModel.Read(model.ToByteArray(), baseDirectory);
}
