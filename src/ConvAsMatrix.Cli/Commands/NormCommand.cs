using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat norm</c>: the operator 2-norm ‖V‖₂ (the layer's Lipschitz constant) as a certified interval
/// (<see cref="SpectralNorm.Bound(Solvers.LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken)"/>):
/// lower and upper bounds, the best value, and whether it is exact.
/// </summary>
internal static class NormCommand
{
    public static Command Create()
    {
        var command = new Command("norm", "The spectral norm |V|_2 = largest singular value of V (the convolution's Lipschitz constant) as a certified interval: " +
            "an upper bound from the closed-form spectrum of a circular convolution containing V, a lower bound from power iteration on V^T V, exact for circular padding. " +
            "Prints the value alone on its last line.");
        var matrix = new ConvMatrixOptions(command);
        var iteration = new IterationOptions(SpectralNorm.DefaultTolerance,
            "the relative width (upper - lower) / upper of the interval, or the eigen-residual |V^T V v - s^2 v| / s^2 (which bounds the relative error of s^2), whichever is met first",
            SpectralNorm.DefaultMaxIterations);
        iteration.AddTo(command);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead: value, lower, upper, exact, method, iterations, seconds." };
        command.Add(json);
        CommandRunner.SetAction(command, c =>
        {
            var (w, g) = matrix.Read(c);
            var (tolerance, maxIterations) = iteration.Resolve(c);
            var v = CompileProgress.Compile(c, w, g);
            var bound = SpectralNorm.Bound(v, w.Data, g, tolerance, maxIterations);
            IterationOptions.WarnIfNotConverged(c, "power iteration", bound.Status, bound.Iterations,
                $"eigen-residual {bound.Residual:G3} (the value printed is a lower bound; certified interval [{Number(bound.Lower)}, {Number(bound.Upper)}])");
            if (c.Get(json))
            {
                c.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    value = bound.Value, lower = bound.Lower, upper = bound.Upper, exact = bound.Exact,
                    method = bound.Method, iterations = bound.Iterations, seconds = bound.Seconds,
                }));
                return ExitCodes.Success;
            }
            c.Out.WriteLine($"V {v.RowCount} x {v.ColumnCount} ({g}); power iteration: {bound.Status.ToString().ToLowerInvariant()} after {bound.Iterations} iterations, eigen-residual {bound.Residual:G3}");
            c.Out.WriteLine($"lower {Number(bound.Lower)}, upper {Number(bound.Upper)}, relative width {bound.RelativeWidth.ToString("G3", CultureInfo.InvariantCulture)}, exact {(bound.Exact ? "true" : "false")}, {bound.Seconds.ToString("G3", CultureInfo.InvariantCulture)} s");
            c.Out.WriteLine($"method: {bound.Method}");
            c.Out.WriteLine(Number(bound.Value));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
