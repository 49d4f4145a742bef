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

/// <summary>
/// What <c>conv</c> and <c>tconv</c> share: the --input/--weight/--bias/--method/--out options and running an
/// operation in the input's precision (float32 input: float32 throughout; otherwise float64, like PyTorch
/// after casting the weight and bias to the input's dtype).
/// </summary>
internal sealed class TensorCommand
{
    private readonly Option<string> input;
    private readonly Option<string> weight;
    private readonly Option<string?> bias;
    private readonly Option<string> output;

    public TensorCommand(Command command, string inputName, string inputLayout, string weightLayout, string outputName, GeometryOptions geometry)
    {
        input = PathOptions.RequiredPath("--input", inputName, $"Input array {inputLayout}, .npy float64 or float32.");
        weight = PathOptions.RequiredPath("--weight", "W.npy", $"Weight {weightLayout}, .npy; the rank (1-3 spatial dimensions) comes from it.");
        bias = PathOptions.OptionalPath("--bias", "B.npy", "Bias (C_out), .npy, added to every output channel.");
        Method = ValueParsers.MethodOption();
        output = PathOptions.RequiredPath("--out", outputName, "Where to write the result (.npy, float64 unless the input is float32); replaced only when the command succeeds.");
        command.Add(input);
        command.Add(weight);
        command.Add(bias);
        geometry.AddTo(command);
        command.Add(Method);
        command.Add(output);
    }

    public Option<ConvMethod?> Method { get; }

    /// <summary>The --method given, matrix when absent.</summary>
    public ConvMethod MethodOf(CommandContext context) => context.Get(Method) ?? ConvMethod.Matrix;

    /// <summary>Reads the arrays, applies <paramref name="operation"/> in the input's precision and writes the result.</summary>
    /// <remarks>An unbatched input (C, *spatial), one dimension fewer than the weight, gives an unbatched output, as in PyTorch.</remarks>
    public int Run(CommandContext context, ITensorOperation operation)
    {
        var outPath = context.Require(output);
        PathOptions.CheckOutput("--out", outPath);
        var x = PathOptions.ReadNpy("--input", context.Require(input));
        var w = PathOptions.ReadNpy("--weight", context.Require(weight));
        var biasPath = context.Get(bias);
        var b = biasPath is null ? null : PathOptions.ReadNpy("--bias", biasPath);
        // The geometry first: a bad one is reported before anything large is converted or allocated, and it sizes V for the progress bar.
        var geometry = operation.Geometry(BatchedShape(x.Shape, w.Shape), w.Shape);
        long entries = MethodOf(context) == ConvMethod.Matrix ? geometry.NonZeroCount : 0;
        var result = CompileProgress.Run(context, entries, progress => x.DataType == NpyDataType.Float32
            ? new NpyArray(operation.Apply(x.ToSingle(), w.ToSingle(), b?.ToSingle(), progress))
            : new NpyArray(operation.Apply(x.ToDouble(), w.ToDouble(), b?.ToDouble(), progress)));
        Npy.WriteFile(outPath, result);
        context.Out.WriteLine($"{outPath}: ({string.Join(", ", result.Shape)}) {(result.DataType == NpyDataType.Float32 ? "float32" : "float64")}");
        return ExitCodes.Success;
    }

    /// <summary>The input's shape with PyTorch's unbatched (C, *spatial) seen as a batch of one, for the geometry.</summary>
    private static int[] BatchedShape(IReadOnlyList<int> input, IReadOnlyList<int> weight) =>
        input.Count == weight.Count - 1 ? [1, .. input] : [.. input];
}
