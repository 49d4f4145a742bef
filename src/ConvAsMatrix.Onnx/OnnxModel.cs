using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// An ONNX model read for its convolutions: every Conv and ConvTranspose node of the main graph with its
/// initializer weight and bias, and every quantized convolution (ConvInteger, QLinearConv, and the QDQ form
/// DequantizeLinear → Conv → QuantizeLinear) with its integer weight, zero points, scales and bias (<see cref="Layers"/>),
/// and the inputs a caller feeds (<see cref="Inputs"/>).
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

    /// <summary>The conv layers (float and quantized), in graph (topological) order.</summary>
    public IReadOnlyList<OnnxConvLayer> Layers { get; }

    /// <summary>The layer of the given name.</summary>
    /// <exception cref="ArgumentException">No layer has this name (the message lists a few that do).</exception>
    public OnnxConvLayer Layer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return byName.TryGetValue(name, out var layer)
            ? layer
            : throw new ArgumentException($"no conv layer named '{name}' in {Source}; its layers: {string.Join(", ", Layers.Take(8).Select(l => l.Name))}{(Layers.Count > 8 ? ", …" : "")}", nameof(name));
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
        var reader = new LayerReader(new GraphIndex(graph, initializers, source));
        var layers = graph.Node.Select(reader.Read).OfType<OnnxConvLayer>().ToArray();
        return new OnnxModel(proto, source, inputs, layers);
    }

    private static OnnxInput ReadInput(ValueInfoProto input, string source)
    {
        var tensor = input.Type?.TensorType;
        if (tensor?.Shape?.Dim.FirstOrDefault(d => d.DimValue > int.MaxValue) is { } big)
            throw OnnxFormat.Error(source, $"input '{AttributeReader.Quote(input.Name)}' has a dimension of {big.DimValue}, beyond int32");
        var dims = tensor?.Shape?.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue > 0 ? d.DimValue : (long?)null).ToArray();
        return new OnnxInput(input.Name, tensor?.Shape is null ? null : dims, tensor?.ElemType ?? 0);
    }
}
