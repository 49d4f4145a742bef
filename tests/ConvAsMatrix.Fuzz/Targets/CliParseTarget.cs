using ConvAsMatrix.Cli;

namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// The parse phase of <c>convmat</c> (<see cref="ConvAsMatrix.Cli.Cli.Run"/> up to, not including, running the
/// command): every command line either parses or is refused with exactly one line on stderr. Nothing is run.
/// </summary>
public static class CliParseTarget
{
    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("cli", Parse, [],
        // Building the command tree is the fixed cost (well under 2 MiB); tokens, their errors and the line grow with the input.
        (input, _) => (2 << 20) + 256L * input.Length);

    private static object? Parse(byte[] input)
    {
        var stderr = new StringWriter { NewLine = "\n" };
        var parse = ConvAsMatrix.Cli.Cli.ParseOrReport(Tokens.Split(input), stderr);
        var error = stderr.ToString();
        if (parse is null && (error.Length < 2 || error.IndexOfAny(['\n', '\r']) != error.Length - 1))
            throw new FuzzPropertyException($"cli: a refused command line must give one stderr line, got {error.Count(c => c == '\n')} newlines in '{error}'");
        if (parse is not null && error.Length > 0)
            throw new FuzzPropertyException($"cli: a command line that parses wrote '{error}' to stderr");
        return parse;
    }
}
