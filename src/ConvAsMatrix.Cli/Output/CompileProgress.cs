using Spectre.Console;

namespace ConvAsMatrix.Cli;

/// <summary>Compiles V, drawing a progress bar on stderr when it is a terminal and V is large enough to take a while.</summary>
public static class CompileProgress
{
    /// <summary>Below this many entries compilation takes well under a second and a bar would only flicker.</summary>
    public const long Threshold = 2_000_000;

    /// <summary>Compiles V of <paramref name="geometry"/> from <paramref name="weight"/>, with a progress bar on a terminal.</summary>
    /// <param name="context">The command's context.</param>
    /// <param name="weight">The weight.</param>
    /// <param name="geometry">The convolution.</param>
    /// <param name="workingBytes">What the command will allocate beside V (work vectors, outputs), counted in V's memory check.</param>
    public static ConvolutionMatrix<double> Compile(CommandContext context, Tensor<double> weight, ConvGeometry geometry, long workingBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(geometry);
        return Run(context, geometry.NonZeroCount, p => ConvolutionMatrix<double>.Compile(weight.Data, geometry, workingBytes, p));
    }

    /// <summary>
    /// Runs <paramref name="work"/>, which compiles a V of <paramref name="entries"/> entries and reports to the progress it
    /// is given, under a progress bar on stderr when stderr is a terminal and V is large (null progress otherwise).
    /// </summary>
    public static TResult Run<TResult>(CommandContext context, long entries, Func<IProgress<double>?, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.ErrorIsTerminal || entries < Threshold) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        return WithProgress(console, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"compiling V: {entries:N0} entries"), work);
    }

    /// <summary>Runs <paramref name="work"/> under a Spectre.Console progress bar that it advances from 0 to 1.</summary>
    internal static TResult WithProgress<TResult>(IAnsiConsole console, string label, Func<IProgress<double>?, TResult> work) =>
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(label, maxValue: 1);
                var result = work(new TaskProgress(task));
                task.Value = 1;
                return result;
            });

    /// <summary>Forwards the library's fraction-done reports (from worker threads) to the bar; ProgressTask locks its own state.</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = value;
    }
}
