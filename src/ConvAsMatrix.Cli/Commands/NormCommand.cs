using System.CommandLine;
using System.Globalization;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Cli.Commands;

/// <summary><c>convmat norm</c>: the operator 2-norm ‖V‖₂ (the layer's Lipschitz constant) by power iteration on VᵀV.</summary>
internal static class NormCommand
{
    public static Command Create()
    {
        var command = new Command("norm", "The spectral norm |V|_2 = largest singular value of V (the convolution's Lipschitz constant), by power iteration on V^T V. Prints the value alone on its last line.");
        var matrix = new ConvMatrixOptions(command);
        var iteration = new IterationOptions(SpectralNorm.DefaultTolerance, "the eigen-residual |V^T V v - s^2 v| / s^2, which bounds the relative error of s^2", SpectralNorm.DefaultMaxIterations);
        iteration.AddTo(command);
        CommandRunner.SetAction(command, c =>
        {
            var (w, g) = matrix.Read(c);
            var v = CompileProgress.Compile(c, w, g);
            var (tolerance, maxIterations) = iteration.Resolve(c);
            var estimate = SpectralNorm.Estimate(v, tolerance, maxIterations);
            IterationOptions.WarnIfNotConverged(c, "power iteration", estimate.Status, estimate.Iterations,
                $"eigen-residual {estimate.Residual:G3} (the value printed is a lower bound)");
            c.Out.WriteLine($"V {v.RowCount} x {v.ColumnCount} ({g}); power iteration: {estimate.Status.ToString().ToLowerInvariant()} after {estimate.Iterations} iterations, eigen-residual {estimate.Residual:G3}");
            c.Out.WriteLine(estimate.Value.ToString("R", CultureInfo.InvariantCulture));
            return ExitCodes.Success;
        });
        return command;
    }
}
