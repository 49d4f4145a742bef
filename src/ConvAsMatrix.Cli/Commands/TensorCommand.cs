using System.CommandLine;
using System.Numerics;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>A computation on tensors in either precision, e.g. <c>Functional.Conv</c> with the command's options.</summary>
internal interface ITensorOperation
{
    /// <summary>The forward convolution whose V the operation compiles, for inputs and weights of these shapes.</summary>
    ConvGeometry Geometry(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape);

    /// <summary>Computes the output from input, weight and (optional) bias, all of element type <typeparamref name="T"/>; reports the compilation of V to <paramref name="progress"/>.</summary>
    Tensor<T> Apply<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, IProgress<double>? progress)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>;
}

/// <summary>How <c>conv</c> and <c>tconv</c> compute: through V (in one of its forms) or the direct loops.</summary>
internal readonly record struct Computation(ConvMethod Method, MatrixForm Form);

/// <summary>
/// What <c>conv</c> and <c>tconv</c> share: the --input/--weight/--bias/--method/--form/--out/--out-dtype options and
/// running an operation in the input's precision: integer (bool or any integer dtype) input, weight and bias exactly, in
/// long (BigInteger where a sum could leave long), written as int64 or the --out-dtype asked for; otherwise float32 when
/// the input is float32 and float64 else, like PyTorch after casting the weight and bias to the input's dtype.
/// </summary>
internal sealed class TensorCommand
{
    private readonly Option<string> input;
    private readonly Option<string> weight;
    private readonly Option<string?> bias;
    private readonly Option<string> output;

    public TensorCommand(Command command, string inputName, string inputLayout, string weightLayout, string outputName, GeometryOptions geometry)
    {
        input = PathOptions.RequiredPath("--input", inputName, $"Input array {inputLayout}, .npy: float64, float32, or any integer dtype (then computed exactly).");
        weight = PathOptions.RequiredPath("--weight", "W.npy", $"Weight {weightLayout}, .npy; the rank (1-3 spatial dimensions) comes from it.");
        bias = PathOptions.OptionalPath("--bias", "B.npy", "Bias (C_out), .npy, added to every output channel.");
        Method = ValueParsers.MethodOption();
        output = PathOptions.RequiredPath("--out", outputName, "Where to write the result (.npy: int64 for integer operands, float32 for a float32 input, float64 else); replaced only when the command succeeds.");
        outDtype = ValueParsers.DtypeOption("The result's dtype: for integer operands int64 (default) or a narrower integer type, every value checked to fit; for float operands float64 or float32.");
        command.Add(input);
        command.Add(weight);
        command.Add(bias);
        geometry.AddTo(command);
        command.Add(Method);
        form = new FormOption(command);
        command.Add(output);
        command.Add(outDtype);
    }

    private readonly FormOption form;
    private readonly Option<NpyDataType?> outDtype;

    public Option<ConvMethod?> Method { get; }

    /// <summary>The --method given (matrix when absent) and the --form (structured when absent).</summary>
    public Computation ComputationOf(CommandContext context) => new(context.Get(Method) ?? ConvMethod.Matrix, form.Of(context));

    /// <summary>Reads the arrays, applies <paramref name="operation"/> in the input's precision and writes the result.</summary>
    /// <remarks>An unbatched input (C, *spatial), one dimension fewer than the weight, gives an unbatched output, as in PyTorch.</remarks>
    public int Run(CommandContext context, ITensorOperation operation)
    {
        var (x, w, b, outPath) = ReadOperands(context);
        // The geometry first: a bad one is reported before anything large is converted or allocated, and it sizes V for the progress bar.
        var geometry = operation.Geometry(BatchedShape(x.Shape, w.Shape), w.Shape);
        long entries = ComputationOf(context) == new Computation(ConvMethod.Matrix, MatrixForm.Csr) ? geometry.NonZeroCount : 0;
        var type = OutDtype(context);
        var result = x.IsInteger && w.IsInteger && (b is null || b.IsInteger)
            ? CompileProgress.Run(context, entries, progress => Exact(operation, geometry, x, w, b, type, progress))
            : CompileProgress.Run(context, entries, progress => Floating(operation, x, w, b, type, progress));
        return Write(context, outPath, result);
    }

    /// <summary>--input, --weight and --bias read (any dtype), and --out checked writable before any work.</summary>
    public (NpyArray X, NpyArray W, NpyArray? B, string OutPath) ReadOperands(CommandContext context)
    {
        var outPath = context.Require(output);
        PathOptions.CheckOutput("--out", outPath);
        var x = PathOptions.ReadNpy("--input", context.Require(input));
        var w = PathOptions.ReadNpy("--weight", context.Require(weight));
        var biasPath = context.Get(bias);
        return (x, w, biasPath is null ? null : PathOptions.ReadNpy("--bias", biasPath), outPath);
    }

    /// <summary>The --out-dtype given, or null.</summary>
    public NpyDataType? OutDtype(CommandContext context) => context.Get(outDtype);

    /// <summary>Writes the result all or nothing and says what was written.</summary>
    public static int Write(CommandContext context, string path, NpyArray result)
    {
        Npy.WriteFile(path, result);
        context.Out.WriteLine($"{path}: ({string.Join(", ", result.Shape)}) {result.DataType.ToString().ToLowerInvariant()}");
        return ExitCodes.Success;
    }

    /// <summary>Integer operands: the sums exactly, in long when none can leave it (else BigInteger), stored as <paramref name="type"/>.</summary>
    private static NpyArray Exact(ITensorOperation operation, ConvGeometry geometry, NpyArray x, NpyArray w, NpyArray? b, NpyDataType? type, IProgress<double>? progress)
    {
        if (type is NpyDataType.Float32 or NpyDataType.Float64 or NpyDataType.Float16)
            throw new UsageException($"--out-dtype {ValueParsers.DtypeName(type.Value)}: the operands are integers, computed exactly; write int64 or a narrower integer type");
        var (xi, wi, bi) = (ExactIntegers.Read("--input", x), ExactIntegers.Read("--weight", w), b is null ? null : ExactIntegers.Read("--bias", b));
        // Every output sums at most (channels per group)·∏k products per padded position it gathers; the padded length bounds that.
        double terms = (double)Math.Max(geometry.InChannels / geometry.Groups, geometry.OutChannels / geometry.Groups);
        for (int d = 0; d < geometry.Rank; d++)
            terms *= (double)geometry.KernelSize[d] * ((double)geometry.InputSize[d] + Math.Abs(geometry.PaddingBefore[d]) + Math.Abs(geometry.PaddingAfter[d]));
        if (ExactIntegers.FitsLong(xi, wi, bi, terms))
            return ExactIntegers.Narrow(operation.Apply(xi, wi, bi, progress), type);
        static Tensor<BigInteger> Big(Tensor<long> t) => new(Array.ConvertAll(t.Data, v => (BigInteger)v), t.ShapeArray);
        return ExactIntegers.Narrow(ExactIntegers.ToLong(operation.Apply(Big(xi), Big(wi), bi is null ? null : Big(bi), progress)), type);
    }

    /// <summary>Float operands: float32 throughout for a float32 input, float64 otherwise; then the --out-dtype float asked for.</summary>
    private static NpyArray Floating(ITensorOperation operation, NpyArray x, NpyArray w, NpyArray? b, NpyDataType? type, IProgress<double>? progress)
    {
        // Integers beside floats would be computed neither exactly nor as the caller's float code does: refused, as PyTorch refuses mixed dtypes.
        var operands = new[] { ("--input", x), ("--weight", w), ("--bias", b) }.Where(o => o.Item2 is not null).Select(o => (Option: o.Item1, Array: o.Item2!)).ToArray();
        if (operands.FirstOrDefault(o => o.Array.IsInteger) is { Array: not null } integer)
        {
            var floating = operands.First(o => !o.Array.IsInteger);
            throw new UsageException($"{integer.Option} holds {integer.Array.DataType.ToString().ToLowerInvariant()} but {floating.Option} {floating.Array.DataType.ToString().ToLowerInvariant()}: give --input, --weight and --bias all as integers (computed exactly) or all as floats");
        }
        if (type is not (null or NpyDataType.Float32 or NpyDataType.Float64))
            throw new UsageException($"--out-dtype {ValueParsers.DtypeName(type.Value)} needs integer --input, --weight and --bias; here the input is {x.DataType.ToString().ToLowerInvariant()}, the weight {w.DataType.ToString().ToLowerInvariant()}{(b is null ? "" : $", the bias {b.DataType.ToString().ToLowerInvariant()}")}");
        var result = x.DataType == NpyDataType.Float32
            ? new NpyArray(operation.Apply(x.ToSingle(), w.ToSingle(), b?.ToSingle(), progress))
            : new NpyArray(operation.Apply(x.ToDouble(), w.ToDouble(), b?.ToDouble(), progress));
        return type switch
        {
            NpyDataType.Float32 when result.DataType != NpyDataType.Float32 => new NpyArray(result.ToSingle()),
            NpyDataType.Float64 when result.DataType != NpyDataType.Float64 => new NpyArray(result.ToDouble()),
            _ => result,
        };
    }

    /// <summary>The input's shape with PyTorch's unbatched (C, *spatial) seen as a batch of one, for the geometry.</summary>
    internal static int[] BatchedShape(IReadOnlyList<int> input, IReadOnlyList<int> weight) =>
        input.Count == weight.Count - 1 ? [1, .. input] : [.. input];
}
