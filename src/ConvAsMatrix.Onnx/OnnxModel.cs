using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// An ONNX model read for its convolutions: every Conv and ConvTranspose node of the main graph with its
/// initializer weight and bias (<see cref="Layers"/>), and the inputs a caller feeds (<see cref="Inputs"/>).
/// </summary>
/// <remarks>
/// <para>Reading checks everything the layers need and throws only <see cref="FileFormatException"/> for bad
/// bytes: malformed or truncated protobuf, no graph, a weight or bias that is not an initializer, a tensor whose
/// data does not match its shape, an unknown or malformed attribute, external data outside the model's directory.</para>
/// <para>External data (data_location = EXTERNAL) is read from files relative to the model's directory into
/// the in-memory model, so the model can be handed to ONNX Runtime as bytes.</para>
/// </remarks>
public sealed class OnnxModel
{
    private readonly Dictionary<string, OnnxConvLayer> byName;

    private OnnxModel(ModelProto proto, string source, IReadOnlyList<OnnxInput> inputs, IReadOnlyList<OnnxConvLayer> layers)
    {
        Proto = proto;
        Source = source;
        Inputs = inputs;
        Layers = layers;
        byName = layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
    }

    /// <summary>The model, external data inlined. The runtime probe works on copies of it.</summary>
    internal ModelProto Proto { get; }

    /// <summary>The path or description the model was read from, as error messages name it.</summary>
    public string Source { get; }

    /// <summary>The graph inputs a caller feeds, in graph order (initializers listed as inputs excluded).</summary>
    public IReadOnlyList<OnnxInput> Inputs { get; }

    /// <summary>The Conv and ConvTranspose layers, in graph (topological) order.</summary>
    public IReadOnlyList<OnnxConvLayer> Layers { get; }

    /// <summary>The layer of the given name.</summary>
    /// <exception cref="ArgumentException">No layer has this name (the message lists a few that do).</exception>
    public OnnxConvLayer Layer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.TryGetValue(name, out var layer)
            ? layer
            : throw new ArgumentException($"no Conv or ConvTranspose layer named '{name}' in {Source}; its layers: {string.Join(", ", Layers.Take(8).Select(l => l.Name))}{(Layers.Count > 8 ? ", …" : "")}", nameof(name));
    }

    /// <summary>Reads a .onnx file; external data is looked up beside it.</summary>
    /// <exception cref="FileFormatException">The file is not a model this reader accepts (see remarks of <see cref="OnnxModel"/>).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxModel ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        return Parse(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), path);
    }

    /// <summary>Reads a model from a stream (to its end).</summary>
    /// <param name="stream">The model's bytes.</param>
    /// <param name="baseDirectory">Where external data files are looked up, or null if the model has none.</param>
    /// <exception cref="FileFormatException">The bytes are not a model this reader accepts.</exception>
    public static OnnxModel Read(Stream stream, string? baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Parse(copy.ToArray(), baseDirectory, "stream");
    }

    /// <summary>Reads a model from its bytes. The entry point for fuzzing: bad bytes throw only <see cref="FileFormatException"/>.</summary>
    /// <param name="bytes">The model's bytes.</param>
    /// <param name="baseDirectory">Where external data files are looked up, or null if the model has none.</param>
    /// <exception cref="FileFormatException">The bytes are not a model this reader accepts.</exception>
    public static OnnxModel Read(ReadOnlySpan<byte> bytes, string? baseDirectory) => Parse(bytes, baseDirectory, "bytes");

    private static OnnxModel Parse(ReadOnlySpan<byte> bytes, string? baseDirectory, string source)
    {
        if (bytes.IsEmpty) throw OnnxFormat.Error(source, "empty file");
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw OnnxFormat.Error(source, $"malformed or truncated protobuf ({e.Message.Split('\n')[0].TrimEnd('.')})");
        }
        var graph = proto.Graph ?? throw OnnxFormat.Error(source, "the model has no graph");
        ExternalData.Inline(graph, baseDirectory, source);

        var initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var t in graph.Initializer)
            if (!initializers.TryAdd(t.Name, t)) throw OnnxFormat.Error(source, $"initializer '{AttributeReader.Quote(t.Name)}' is defined twice");

        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).Select(i => ReadInput(i, source)).ToArray();
        var shapes = DeclaredShapes(graph);
        var layers = new List<OnnxConvLayer>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            if (node.Domain is not ("" or "ai.onnx")) continue;
            TrackConstant(node, initializers);
            var op = node.OpType switch { "Conv" => OnnxConvOp.Conv, "ConvTranspose" => OnnxConvOp.ConvTranspose, _ => (OnnxConvOp?)null };
            if (op is { } o) layers.Add(ReadLayer(node, o, initializers, shapes, names, source));
        }
        return new OnnxModel(proto, source, inputs, layers);
    }

    private static OnnxConvLayer ReadLayer(NodeProto node, OnnxConvOp op, Dictionary<string, TensorProto> initializers,
        Dictionary<string, int[]> shapes, HashSet<string> names, string source)
    {
        string output = node.Output.Count > 0 ? node.Output[0] : "";
        string name = node.Name.Length > 0 && !names.Contains(node.Name) ? node.Name : $"{node.OpType}:{output}";
        if (!names.Add(name)) throw OnnxFormat.Error(source, $"two {node.OpType} nodes write '{AttributeReader.Quote(output)}'");
        string layer = AttributeReader.Quote(name);
        if (node.Input.Count is < 2 or > 3 || node.Input[0].Length == 0 || node.Input[1].Length == 0)
            throw OnnxFormat.Error(source, $"node '{layer}' ({node.OpType}) needs inputs X, W and optionally B, has {node.Input.Count}");
        if (output.Length == 0) throw OnnxFormat.Error(source, $"node '{layer}' ({node.OpType}) has no output");
        var weightName = node.Input[1];
        if (!initializers.TryGetValue(weightName, out var w))
            throw OnnxFormat.Error(source, $"node '{layer}': weight '{AttributeReader.Quote(weightName)}' is not an initializer or constant (missing initializer)");
        var weight = TensorValues.Read(w, source, $"weight '{AttributeReader.Quote(weightName)}' of node '{layer}'");
        if (weight.Rank is < 3 or > 5)
            throw OnnxFormat.Error(source, $"node '{layer}': weight '{AttributeReader.Quote(weightName)}' has {weight.Rank} dimensions; 1-D to 3-D convolutions need 3 to 5");
        int rank = weight.Rank - 2;
        var attributes = AttributeReader.Read(node, op, rank, source, layer);
        if (attributes.KernelShape is { } k && !k.SequenceEqual(weight.Shape.Skip(2)))
            throw OnnxFormat.Error(source, $"node '{layer}': kernel_shape ({string.Join(", ", k)}) differs from the weight's spatial shape ({string.Join(", ", weight.Shape.Skip(2))})");
        if (op == OnnxConvOp.ConvTranspose && weight.Shape[0] % attributes.Group != 0)
            throw OnnxFormat.Error(source, $"node '{layer}': group = {attributes.Group} does not divide the weight's {weight.Shape[0]} input channels");
        long outChannels = op == OnnxConvOp.Conv ? weight.Shape[0] : (long)weight.Shape[1] * attributes.Group;
        string? biasName = node.Input.Count == 3 && node.Input[2].Length > 0 ? node.Input[2] : null;
        double[]? bias = null;
        if (biasName is not null)
        {
            if (!initializers.TryGetValue(biasName, out var b))
                throw OnnxFormat.Error(source, $"node '{layer}': bias '{AttributeReader.Quote(biasName)}' is not an initializer or constant (missing initializer)");
            var biasTensor = TensorValues.Read(b, source, $"bias '{AttributeReader.Quote(biasName)}' of node '{layer}'");
            if (biasTensor.Rank != 1 || biasTensor.Length != outChannels)
                throw OnnxFormat.Error(source, $"node '{layer}': bias '{AttributeReader.Quote(biasName)}' has shape ({string.Join(", ", biasTensor.Shape)}), the layer has {outChannels} output channels");
            bias = biasTensor.Data;
        }
        shapes.TryGetValue(node.Input[0], out var declared);
        return new OnnxConvLayer(name, op, node.Input[0], output, weightName, biasName, weight, bias, attributes, declared);
    }

    /// <summary>
    /// Constant nodes and Identity nodes of a constant count as initializers: exporters write weights that way
    /// (torch.onnx.export shares equal initializers through Identity nodes, e.g. the zero biases of folded BatchNorms).
    /// </summary>
    private static void TrackConstant(NodeProto node, Dictionary<string, TensorProto> constants)
    {
        if (node.Output.Count != 1) return;
        if (node.OpType == "Identity" && node.Input.Count == 1 && constants.TryGetValue(node.Input[0], out var t))
            constants.TryAdd(node.Output[0], t);
        else if (node.OpType == "Constant" && node.Attribute.Count == 1 && node.Attribute[0] is { Name: "value", T: { } value })
            constants.TryAdd(node.Output[0], value);
    }

    private static OnnxInput ReadInput(ValueInfoProto input, string source)
    {
        var tensor = input.Type?.TensorType;
        if (tensor?.Shape?.Dim.FirstOrDefault(d => d.DimValue > int.MaxValue) is { } big)
            throw OnnxFormat.Error(source, $"input '{AttributeReader.Quote(input.Name)}' has a dimension of {big.DimValue}, beyond int32");
        var dims = tensor?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue : (long?)null).ToArray();
        return new OnnxInput(input.Name, tensor?.Shape is null ? null : dims, tensor?.ElemType ?? 0);
    }

    /// <summary>Fully static shapes the graph declares for its tensors (inputs, value_info, outputs).</summary>
    private static Dictionary<string, int[]> DeclaredShapes(GraphProto graph)
    {
        var shapes = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var v in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            var dims = v.Type?.TensorType?.Shape?.Dim;
            if (dims is null || dims.Count == 0) continue;
            if (dims.All(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue is > 0 and <= int.MaxValue))
                shapes.TryAdd(v.Name, dims.Select(d => (int)d.DimValue).ToArray());
        }
        return shapes;
    }
}
