using System.CommandLine;
using System.Numerics;

namespace ConvAsMatrix.Cli.Commands;

/// <summary><c>convmat tconv</c>: torch.nn.functional.conv_transpose{1,2,3}d as Vᵀ·y per sample, or the direct scatter.</summary>
internal static class TconvCommand
{
    public static Command Create()
    {
        var command = new Command("tconv", "Transposed convolution (PyTorch's conv_transpose1d/2d/3d) computed as Vᵀ·y for each sample, plus the bias.");
        var geometry = GeometryOptions.ForConvTranspose();
        var files = new TensorCommand(command, "Y.npy", "(N, C_in, *spatial) or unbatched (C_in, *spatial)", "(C_in, C_out/groups, *kernel), PyTorch's ConvTranspose layout", "Z.npy", geometry);
        CommandRunner.SetAction(command, c => files.Run(c, new Operation(geometry.ToConvTransposeOptions(c.Parse), files.MethodOf(c))));
        return command;
    }

    private sealed class Operation(ConvTransposeOptions options, ConvMethod method) : ITensorOperation
    {
        public ConvGeometry Geometry(IReadOnlyList<int> inputShape, IReadOnlyList<int> weightShape) =>
            ConvGeometry.ForConvTranspose(inputShape.ToArray(), weightShape.ToArray(), options);

        public Tensor<T> Apply<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias, IProgress<double>? progress)
            where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T> =>
            Functional.ConvTranspose(input, weight, bias, options, method, progress);
    }
}
