using System.CommandLine;

namespace ConvAsMatrix.Cli;

/// <summary>What a command's action receives: the parsed command line and the writers to use.</summary>
/// <param name="Parse">The parse result; read option values with <c>Parse.GetValue(option)</c>.</param>
/// <param name="Out">Results and printouts.</param>
/// <param name="Error">Diagnostics and progress.</param>
public sealed record CommandContext(ParseResult Parse, TextWriter Out, TextWriter Error)
{
    /// <summary>True when <see cref="Error"/> is the process's stderr and a terminal, so progress can be drawn on it.</summary>
    public bool ErrorIsTerminal => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>The value of an option (its default, or null, when absent).</summary>
    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    /// <summary>The value of a required option.</summary>
    public T Require<T>(Option<T> option) => Parse.GetRequiredValue(option);
}

/// <summary>
/// The one path from a command's failure to its exit code: bad input (argument, format, file and usage errors)
/// becomes exit code 2 with one line on stderr, anything else exit code 1 with one line — never a stack trace.
/// </summary>
public static class CommandRunner
{
    /// <summary>Makes <paramref name="action"/> the command's action, behind the error mapping.</summary>
    public static void SetAction(Command command, Func<CommandContext, int> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(action);
        command.SetAction(parse =>
        {
            var context = new CommandContext(parse, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
            var name = DisplayName(command);
            try
            {
                return action(context);
            }
            catch (Exception e) when (IsBadInput(e))
            {
                context.Error.WriteLine($"{name}: {OneLine(e)}");
                return ExitCodes.BadInput;
            }
            catch (Exception e)
            {
                context.Error.WriteLine($"{name}: internal error ({e.GetType().Name}): {OneLine(e)}");
                return ExitCodes.Failure;
            }
        });
    }

    /// <summary>"convmat", "convmat conv" or "convmat onnx list": how error lines name the command.</summary>
    internal static string DisplayName(Command command) =>
        command is RootCommand ? "convmat"
        : command.Parents.OfType<Command>().FirstOrDefault() is { } parent and not RootCommand ? DisplayName(parent) + " " + command.Name
        : "convmat " + command.Name;

    /// <summary>Exceptions that mean the input was wrong, not the program.</summary>
    internal static bool IsBadInput(Exception e) =>
        e is ArgumentException or FormatException or IOException or UnauthorizedAccessException or UsageException;

    /// <summary><paramref name="text"/> with control characters escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001b</c>...), so it prints as one line.</summary>
    internal static string Printable(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var builder = new System.Text.StringBuilder(text.Length + 8);
        foreach (var c in text)
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return builder.ToString();
    }

    /// <summary>The message as one line, without .NET's " (Parameter 'x')" and "Actual value was" additions.</summary>
    internal static string OneLine(Exception e)
    {
        var message = e.Message.Split('\n')[0].TrimEnd('\r');
        if (e is ArgumentException { ParamName: { } p }) message = message.Replace($" (Parameter '{p}')", "");
        return message;
    }
}
