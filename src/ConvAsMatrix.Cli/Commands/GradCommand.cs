using System.CommandLine;
using System.Numerics;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat grad</c>: the backward pass of conv or conv_transpose as PyTorch's autograd gives it for
/// y = op(x, w, b) and an upstream gradient g: the input gradient (Vᵀ·g for conv, V·g for conv_transpose), the weight
/// gradient (U(x)ᵀ·g summed over the batch) and the bias gradient (g summed over batch and positions).
/// </summary>
internal static class GradCommand
{
    private enum Op { Conv, Tconv }

    public static Command Create()
    {
        var command = new Command("grad", "The backward pass of conv or tconv (PyTorch's autograd): the gradients of the input (Vᵀ·g for conv, V·g for tconv), of the weight (U(x)ᵀ·g, summed over the batch) and of the bias, given the output's gradient g. At least one --out-* is required.");
        var op = ValueParsers.EnumOption<Op>("--op", "The forward operation: conv (PyTorch's conv1d/2d/3d) or tconv (conv_transpose1d/2d/3d).", required: true);
        var (input, weight) = PathOptions.InputAndWeightOfEither(" float64 or float32 (float32: the gradients are float32)", "; the rank (1-3 spatial dimensions) comes from it");
        var gradOutput = PathOptions.RequiredPath("--grad-output", "G.npy", "The gradient of the forward output, the output's shape (N, C_out, *out) (unbatched as the input is), .npy.");
        var geometry = GeometryOptions.ForEither();
        var method = ValueParsers.EnumOption<ConvMethod>("--method", "How to compute: matrix (through V, Vᵀ and U(x); the default) or direct (the reference loops, for comparison).");
        var outInput = PathOptions.OptionalPath("--out-input", "GX.npy", "Where to write the input's gradient (the input's shape).");
        var outWeight = PathOptions.OptionalPath("--out-weight", "GW.npy", "Where to write the weight's gradient (the weight's shape and layout).");
        var outBias = PathOptions.OptionalPath("--out-bias", "GB.npy", "Where to write the bias's gradient (C_out).");
        foreach (var option in new Option[] { op, input, weight, gradOutput }) command.Add(option);
        geometry.AddTo(command);
        foreach (var option in new Option[] { method, outInput, outWeight, outBias }) command.Add(option);
        CommandRunner.SetAction(command, c =>
        {
            var given = c.Require(op)!.Value;
            bool transposed = given == Op.Tconv;
            var opName = "--op " + ValueParsers.CommandLineName(given);
            geometry.RejectTransposeOnly(c.Parse, transposed, opName, "--op tconv");
            var outputs = new[] { ("--out-input", c.Get(outInput)), ("--out-weight", c.Get(outWeight)), ("--out-bias", c.Get(outBias)) }
                .Where(o => o.Item2 is not null).Select(o => (Option: o.Item1, Path: o.Item2!)).ToArray();
            if (outputs.Length == 0) throw new UsageException("no output requested: give at least one of --out-input, --out-weight, --out-bias");
            foreach (var (option, path) in outputs) PathOptions.CheckOutput(option, path);
            foreach (var pair in outputs.GroupBy(o => Path.GetFullPath(o.Path)).Where(g => g.Count() > 1))
                throw new UsageException($"{string.Join(" and ", pair.Select(o => $"{o.Option} '{o.Path}'"))} name the same file");

            var x = PathOptions.ReadNpy("--input", c.Require(input));
            var w = PathOptions.ReadNpy("--weight", c.Require(weight));
            var g = PathOptions.ReadNpy("--grad-output", c.Require(gradOutput));
            // The geometry and the output gradient's shape first, before anything large is converted or allocated.
            bool unbatched = x.Shape.Count == w.Shape.Count - 1;
            int[] batched = unbatched ? [1, .. x.Shape] : [.. x.Shape];
            var operation = new Operation(transposed, geometry, c.Parse, c.Get(method) ?? ConvMethod.Matrix);
            var expected = operation.OutputShape(batched, [.. w.Shape]);
            if (unbatched) expected = expected[1..];
            if (!g.Shape.SequenceEqual(expected))
                throw new UsageException($"--grad-output has shape ({string.Join(", ", g.Shape)}) but the {(transposed ? "tconv" : "conv")} output of --input ({string.Join(", ", x.Shape)}) and --weight ({string.Join(", ", w.Shape)}) has shape ({string.Join(", ", expected)})");

            // Every result before any file is written: a failure leaves none of them behind.
            var results = x.DataType == NpyDataType.Float32
                ? operation.Gradients(x.ToSingle(), w.ToSingle(), g.ToSingle(), outputs.Select(o => o.Option).ToHashSet()).ToDictionary(r => r.Key, r => new NpyArray(r.Value))
                : operation.Gradients(x.ToDouble(), w.ToDouble(), g.ToDouble(), outputs.Select(o => o.Option).ToHashSet()).ToDictionary(r => r.Key, r => new NpyArray(r.Value));
            foreach (var (option, path) in outputs)
            {
                var result = results[option];
                Npy.WriteFile(path, result);
                c.Out.WriteLine($"{path}: ({string.Join(", ", result.Shape)}) {(result.DataType == NpyDataType.Float32 ? "float32" : "float64")}");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The gradients of conv or conv_transpose with the command's options.</summary>
    private sealed class Operation(bool transposed, GeometryOptions geometry, ParseResult parse, ConvMethod method)
    {
        private readonly ConvOptions convOptions = transposed ? new() : geometry.ToConvOptions(parse);
        private readonly ConvTransposeOptions transposeOptions = transposed ? geometry.ToConvTransposeOptions(parse) : new();

        /// <summary>The forward pass's output shape for a batched input.</summary>
        /// <exception cref="ArgumentException">The geometry is invalid or the shapes disagree.</exception>
        public int[] OutputShape(int[] input, int[] weight) => transposed
            ? ConvGeometry.ForConvTranspose(input, weight, transposeOptions).InputShape
            : ConvGeometry.ForConv(input, weight, convOptions).OutputShape;

        /// <summary>The gradients asked for, keyed by their --out-* option.</summary>
        public IEnumerable<KeyValuePair<string, Tensor<T>>> Gradients<T>(Tensor<T> x, Tensor<T> w, Tensor<T> g, ISet<string> wanted)
            where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
        {
            if (wanted.Contains("--out-input"))
                yield return new("--out-input", transposed
                    ? Functional.ConvTransposeInputGrad(x.ShapeArray, w, g, transposeOptions, method)
                    : Functional.ConvInputGrad(x.ShapeArray, w, g, convOptions, method));
            if (wanted.Contains("--out-weight"))
                yield return new("--out-weight", transposed
                    ? Functional.ConvTransposeWeightGrad(x, w.ShapeArray, g, transposeOptions, method)
                    : Functional.ConvWeightGrad(x, w.ShapeArray, g, convOptions, method));
            if (wanted.Contains("--out-bias"))
                yield return new("--out-bias", Functional.BiasGrad(x.Rank == w.Rank - 1 ? g.Reshape([1, .. g.ShapeArray]) : g));
        }
    }
}
