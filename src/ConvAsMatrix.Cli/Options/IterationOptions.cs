using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Cli;

/// <summary>
/// <c>--tol</c> and <c>--max-iter</c> of the iterative commands (deconvolve, norm), and the one way they report a
/// run that stopped without converging: a warning line on stderr with the iterations and the residual, exit 0,
/// because the result written is still the best iterate (see docs/solvers.md).
/// </summary>
public sealed class IterationOptions
{
    /// <summary>The two options with their defaults stated in the help.</summary>
    /// <param name="defaultTolerance">The library's default tolerance for this computation.</param>
    /// <param name="toleranceMeaning">What the tolerance bounds, for the help text.</param>
    /// <param name="defaultMaxIterations">The library's default iteration limit.</param>
    public IterationOptions(double defaultTolerance, string toleranceMeaning, int defaultMaxIterations)
    {
        this.defaultTolerance = defaultTolerance;
        this.defaultMaxIterations = defaultMaxIterations;
        Tolerance = PositiveNumber("--tol", $"Tolerance T on {toleranceMeaning} (default {defaultTolerance.ToString(CultureInfo.InvariantCulture)}).", "T", allowZero: false);
        MaxIterations = new Option<int?>("--max-iter")
        {
            Description = $"Iteration limit K (default {defaultMaxIterations}).",
            HelpName = "K",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1) return k;
                r.AddError($"--max-iter '{text}' must be an integer >= 1");
                return null;
            },
        };
    }

    private readonly double defaultTolerance;
    private readonly int defaultMaxIterations;

    /// <summary>--tol.</summary>
    public Option<double?> Tolerance { get; }

    /// <summary>--max-iter.</summary>
    public Option<int?> MaxIterations { get; }

    /// <summary>The tolerance and iteration limit given on the command line, or the defaults the help states.</summary>
    public (double Tolerance, int MaxIterations) Resolve(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (context.Get(Tolerance) ?? defaultTolerance, context.Get(MaxIterations) ?? defaultMaxIterations);
    }

    /// <summary>Adds both options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Tolerance);
        command.Add(MaxIterations);
    }

    /// <summary>An option taking a finite number &gt; 0 (or ≥ 0 when <paramref name="allowZero"/>); null when absent.</summary>
    public static Option<double?> PositiveNumber(string name, string description, string helpName, bool allowZero) =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r => ParseNumber(r, name, allowZero),
        };

    private static double? ParseNumber(ArgumentResult result, string name, bool allowZero)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) && (allowZero ? value >= 0 : value > 0))
            return value;
        result.AddError($"{name} '{text}' must be a finite number {(allowZero ? ">= 0" : "> 0")}");
        return null;
    }

    /// <summary>Writes the warning line for a run that did not converge; nothing when it did.</summary>
    /// <param name="context">The command's writers.</param>
    /// <param name="what">What was computed, e.g. "deconvolution of sample 2".</param>
    /// <param name="status">How it ended.</param>
    /// <param name="iterations">Iterations done.</param>
    /// <param name="residual">The residual it stopped at, in words and number.</param>
    public static void WarnIfNotConverged(CommandContext context, string what, SolverStatus status, int iterations, string residual)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (status == SolverStatus.Converged) return;
        context.Error.WriteLine($"{CommandRunner.DisplayName(context.Parse.CommandResult.Command)}: warning: {what} did not converge ({status}) after {iterations} iterations, {residual}; raise --max-iter or --tol");
    }
}
