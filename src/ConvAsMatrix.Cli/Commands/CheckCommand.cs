using System.CommandLine;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat check</c>: is someone's convolution output, or one of its gradients, right? Compares it with V·x + bias
/// (or Vᵀ·y + bias; for the gradients Vᵀ·g, V·g or U(x)ᵀ·g), says where it differs and which common mistake
/// reproduces it (<see cref="ConvolutionCheck"/>). Exit 0 agree, 1 disagree.
/// </summary>
internal static class CheckCommand
{
    /// <summary>The values of --op (conv-grad-input, ... on the command line).</summary>
    private enum Op { Conv, Tconv, ConvGradInput, ConvGradWeight, TconvGradInput, TconvGradWeight }

    private static CheckedOperation Operation(Op op) => op switch
    {
        Op.Conv => CheckedOperation.Conv,
        Op.Tconv => CheckedOperation.ConvTranspose,
        Op.ConvGradInput => CheckedOperation.ConvGradInput,
        Op.ConvGradWeight => CheckedOperation.ConvGradWeight,
        Op.TconvGradInput => CheckedOperation.ConvTransposeGradInput,
        _ => CheckedOperation.ConvTransposeGradWeight,
    };

    public static Command Create()
    {
        var command = new Command("check", "Check a convolution's output, or its input or weight gradient, against V: where it differs and which common mistake (flipped kernel, swapped channels, shifted padding, gradient averaged over the batch, ...) reproduces it. Exit 0 agree, 1 disagree.");
        var op = ValueParsers.EnumOption<Op>("--op", "The operation that made --output: conv (PyTorch's conv1d/2d/3d), tconv (conv_transpose1d/2d/3d), or a gradient of either by autograd: conv-grad-input, conv-grad-weight, tconv-grad-input, tconv-grad-weight.", required: true);
        op.HelpName = "OP"; // the description lists the six; as the help name they would push every description off the screen
        var (input, weight) = PathOptions.InputAndWeightOfEither(" (for an input gradient only its shape is used)", " (for a weight gradient only its shape is used)");
        var output = PathOptions.RequiredPath("--output", "Y.npy", "The output to check, .npy: for a gradient op, the gradient (of the input, or of the weight in the weight's layout).");
        var bias = PathOptions.OptionalPath("--bias", "B.npy", "Bias (C_out), .npy; conv and tconv only.");
        var gradOutput = PathOptions.OptionalPath("--grad-output", "G.npy", "The gradient of the forward output (N, C_out, *out), .npy; required by the gradient ops.");
        var geometry = GeometryOptions.ForEither();
        var tolerance = IterationOptions.PositiveNumber("--tol", "Largest max relative error (|Y - R| / (sum of the |products| R sums) per element) that agrees (default 4·F·u: F the fan-in, u = 2^-24 if any array is float32, else 2^-53; 0, exact, when every array is integer).", "T", allowZero: false);
        foreach (var option in new Option[] { op, input, weight, output, bias, gradOutput }) command.Add(option);
        geometry.AddTo(command);
        command.Add(tolerance);
        var quantization = new QuantizationOptions(command, withAccumulation: false);
        CommandRunner.SetAction(command, c =>
        {
            var given = c.Require(op)!.Value;
            var operation = Operation(given);
            var opName = "--op " + ValueParsers.CommandLineName(given);
            bool forward = operation is CheckedOperation.Conv or CheckedOperation.ConvTranspose;
            geometry.RejectTransposeOnly(c.Parse, given is Op.Tconv or Op.TconvGradInput or Op.TconvGradWeight,
                opName, "--op tconv, tconv-grad-input and tconv-grad-weight");
            if (!forward && c.Get(bias) is not null)
                throw new UsageException($"--bias is an option of --op conv and tconv, not of {opName}: the gradient does not depend on the bias");
            if (forward && c.Get(gradOutput) is not null)
                throw new UsageException($"--grad-output is an option of the gradient ops (conv-grad-input, ...), not of {opName}");
            if (!forward && c.Get(gradOutput) is null)
                throw new UsageException($"{opName} requires --grad-output, the gradient of the forward output");
            bool quantized = quantization.IsGiven(c);
            if (quantized && given != Op.Conv)
                throw new UsageException($"the quantization options (--x-zero-point, ...) check ONNX's ConvInteger and QLinearConv: --op conv, not {opName}");
            var arrays = new[] { ("--input", c.Require(input)), ("--weight", c.Require(weight)), ("--output", c.Require(output)) }
                .Concat(c.Get(bias) is { } b ? [("--bias", b)] : [])
                .Concat(c.Get(gradOutput) is { } g ? [("--grad-output", g)] : [])
                .Select(p => (p.Item1, Array: PathOptions.ReadNpy(p.Item1, p.Item2))).ToDictionary(p => p.Item1, p => p.Array);
            if (quantized)
            {
                var exact = quantization.Check(c, arrays["--input"], arrays["--weight"], arrays.GetValueOrDefault("--bias"), arrays["--output"], geometry.ToConvOptions(c.Parse));
                return Report(c, exact);
            }
            bool single = arrays.Values.Any(a => a.DataType == NpyDataType.Float32);
            // Integer data throughout: exact agreement (tolerance 0), as an integer engine must give.
            bool integers = arrays.Values.All(a => a.IsInteger);
            var x = arrays["--input"].ToDouble();
            var w = arrays["--weight"].ToDouble();
            var y = arrays["--output"].ToDouble();
            var biasTensor = arrays.TryGetValue("--bias", out var bb) ? bb.ToDouble() : null;
            var gradTensor = arrays.TryGetValue("--grad-output", out var gg) ? gg.ToDouble() : null;
            var tol = c.Get(tolerance) ?? (integers ? 0 : null);
            var result = operation switch
            {
                CheckedOperation.Conv => ConvolutionCheck.Conv(x, w, biasTensor, y, geometry.ToConvOptions(c.Parse), tol, single),
                CheckedOperation.ConvTranspose => ConvolutionCheck.ConvTranspose(x, w, biasTensor, y, geometry.ToConvTransposeOptions(c.Parse), tol, single),
                CheckedOperation.ConvGradInput => ConvolutionCheck.ConvGradInput(x, w, gradTensor!, y, geometry.ToConvOptions(c.Parse), tol, single),
                CheckedOperation.ConvGradWeight => ConvolutionCheck.ConvGradWeight(x, w, gradTensor!, y, geometry.ToConvOptions(c.Parse), tol, single),
                CheckedOperation.ConvTransposeGradInput => ConvolutionCheck.ConvTransposeGradInput(x, w, gradTensor!, y, geometry.ToConvTransposeOptions(c.Parse), tol, single),
                _ => ConvolutionCheck.ConvTransposeGradWeight(x, w, gradTensor!, y, geometry.ToConvTransposeOptions(c.Parse), tol, single),
            };
            return Report(c, result);
        });
        return command;
    }

    /// <summary>The report's lines, then exit 0 for agreement and 1 for disagreement.</summary>
    private static int Report(CommandContext context, ConvolutionCheckResult result)
    {
        foreach (var line in result.Lines()) context.Out.WriteLine(line);
        return result.Agree ? ExitCodes.Success : ExitCodes.Failure;
    }
}
