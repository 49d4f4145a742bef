using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// Runs a model in ONNX Runtime (CPU) with every conv layer's input and output added to the graph's outputs,
/// so each layer can be checked on its own; and asks ONNX Runtime's shape inference for each layer's input shape.
/// Quantized layers' tensors are captured with their integer types (x uint8/int8; y int32, uint8 or int8).
/// </summary>
/// <remarks>
/// The outputs are added to a copy of the model in memory (the file is untouched). A tensor that is a graph
/// output cannot be fused away, so ONNX Runtime's optimizer keeps each Conv separate from the BatchNorm or
/// activation after it and the values seen are those of the convolution itself; the graph is otherwise optimized
/// as usual (the default level, which on x86 includes the NCHWc convolution kernels).
/// </remarks>
public static class OnnxRuntimeProbe
{
    /// <summary>The input shape of every layer, for the given graph input shapes.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputShapes">One shape per graph input (in <see cref="OnnxModel.Inputs"/> order), or null to use the shapes the model declares.</param>
    /// <returns>One (N, C, *spatial) per layer, in <see cref="OnnxModel.Layers"/> order.</returns>
    /// <exception cref="ArgumentException">The inputs are dynamic and no shapes were given, the shapes do not fit, or the shapes cannot be inferred.</exception>
    /// <exception cref="FileFormatException">ONNX Runtime refuses the model.</exception>
    public static IReadOnlyList<int[]> LayerInputShapes(OnnxModel model, IReadOnlyList<int[]>? inputShapes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (inputShapes is null && model.Layers.All(l => l.DeclaredInputShape is not null))
            return model.Layers.Select(l => l.DeclaredInputShape!.ToArray()).ToArray();
        var shapes = ResolveInputShapes(model, inputShapes);
        var proto = model.Proto.Clone();
        for (int i = 0; i < shapes.Length; i++) FixShape(proto.Graph, model.Inputs[i].Name, shapes[i]);
        var given = model.Inputs.Select((input, i) => (input.Name, Shape: shapes[i])).ToDictionary(p => p.Name, p => p.Shape, StringComparer.Ordinal);
        Expose(proto.Graph, model.Layers.Select(l => (l.InputName, InputType(l))).Where(n => !given.ContainsKey(n.InputName)));
        using var session = Open(proto, model.Source);
        var result = new int[model.Layers.Count][];
        for (int i = 0; i < result.Length; i++)
        {
            var layer = model.Layers[i];
            if (given.TryGetValue(layer.InputName, out var s)) { result[i] = s; continue; }
            var dims = session.OutputMetadata[layer.InputName].Dimensions;
            if (dims.Length == 0 || dims.Any(d => d < 1))
                throw new ArgumentException($"ONNX Runtime cannot infer the input shape of layer '{layer.Name}' (got ({string.Join(", ", dims.Select(d => d < 1 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))})); give --input-shape", nameof(inputShapes));
            result[i] = dims;
        }
        return result;
    }

    /// <summary>Runs the model on <paramref name="inputs"/> and returns every layer's input and output.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputs">One float32 tensor per graph input, in <see cref="OnnxModel.Inputs"/> order.</param>
    /// <exception cref="ArgumentException">Wrong number of inputs, a shape the model does not accept, or an input that is not float32.</exception>
    /// <exception cref="FileFormatException">ONNX Runtime refuses the model.</exception>
    public static IReadOnlyList<LayerActivation> Run(OnnxModel model, IReadOnlyList<Tensor<float>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return Run(model, inputs.Select(t => new NpyArray(t)).ToArray());
    }

    /// <summary>Runs the model on inputs of any element type the graph declares (float32, uint8, int8, int32) and returns every layer's input and output.</summary>
    /// <param name="model">The model.</param>
    /// <param name="inputs">One tensor per graph input, in <see cref="OnnxModel.Inputs"/> order, each of the input's element type.</param>
    /// <exception cref="ArgumentException">Wrong number of inputs, a shape the model does not accept, or an element type other than the input's.</exception>
    /// <exception cref="FileFormatException">ONNX Runtime refuses the model.</exception>
    public static IReadOnlyList<LayerActivation> Run(OnnxModel model, IReadOnlyList<NpyArray> inputs) => Run(model, inputs, null);

    /// <summary>As <see cref="Run(OnnxModel, IReadOnlyList{NpyArray})"/>, with session options set by <paramref name="configure"/> (tests: optimization off, x64 quantization precision).</summary>
    internal static IReadOnlyList<LayerActivation> Run(OnnxModel model, IReadOnlyList<NpyArray> inputs, Action<SessionOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ResolveInputShapes(model, inputs.Select(t => t.Shape.ToArray()).ToArray());
        for (int i = 0; i < inputs.Count; i++)
        {
            var input = model.Inputs[i];
            if (input.ElementType != TensorValues.OnnxTypeOrZero(inputs[i].DataType))
                throw new ArgumentException($"input '{input.Name}' has ONNX element type {input.ElementType}; {inputs[i].DataType} cannot be fed to it (float32 1, uint8 2, int8 3 and int32 6 can, each to its own type)", nameof(inputs));
        }
        var proto = model.Proto.Clone();
        var feeds = model.Inputs.Select((input, i) => (input.Name, Tensor: inputs[i])).ToDictionary(p => p.Name, p => p.Tensor, StringComparer.Ordinal);
        var wanted = model.Layers.SelectMany(l => new[] { (Name: l.InputName, Type: InputType(l)), (Name: l.OutputName, Type: OutputType(l)) })
            .Where(n => !feeds.ContainsKey(n.Name)).DistinctBy(n => n.Name).ToArray();
        var wantedNames = wanted.Select(w => w.Name).ToArray();
        Expose(proto.Graph, wanted);
        using var session = Open(proto, model.Source, configure);
        var values = inputs.Select(ToOrtValue).ToArray();
        try
        {
            using var runOptions = new RunOptions();
            IDisposableReadOnlyCollection<OrtValue> outputs;
            try
            {
                outputs = session.Run(runOptions, model.Inputs.Select(i => i.Name).ToArray(), values, wantedNames);
            }
            catch (OnnxRuntimeException e)
            {
                throw new ArgumentException($"ONNX Runtime cannot run the model on these inputs: {FirstLine(e)}", nameof(inputs));
            }
            using (outputs)
            {
                var captured = new Dictionary<string, NpyArray>(feeds, StringComparer.Ordinal);
                for (int i = 0; i < wantedNames.Length; i++) captured[wantedNames[i]] = ToArray(outputs.ElementAt(i), wantedNames[i]);
                return model.Layers.Select(l => Activation(l, captured[l.InputName], captured[l.OutputName])).ToArray();
            }
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static LayerActivation Activation(OnnxConvLayer layer, NpyArray input, NpyArray output)
    {
        if (layer.Quantization is not null) return new LayerActivation(layer, input, output);
        foreach (var (tensor, what) in new[] { (input, layer.InputName), (output, layer.OutputName) })
            if (tensor.DataType != NpyDataType.Float32)
                throw new ArgumentException($"tensor '{what}' is {tensor.DataType} in ONNX Runtime; float layers are checked on float32", "inputs");
        return new LayerActivation(layer, input.As<float>(), output.As<float>());
    }

    private static int InputType(OnnxConvLayer layer) => layer.Quantization is { } q ? TensorValues.OnnxType(q.InputType) : TensorValues.Float;

    private static int OutputType(OnnxConvLayer layer) => layer.Quantization is { } q ? TensorValues.OnnxType(q.OutputType) : TensorValues.Float;

    private static OrtValue ToOrtValue(NpyArray a)
    {
        var shape = a.Shape.Select(d => (long)d).ToArray();
        return a.DataType switch
        {
            NpyDataType.Float32 => OrtValue.CreateTensorValueFromMemory(a.As<float>().Data, shape),
            NpyDataType.UInt8 => OrtValue.CreateTensorValueFromMemory(a.As<byte>().Data, shape),
            NpyDataType.Int8 => OrtValue.CreateTensorValueFromMemory(a.As<sbyte>().Data, shape),
            NpyDataType.Int32 => OrtValue.CreateTensorValueFromMemory(a.As<int>().Data, shape),
            _ => throw new ArgumentException($"{a.DataType} inputs cannot be fed", "inputs"),
        };
    }

    /// <summary>The shapes to use for the graph inputs: the given ones, checked against the model, or the declared static ones.</summary>
    private static int[][] ResolveInputShapes(OnnxModel model, IReadOnlyList<int[]>? given)
    {
        if (given is not null && given.Count != model.Inputs.Count)
            throw new ArgumentException($"the model has {model.Inputs.Count} inputs ({string.Join(", ", model.Inputs.Select(i => $"'{i.Name}' {i.ShapeText}"))}), {given.Count} given", "inputShapes");
        var shapes = new int[model.Inputs.Count][];
        for (int i = 0; i < shapes.Length; i++)
        {
            var input = model.Inputs[i];
            if (given is null)
            {
                if (!input.IsStatic)
                    throw new ArgumentException($"input '{input.Name}' has the dynamic shape {input.ShapeText}: give its shape (--input-shape)", "inputShapes");
                shapes[i] = input.Dimensions!.Select(d => (int)d!.Value).ToArray();
                continue;
            }
            var s = given[i];
            if (s.Any(d => d < 1)) throw new ArgumentException($"input '{input.Name}': shape ({string.Join(", ", s)}) has a dimension below 1", "inputShapes");
            if (input.Dimensions is { } dims)
            {
                bool fits = dims.Count == s.Length && dims.Select((d, k) => d is null || d == s[k]).All(ok => ok);
                if (!fits) throw new ArgumentException($"input '{input.Name}' is declared {input.ShapeText}, given ({string.Join(", ", s)})", "inputShapes");
            }
            shapes[i] = s;
        }
        return shapes;
    }

    private static void FixShape(GraphProto graph, string name, int[] shape)
    {
        var input = graph.Input.First(i => i.Name == name);
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape) tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        input.Type ??= new TypeProto();
        input.Type.TensorType ??= new TypeProto.Types.Tensor { ElemType = TensorValues.Float };
        input.Type.TensorType.Shape = tensorShape;
    }

    /// <summary>Adds the named tensors to the graph's outputs (those not already there) with their element type and no shape.</summary>
    private static void Expose(GraphProto graph, IEnumerable<(string Name, int Type)> tensors)
    {
        var present = new HashSet<string>(graph.Output.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var (name, type) in tensors)
            if (present.Add(name))
                graph.Output.Add(new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } });
    }

    private static InferenceSession Open(ModelProto proto, string source, Action<SessionOptions>? configure = null)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        configure?.Invoke(options);
        try
        {
            return new InferenceSession(proto.ToByteArray(), options);
        }
        catch (OnnxRuntimeException e)
        {
            throw OnnxFormat.Error(source, $"ONNX Runtime refuses the model: {FirstLine(e)}");
        }
    }

    private static NpyArray ToArray(OrtValue value, string name)
    {
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape.Select(d => checked((int)d)).ToArray();
        return info.ElementDataType switch
        {
            TensorElementType.Float => NpyArray.From(new Tensor<float>(value.GetTensorDataAsSpan<float>().ToArray(), shape)),
            TensorElementType.UInt8 => NpyArray.From(new Tensor<byte>(value.GetTensorDataAsSpan<byte>().ToArray(), shape)),
            TensorElementType.Int8 => NpyArray.From(new Tensor<sbyte>(value.GetTensorDataAsSpan<sbyte>().ToArray(), shape)),
            TensorElementType.Int32 => NpyArray.From(new Tensor<int>(value.GetTensorDataAsSpan<int>().ToArray(), shape)),
            var t => throw new ArgumentException($"tensor '{name}' is {t} in ONNX Runtime; only float32, uint8, int8 and int32 layers can be checked", nameof(name)),
        };
    }

    private static string FirstLine(Exception e) => e.Message.Split('\n')[0].TrimEnd('\r');
}
