using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// What the layer reader looks up in a graph: constants (initializers, Constant nodes and Identity nodes of them), the
/// node writing each tensor and the nodes reading it, and the shapes and element types the graph declares.
/// </summary>
internal sealed class GraphIndex
{
    private readonly Dictionary<string, TensorProto> constants;
    private readonly Dictionary<string, NodeProto> producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<NodeProto>> consumers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> types = new(StringComparer.Ordinal);
    private readonly HashSet<string> outputs;

    public GraphIndex(GraphProto graph, Dictionary<string, TensorProto> initializers, string source)
    {
        Source = source;
        constants = initializers;
        outputs = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var node in graph.Node)
        {
            TrackConstant(node);
            foreach (var o in node.Output) producers.TryAdd(o, node);
            foreach (var i in node.Input)
            {
                if (!consumers.TryGetValue(i, out var list)) consumers[i] = list = [];
                list.Add(node);
            }
        }
        foreach (var v in graph.Input.Concat(graph.ValueInfo).Concat(graph.Output))
        {
            if (v.Type?.TensorType is not { } tensor) continue;
            if (tensor.ElemType != 0) types.TryAdd(v.Name, tensor.ElemType);
            var dims = tensor.Shape?.Dim;
            if (dims is null || dims.Count == 0) continue;
            if (dims.All(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && d.DimValue is > 0 and <= int.MaxValue))
                shapes.TryAdd(v.Name, dims.Select(d => (int)d.DimValue).ToArray());
        }
    }

    /// <summary>The path or description the model was read from.</summary>
    public string Source { get; }

    /// <summary>The constant of this name, or null.</summary>
    public TensorProto? Constant(string name) => constants.GetValueOrDefault(name);

    /// <summary>The node writing the node's input <paramref name="index"/>, or null (a graph input, an initializer, absent).</summary>
    public NodeProto? Producer(NodeProto node, int index) =>
        node.Input.Count > index && !constants.ContainsKey(node.Input[index]) ? producers.GetValueOrDefault(node.Input[index]) : null;

    /// <summary>The nodes reading a tensor.</summary>
    public IReadOnlyList<NodeProto> Consumers(string name) => consumers.TryGetValue(name, out var list) ? list : [];

    /// <summary>Whether the tensor is one of the graph's outputs.</summary>
    public bool IsGraphOutput(string name) => outputs.Contains(name);

    /// <summary>The fully static shape the graph declares for a tensor (its inputs, value_info or outputs), or null.</summary>
    public int[]? DeclaredShape(string name) => shapes.GetValueOrDefault(name);

    /// <summary>
    /// A tensor's ONNX element type: as declared, or as its producer fixes it (QuantizeLinear and QLinearConv write their
    /// zero point's type, uint8 without one; ConvInteger int32); null when unknown.
    /// </summary>
    public int? ElementType(string name)
    {
        if (types.TryGetValue(name, out var t)) return t;
        if (!producers.TryGetValue(name, out var node)) return null;
        int zeroPointInput = node.OpType switch { "QuantizeLinear" => 2, "QLinearConv" => 7, "ConvInteger" => -1, _ => -2 };
        if (zeroPointInput == -1) return TensorValues.Int32;
        if (zeroPointInput < 0) return null;
        return node.Input.Count > zeroPointInput && node.Input[zeroPointInput].Length > 0
            ? Constant(node.Input[zeroPointInput])?.DataType
            : TensorValues.UInt8;
    }

    /// <summary>
    /// Constant nodes and Identity nodes of a constant count as initializers: exporters write weights that way
    /// (torch.onnx.export shares equal initializers through Identity nodes, e.g. the zero biases of folded BatchNorms).
    /// </summary>
    private void TrackConstant(NodeProto node)
    {
        if (node.Output.Count != 1) return;
        if (node.OpType == "Identity" && node.Input.Count == 1 && constants.TryGetValue(node.Input[0], out var t))
            constants.TryAdd(node.Output[0], t);
        else if (node.OpType == "Constant" && node.Attribute.Count == 1 && node.Attribute[0] is { Name: "value", T: { } value })
            constants.TryAdd(node.Output[0], value);
    }
}
