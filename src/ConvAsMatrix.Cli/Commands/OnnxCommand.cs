using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Onnx;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat onnx list|verify|compile|norm</c>: the Conv and ConvTranspose layers of an ONNX model as V —
/// listed, checked against ONNX Runtime, written out, or measured (‖V‖₂, the layer's Lipschitz constant).
/// </summary>
internal static class OnnxCommand
{
    public static Command Create()
    {
        var command = new Command("onnx", "ONNX models: every Conv and ConvTranspose layer as its matrix V. Subcommands list, verify, compile, norm.");
        command.Add(List());
        command.Add(Verify());
        command.Add(Compile());
        command.Add(Norm());
        return command;
    }

    private static Argument<string> ModelArgument() => new("MODEL") { Description = "The .onnx file (external data files are read from its directory)." };

    private static Option<string[]> InputShapeOption() => new("--input-shape")
    {
        Description = "The shape N,C,D1[,D2[,D3]] of a graph input; repeat it for several inputs, in the graph's input order. Needed when the model's input shape is dynamic.",
        HelpName = "N,C,...",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string> LayerOption(bool required) => new("--layer")
    {
        Description = "The layer's node name, as `convmat onnx list` prints it.",
        HelpName = "NAME",
        Required = required,
        Arity = ArgumentArity.ExactlyOne,
    };

    private static Command List()
    {
        var command = new Command("list", "One line per conv layer (Conv, ConvTranspose, ConvInteger, QLinearConv, QDQ): name, op, for quantized layers the element types and the zero points and scales, weight shape, the stride/padding/dilation/groups the library reads, output shape, and V's entries and bytes; last line 'M conv layers'.");
        var model = ModelArgument();
        var inputShape = InputShapeOption();
        command.Add(model);
        command.Add(inputShape);
        CommandRunner.SetAction(command, c =>
        {
            var m = ReadModel(c.Parse.GetRequiredValue(model));
            var shapes = OnnxRuntimeProbe.LayerInputShapes(m, Shapes(c.Get(inputShape)));
            for (int i = 0; i < m.Layers.Count; i++)
            {
                var layer = m.Layers[i];
                var g = layer.Geometry(shapes[i]);
                var output = layer.Op == OnnxConvOp.ConvTranspose ? g.InputShape : g.OutputShape;
                long entries = g.NonZeroCount;
                var structured = StructuredConvolution<double>.Compile(layer.Weight, g);
                c.Out.WriteLine(Invariant($"{layer.Name} {layer.Op}{QuantizationText(layer.Quantization)} W{Shape(layer.Weight.Shape)} stride {Shape(g.Stride)} padding {PaddingText(g)} dilation {Shape(g.Dilation)} groups {g.Groups} -> {Shape(output)}; V {g.OutputLength} x {g.InputLength}: explicit {entries} entries {ExplicitBytes(g, entries)} bytes, structured {structured.NonZeroCount} entries {structured.StoredBytes} bytes"));
            }
            c.Out.WriteLine($"{m.Layers.Count} conv layers");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify()
    {
        var command = new Command("verify", "Run the model in ONNX Runtime (CPU) with every conv layer's input and output exposed, compute each layer as V·x + bias (Vᵀ·x + bias for ConvTranspose) here, and print each layer's max abs and max rel error; quantized layers (ConvInteger, QLinearConv, QDQ) are computed exactly and compared with no tolerance, a difference located and its cause reproduced where a known one does; last line 'N of M layers agree'. Exit 0 all agree, 1 any disagrees.");
        var model = ModelArgument();
        var inputShape = InputShapeOption();
        var input = new Option<string[]>("--input")
        {
            Description = "A graph input as .npy (float32 or float64, fed as float32; an integer array for a uint8/int8/int32 input, whose values must fit its type); repeat for several inputs, in the graph's input order.",
            HelpName = "X.npy",
            AllowMultipleArgumentsPerToken = false,
        };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random inputs drawn when no --input is given (default 0): uniform in [-1, 1) for float inputs, uniform over the type's range for uint8/int8 inputs.", HelpName = "S" };
        command.Add(model);
        command.Add(input);
        command.Add(inputShape);
        command.Add(seed);
        CommandRunner.SetAction(command, c =>
        {
            var files = c.Get(input) ?? [];
            var shapeTexts = c.Get(inputShape) ?? [];
            if (files.Length > 0 && shapeTexts.Length > 0) throw new UsageException("give --input or --input-shape, not both");
            if (files.Length > 0 && c.Get(seed) is not null) throw new UsageException("--seed draws random inputs: it cannot be used with --input");
            var arrays = files.Select(f => PathOptions.ReadNpy("--input", f)).ToList();
            var m = ReadModel(c.Parse.GetRequiredValue(model));
            var inputs = arrays.Count == 0 ? RandomInputs(m, Shapes(shapeTexts), c.Get(seed) ?? 0) : FitInputs(m, arrays);
            var clock = Stopwatch.StartNew();
            var activations = OnnxRuntimeProbe.Run(m, inputs);
            int agree = 0;
            foreach (var a in activations)
            {
                var r = OnnxVerification.Compare(a);
                if (r.Agrees) agree++;
                var detail = r.ShapeProblem ?? (a.Layer.Quantization is null
                    ? Invariant($"max abs err {r.MaxAbsError:G3}, max rel err {r.MaxRelError:G3}, {r.WorstRatio:G3} of tolerance")
                    : Invariant($"exact, {r.DifferingElements} of {r.OutputShape.Aggregate(1L, (p, d) => p * d)} elements differ") + (r.DifferingElements == 0 ? "" : Invariant($", largest difference {r.MaxAbsError}{(a.Layer.Quantization.OutputType == NpyDataType.Int32 ? "" : " quantization steps")}; {r.Finding}")));
                c.Out.WriteLine(Invariant($"{a.Layer.Name} {a.Layer.Op}{(a.Layer.Quantization is { } q ? " " + q.TypeText : "")} {Shape(r.InputShape)} -> {Shape(r.OutputShape)}: {detail} {(r.Agrees ? "agree" : "DISAGREE")}"));
            }
            bool quantized = activations.Any(a => a.Layer.Quantization is not null), floats = activations.Any(a => a.Layer.Quantization is null);
            c.Out.WriteLine(Invariant($"{activations.Count} layers checked in {clock.Elapsed.TotalSeconds:F1} s;{(floats ? " tolerance per element 2(F+1)·2^-24·(Σ|w·x| + |b|) + 1e-30, F the fan-in" : "")}{(floats && quantized ? ";" : "")}{(quantized ? " quantized layers exact (no tolerance)" : "")}"));
            c.Out.WriteLine($"{agree} of {activations.Count} layers agree");
            return agree == activations.Count ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static Command Compile()
    {
        var command = new Command("compile", "Compile V of one layer (for one sample) and write it as Matrix Market, like `convmat compile`.");
        var model = ModelArgument();
        var layerOption = LayerOption(required: true);
        var inputShape = InputShapeOption();
        var output = PathOptions.RequiredPath("--out", "V.mtx", "Where to write V; replaced only when the command succeeds.");
        command.Add(model);
        command.Add(layerOption);
        command.Add(inputShape);
        command.Add(output);
        CommandRunner.SetAction(command, c =>
        {
            var outPath = c.Require(output);
            PathOptions.CheckOutput("--out", outPath);
            var (layer, g) = OneLayer(c.Parse.GetRequiredValue(model), c.Require(layerOption), c.Get(inputShape));
            var v = CompileProgress.Compile(c, layer.Weight, g);
            MatrixMarket.WriteFile(outPath, v, $"V of ONNX layer {layer.Name} ({layer.Op}): {g}\nrow = output element (c_out, *out) and column = input element (c_in, *in) of the forward convolution, flattened row-major, 1-based");
            c.Out.WriteLine($"{outPath}: V {v.RowCount} x {v.ColumnCount}, {v.NonZerosCount} stored entries ({layer.Name}, {g})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Norm()
    {
        var command = new Command("norm", "‖V‖₂ of one layer or of every layer (each layer's Lipschitz constant, bias aside) as a certified interval, from V's structured form: lower bound by Golub-Kahan-Lanczos, upper bound from the circulant (or, strided, polyphase) spectrum or, for small and mid-size layers, a Cholesky certificate of the banded Gram matrix; ConvTranspose has the same norm, ‖Vᵀ‖₂ = ‖V‖₂. Each line ends with the value; without --layer the last line is the product of the layers' upper bounds.");
        var model = ModelArgument();
        var layerOption = LayerOption(required: false);
        var inputShape = InputShapeOption();
        command.Add(model);
        command.Add(layerOption);
        command.Add(inputShape);
        var iteration = new IterationOptions(SpectralNorm.DefaultTolerance,
            "the relative width (upper - lower) / upper of each layer's interval, or the eigen-residual, whichever is met first",
            SpectralNorm.DefaultMaxIterations);
        iteration.AddTo(command);
        var width = NormCommand.WidthOption();
        command.Add(width);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead: every layer's name, op, V size, lower, upper, value, exact, method, iterations, seconds and status, and (all layers) the product of the upper bounds." };
        command.Add(json);
        CommandRunner.SetAction(command, c =>
        {
            var (tolerance, maxIterations) = iteration.Resolve(c);
            double intervalWidth = c.Get(width) ?? NormCommand.DefaultWidth;
            var m = ReadModel(c.Parse.GetRequiredValue(model));
            var shapes = OnnxRuntimeProbe.LayerInputShapes(m, Shapes(c.Get(inputShape)));
            var name = c.Get(layerOption);
            var selected = name is null ? m.Layers : [m.Layer(name)];
            var results = new List<(OnnxConvLayer Layer, ConvGeometry Geometry, NormBound Bound)>();
            var clock = Stopwatch.StartNew();
            NetworkProgress.Run(c, selected.Count, progress =>
            {
                foreach (var layer in selected)
                {
                    var shape = shapes[IndexOf(m, layer)].ToArray();
                    shape[0] = 1; // V is one sample's matrix
                    var g = layer.Geometry(shape);
                    var bound = LayerNorm(layer, g, tolerance, maxIterations, intervalWidth);
                    IterationOptions.WarnIfNotConverged(c, "Lanczos iteration", bound.Status, bound.Iterations,
                        $"layer {layer.Name}: eigen-residual {bound.Residual:G3} (certified interval [{bound.Lower:R}, {bound.Upper:R}])");
                    results.Add((layer, g, bound));
                    if (!c.Get(json))
                        c.Out.WriteLine(Invariant($"{layer.Name} {layer.Op} V {g.OutputLength} x {g.InputLength}: lower {bound.Lower:R}, upper {bound.Upper:R}{(bound.Exact ? ", exact" : "")}: {bound.Value:R}"));
                    progress?.Report((double)results.Count / selected.Count);
                }
                return 0;
            });
            double? product = name is null ? LipschitzProduct(results.Select(r => r.Bound.Upper)) : null;
            if (c.Get(json))
            {
                c.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    layers = results.Select(r => new
                    {
                        name = r.Layer.Name, op = r.Layer.Op, rows = r.Geometry.OutputLength, columns = r.Geometry.InputLength,
                        lower = r.Bound.Lower, upper = r.Bound.Upper, value = r.Bound.Value, exact = r.Bound.Exact, method = r.Bound.Method,
                        iterations = r.Bound.Iterations, seconds = r.Bound.Seconds, status = r.Bound.Status.ToString(),
                    }),
                    product,
                    seconds = clock.Elapsed.TotalSeconds,
                }));
            }
            else if (product is double p)
                c.Out.WriteLine(Invariant($"product of the {results.Count} layers' upper bounds (a Lipschitz bound of the conv layers alone): {p:R}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>∏ upper bounds, rounded up: each of the L − 1 products is within a relative u of the exact one, so the
    /// rounded product times 1 + 2L·u is at least the exact product (L·u ≪ 1).</summary>
    internal static double LipschitzProduct(IEnumerable<double> uppers)
    {
        double product = 1;
        int count = 0;
        foreach (var u in uppers)
        {
            product *= u;
            count++;
        }
        return product * (1 + 2.0 * count * Math.Pow(2, -53));
    }

    /// <summary>The certified ‖V‖₂ interval of a layer, on its structured V (no explicit matrix, whatever the layer's size).</summary>
    internal static NormBound LayerNorm(OnnxConvLayer layer, ConvGeometry g, double tolerance, int maxIterations, double width) =>
        SpectralNorm.Bound(StructuredConvolution<double>.Compile(layer.Weight, g), layer.Weight.Data, tolerance, maxIterations, width: width);

    /// <summary>One layer and its geometry for one sample (V's batch is 1).</summary>
    private static (OnnxConvLayer Layer, ConvGeometry Geometry) OneLayer(string path, string name, string[]? shapeTexts)
    {
        var m = ReadModel(path);
        var layer = m.Layer(name);
        var shape = OnnxRuntimeProbe.LayerInputShapes(m, Shapes(shapeTexts))[IndexOf(m, layer)].ToArray();
        shape[0] = 1;
        return (layer, layer.Geometry(shape));
    }

    private static int IndexOf(OnnxModel m, OnnxConvLayer layer)
    {
        for (int i = 0; i < m.Layers.Count; i++) if (ReferenceEquals(m.Layers[i], layer)) return i;
        throw new UnreachableException();
    }

    private static OnnxModel ReadModel(string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"MODEL '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new UsageException($"MODEL '{path}': no such file");
        return OnnxModel.ReadFile(path);
    }

    /// <summary>The --input-shape values as shapes, or null when none were given.</summary>
    private static int[][]? Shapes(string[]? texts)
    {
        if (texts is null || texts.Length == 0) return null;
        return texts.Select(t =>
        {
            var parts = t.Split(',');
            var shape = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] < 1)
                    throw new UsageException($"--input-shape '{t}' must be N,C,D1[,D2[,D3]] with integers >= 1");
            return shape;
        }).ToArray();
    }

    /// <summary>
    /// Random inputs of the given shapes (or the model's static ones), from one seed: uniform in [-1, 1) for float32
    /// inputs, uniform over the type's range for uint8 and int8 inputs.
    /// </summary>
    private static List<NpyArray> RandomInputs(OnnxModel m, int[][]? shapes, int seed)
    {
        if (shapes is not null && shapes.Length != m.Inputs.Count)
            throw new UsageException($"the model has {m.Inputs.Count} inputs ({string.Join(", ", m.Inputs.Select(i => $"'{i.Name}' {i.ShapeText}"))}); give one --input-shape for each");
        var random = new Random(seed);
        var result = new List<NpyArray>();
        for (int i = 0; i < m.Inputs.Count; i++)
        {
            var input = m.Inputs[i];
            int[] shape = shapes?[i] ?? (input.IsStatic
                ? input.Dimensions!.Select(d => checked((int)d!.Value)).ToArray()
                : throw new UsageException($"input '{input.Name}' has the dynamic shape {input.ShapeText}: give --input-shape or --input"));
            long count = shape.Aggregate(1L, (p, d) => p * d);
            if (count > Array.MaxLength) throw new UsageException($"input '{input.Name}' of shape {Shape(shape)} has {count} elements, more than one array holds");
            result.Add(InputType(input) switch
            {
                NpyDataType.UInt8 => NpyArray.From(new Tensor<byte>(Draw(count, () => (byte)random.Next(0, 256)), shape)),
                NpyDataType.Int8 => NpyArray.From(new Tensor<sbyte>(Draw(count, () => (sbyte)random.Next(-128, 128)), shape)),
                _ => NpyArray.From(new Tensor<float>(Draw(count, () => (float)(2 * random.NextDouble() - 1)), shape)),
            });
        }
        return result;
    }

    private static T[] Draw<T>(long count, Func<T> next)
    {
        var data = new T[count];
        for (long j = 0; j < count; j++) data[j] = next();
        return data;
    }

    /// <summary>The --input arrays as the inputs' element types: float32 (from any float or integer array), or an integer type the values must fit.</summary>
    private static List<NpyArray> FitInputs(OnnxModel m, List<NpyArray> arrays)
    {
        if (arrays.Count != m.Inputs.Count) return arrays.Select(a => new NpyArray(a.ToSingle())).ToList(); // the probe names the count mismatch
        // A float input takes float32 or float64 arrays, as before; an integer input takes integers that fit its type.
        return arrays.Select((a, i) =>
        {
            var type = InputType(m.Inputs[i]);
            if (type == NpyDataType.Float32)
                return a.IsInteger ? throw new UsageException($"--input for '{m.Inputs[i].Name}' holds {a.DataType}; the input is float32: give float32 or float64") : new NpyArray(a.ToSingle());
            if (!a.IsInteger) throw new UsageException($"--input for '{m.Inputs[i].Name}' holds {a.DataType}; the input is {type}: give integers");
            try
            {
                return NpyArray.Narrow(a.ToInt64(), type);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--input for '{m.Inputs[i].Name}' ({type}): {e.Message.Split(" (Parameter")[0]}");
            }
        }).ToList();
    }

    /// <summary>The .npy type fed to a graph input: uint8 or int8 as declared, float32 otherwise (ONNX Runtime names any other mismatch).</summary>
    private static NpyDataType InputType(OnnxInput input) => input.ElementType switch
    {
        2 => NpyDataType.UInt8,
        3 => NpyDataType.Int8,
        _ => NpyDataType.Float32,
    };

    /// <summary>" u8s8->u8 x_zp 128 w_zp per-channel(8) scales x 0.02 w per-tensor y 0.1": what list prints of a quantized layer.</summary>
    private static string QuantizationText(OnnxQuantization? q)
    {
        if (q is null) return "";
        string Values<T>(IReadOnlyList<T> v) => v.Count == 1 ? Invariant($"{v[0]}") : $"per-channel({v.Count})";
        var text = Invariant($" {q.TypeText} x_zp {q.InputZeroPoint} w_zp {Values(q.WeightZeroPoint)}");
        if (q.WeightScale is { } ws)
            text += Invariant($" x_scale {q.InputScale:R} w_scale {Values(ws.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray())} y_scale {q.OutputScale:R} y_zp {q.OutputZeroPoint}{(q.Bias is null ? "" : " B int32")}");
        return text + $" ({q.WeightGranularity} weight)";
    }

    /// <summary>CSR in double with int32 indices: 8 + 4 bytes per entry and 4 per row pointer.</summary>
    private static long ExplicitBytes(ConvGeometry g, long entries) => 12 * entries + 4L * (g.OutputLength + 1);

    private static string PaddingText(ConvGeometry g) =>
        string.Join(",", g.PaddingBefore.Zip(g.PaddingAfter, (b, a) => Invariant($"{b}:{a}")));

    private static string Shape(IEnumerable<int> s) => "(" + string.Join(", ", s) + ")";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
