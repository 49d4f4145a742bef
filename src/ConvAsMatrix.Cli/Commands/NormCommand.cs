using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat norm</c>: the operator 2-norm ‖V‖₂ (the layer's Lipschitz constant) as a certified interval, on the
/// structured V (nothing stored per output position, so real layers fit)
/// (<see cref="SpectralNorm.Bound(Solvers.LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>):
/// lower and upper bounds, the best value, and whether it is exact.
/// </summary>
internal static class NormCommand
{
    public static Command Create()
    {
        var command = new Command("norm", "The spectral norm |V|_2 = largest singular value of V (the convolution's Lipschitz constant) as a certified interval: " +
            "an upper bound from the closed-form spectrum of a circular convolution containing V (its polyphase spectrum for a strided V), a lower bound from Golub-Kahan-Lanczos on V, exact for circular padding and, to about 1e-9, for a small or mid-size V (a Cholesky certificate of its banded Gram matrix). " +
            "Prints the value alone on its last line.");
        var matrix = new ConvMatrixOptions(command);
        var iteration = new IterationOptions(SpectralNorm.DefaultTolerance,
            "the relative width (upper - lower) / upper of the interval, or the eigen-residual |V^T V v - s^2 v| / s^2 (which bounds the relative error of s^2), whichever is met first",
            SpectralNorm.DefaultMaxIterations);
        iteration.AddTo(command);
        var width = WidthOption();
        command.Add(width);
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead: value, lower, upper, exact, method, iterations, seconds." };
        command.Add(json);
        var form = new FormOption(command);
        CommandRunner.SetAction(command, c =>
        {
            var (w, g) = matrix.Read(c);
            var (tolerance, maxIterations) = iteration.Resolve(c);
            var v = form.Build(c, w, g, FormOption.SolverVectorBytes(g));
            var bound = SpectralNorm.Bound(v, w.Data, tolerance, maxIterations, width: c.Get(width) ?? DefaultWidth);
            // The eigen-residual needs a product with Vᵀ: a run that stopped on the interval after its first product has none.
            string residual = double.IsInfinity(bound.Residual) ? "eigen-residual not computed" : $"eigen-residual {bound.Residual:G3}";
            IterationOptions.WarnIfNotConverged(c, "Lanczos iteration", bound.Status, bound.Iterations,
                $"{residual} (the value printed is a lower bound; certified interval [{Number(bound.Lower)}, {Number(bound.Upper)}])");
            if (c.Get(json))
            {
                c.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    value = bound.Value, lower = bound.Lower, upper = bound.Upper, exact = bound.Exact,
                    method = bound.Method, iterations = bound.Iterations, seconds = bound.Seconds,
                }));
                return ExitCodes.Success;
            }
            c.Out.WriteLine($"V {v.RowCount} x {v.ColumnCount} ({g}); Lanczos: {bound.Status.ToString().ToLowerInvariant()} after {bound.Iterations} iterations, {residual}");
            c.Out.WriteLine($"lower {Number(bound.Lower)}, upper {Number(bound.Upper)}, relative width {bound.RelativeWidth.ToString("G3", CultureInfo.InvariantCulture)}, exact {(bound.Exact ? "true" : "false")}, {bound.Seconds.ToString("G3", CultureInfo.InvariantCulture)} s");
            c.Out.WriteLine($"method: {bound.Method}");
            c.Out.WriteLine(Number(bound.Value));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The interval width at which <c>norm</c> and <c>onnx norm</c> stop by default: issue 8's 0.1 %.</summary>
    internal const double DefaultWidth = 1e-3;

    /// <summary>The <c>--width W</c> option of <c>norm</c> and <c>onnx norm</c>; null when absent (then <see cref="DefaultWidth"/>).</summary>
    internal static Option<double?> WidthOption() =>
        IterationOptions.PositiveNumber("--width", $"Also stop once the certified interval is this narrow, (upper - lower) / upper <= W (default {DefaultWidth.ToString(CultureInfo.InvariantCulture)}, the 0.1 % a real layer reaches in seconds; 0: iterate until --tol).", "W", allowZero: true);

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
