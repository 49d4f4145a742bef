using System.CommandLine;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat check</c>: is someone's convolution output right? Compares it with V·x + bias (or Vᵀ·y + bias), says
/// where it differs and which common mistake reproduces it (<see cref="ConvolutionCheck"/>). Exit 0 agree, 1 disagree.
/// </summary>
internal static class CheckCommand
{
    private enum Op { Conv, Tconv }

    public static Command Create()
    {
        var command = new Command("check", "Check a convolution's output against V: where it differs and which common mistake (flipped kernel, swapped channels, shifted padding, ...) reproduces it. Exit 0 agree, 1 disagree.");
        var op = ValueParsers.EnumOption<Op>("--op", "The operation that made --output: conv (PyTorch's conv1d/2d/3d) or tconv (conv_transpose1d/2d/3d).");
        op.Required = true;
        var input = PathOptions.RequiredPath("--input", "X.npy", "The operation's input (N, C_in, *spatial) or unbatched (C_in, *spatial), .npy.");
        var weight = PathOptions.RequiredPath("--weight", "W.npy", "Weight: conv (C_out, C_in/groups, *k), tconv (C_in, C_out/groups, *k), .npy.");
        var output = PathOptions.RequiredPath("--output", "Y.npy", "The output to check, .npy.");
        var bias = PathOptions.OptionalPath("--bias", "B.npy", "Bias (C_out), .npy.");
        var geometry = GeometryOptions.ForEither();
        var tolerance = IterationOptions.PositiveNumber("--tol", "Largest max relative error (|Y - V·x| / (sum |w·x| + |b|) per element) that agrees (default 4·F·u: F the fan-in, u = 2^-24 if any array is float32, else 2^-53).", "T", allowZero: false);
        command.Add(op);
        command.Add(input);
        command.Add(weight);
        command.Add(output);
        command.Add(bias);
        geometry.AddTo(command);
        command.Add(tolerance);
        CommandRunner.SetAction(command, c =>
        {
            bool transposed = c.Require(op) == Op.Tconv;
            if (!transposed)
                foreach (var only in new Option?[] { geometry.OutputPadding, geometry.OutputShape, geometry.OutputSize })
                    if (only is not null && c.Parse.GetResult(only) is not null)
                        throw new UsageException($"{only.Name} is an option of --op tconv, not of --op conv");
            var arrays = new[] { ("--input", c.Require(input)), ("--weight", c.Require(weight)), ("--output", c.Require(output)) }
                .Concat(c.Get(bias) is { } b ? [("--bias", b)] : [])
                .Select(p => (p.Item1, Array: PathOptions.ReadNpy(p.Item1, p.Item2))).ToDictionary(p => p.Item1, p => p.Array);
            bool single = arrays.Values.Any(a => a.DataType == NpyDataType.Float32);
            var x = arrays["--input"].ToDouble();
            var w = arrays["--weight"].ToDouble();
            var y = arrays["--output"].ToDouble();
            var biasTensor = arrays.TryGetValue("--bias", out var bb) ? bb.ToDouble() : null;
            var result = transposed
                ? ConvolutionCheck.ConvTranspose(x, w, biasTensor, y, geometry.ToConvTransposeOptions(c.Parse), c.Get(tolerance), single)
                : ConvolutionCheck.Conv(x, w, biasTensor, y, geometry.ToConvOptions(c.Parse), c.Get(tolerance), single);
            foreach (var line in result.Lines()) c.Out.WriteLine(line);
            return result.Agree ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
