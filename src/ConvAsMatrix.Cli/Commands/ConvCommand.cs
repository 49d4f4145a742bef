using System.CommandLine;
using System.Numerics;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat conv</c>: torch.nn.functional.conv{1,2,3}d through V (vec(y) = V·vec(x) per sample), or the direct loops;
/// with zero points and scales, ONNX's ConvInteger and QLinearConv (<see cref="QuantizationOptions"/>).
/// </summary>
internal static class ConvCommand
{
    public static Command Create()
    {
        var command = new Command("conv", "Convolution (PyTorch's conv1d/2d/3d, cross-correlation) computed as V·x for each sample, plus the bias.");
        var geometry = GeometryOptions.ForConv();
        var files = new TensorCommand(command, "X.npy", "(N, C_in, *spatial) or unbatched (C_in, *spatial)", "(C_out, C_in/groups, *kernel)", "Y.npy", geometry);
        var quantization = new QuantizationOptions(command, withAccumulation: true);
        CommandRunner.SetAction(command, c => quantization.IsGiven(c)
            ? quantization.Run(c, files, geometry.ToConvOptions(c.Parse))
            : files.Run(c, new Operation(geometry.ToConvOptions(c.Parse), files.ComputationOf(c))));
        return command;
    }

    private sealed class Operation(ConvOptions options, Computation how) : ITensorOperation
    {
        public ConvGeometry Geometry(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape) =>
            ConvGeometry.ForConv(inputShape.ToArray(), weightShape.ToArray(), options);

        public Tensor<T> Apply<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, IProgress<double>? progress)
            where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T> =>
            Functional.Conv(input, weight, bias, options, how.Method, progress, how.Form);
    }
}
