namespace ConvAsMatrix;

/// <summary>
/// A file or stream that is not a valid instance of the format being read (.npy, Matrix Market): bad magic,
/// malformed header, unsupported content, truncated or trailing data. The message names the source, the
/// format and what is wrong, in one line.
/// </summary>
/// <remarks>
/// A <see cref="FormatException"/> rather than an <see cref="ArgumentException"/>: the caller passed a valid
/// stream, but the bytes in it do not parse — the same situation as <see cref="int.Parse(string)"/> meeting
/// "12x". Catching <see cref="FormatException"/> covers both.
/// </remarks>
public sealed class FileFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="format">The format being read, e.g. ".npy" or "Matrix Market".</param>
    /// <param name="source">The file path, or a description of the stream.</param>
    /// <param name="problem">What is wrong, e.g. "truncated: 12 of 72 data bytes".</param>
    public FileFormatException(string format, string source, string problem)
        : base($"{source}: not a valid {format} file: {problem}")
    {
        Format = format;
        FilePath = source;
        Problem = problem;
    }

    /// <summary>The format being read, e.g. ".npy" or "Matrix Market".</summary>
    public string Format { get; }

    /// <summary>The file path, or a description of the stream.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong with the content.</summary>
    public string Problem { get; }
}
