namespace ConvAsMatrix.Figures;

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

    /// <summary>
    /// Joins consecutive prose lines into paragraphs. A line that is empty, or starts with a space (a formula or a
    /// table row, kept as it is), or follows such a line, starts a new paragraph.
    /// </summary>
    public static IEnumerable<string> Paragraphs(string text)
    {
        string? prose = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            bool preformatted = line.Length == 0 || line[0] == ' ';
            if (!preformatted && prose is not null) { prose += " " + line; continue; }
            if (prose is not null) yield return prose;
            prose = null;
            if (preformatted) yield return line;
            else prose = line;
        }
        if (prose is not null) yield return prose;
    }
}
