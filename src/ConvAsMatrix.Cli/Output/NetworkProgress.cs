using Spectre.Console;

namespace ConvAsMatrix.Cli;

/// <summary>A progress bar over the layers of a model (for <c>onnx norm</c>), on stderr and only when stderr is a terminal.</summary>
public static class NetworkProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports the fraction of the <paramref name="layers"/> layers done, under a bar
    /// when stderr is a terminal (null progress otherwise, so piped output and tests see nothing).</summary>
    public static TResult Run<TResult>(CommandContext context, int layers, Func<IProgress<double>?, TResult> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        if (!context.ErrorIsTerminal || layers < 2) return work(null);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(context.Error) });
        return CompileProgress.WithProgress(console, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"norms of {layers} layers"), work);
    }
}
