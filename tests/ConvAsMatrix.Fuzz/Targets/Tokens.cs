using System.Text;

namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>A command line from fuzz input: the UTF-8 text split at NUL bytes, so a token may hold spaces and newlines as a shell can pass them.</summary>
public static class Tokens
{
    /// <summary>The tokens of <paramref name="input"/>; empty input gives no tokens.</summary>
    public static string[] Split(byte[] input) =>
        input.Length == 0 ? [] : Encoding.UTF8.GetString(input).Split('\0');
}
