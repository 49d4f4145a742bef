namespace ConvAsMatrix.Proofs;

/// <summary>Word wrapping for a plain terminal: proofs read well at 100 columns.</summary>
public static class Wrap
{
    /// <summary>The usual width of a proof's text.</summary>
    public const int Width = 100;

    /// <summary>Splits <paramref name="line"/> at spaces into pieces of at most <paramref name="width"/> characters (a longer word stays whole); leading spaces stay on the first piece.</summary>
    public static IEnumerable<string> Lines(string line, int width = Width)
    {
        if (line.Length <= width) { yield return line; yield break; }
        int indent = line.Length - line.TrimStart().Length;
        var current = line[..indent];
        foreach (var word in line[indent..].Split(' '))
        {
            if (current.Trim().Length > 0 && current.Length + 1 + word.Length > width)
            {
                yield return current;
                current = new string(' ', indent);
            }
            current += (current.Trim().Length > 0 ? " " : "") + word;
        }
        yield return current;
    }
}
