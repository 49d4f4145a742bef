namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// The .npy reader, <see cref="Npy.Read(Stream)"/>, on a seekable stream (a file) and on a forward-only one (a pipe):
/// both must give the same array, bit for bit, or both a <see cref="FileFormatException"/>.
/// </summary>
public static class NpyTarget
{
    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("npy", Parse, [typeof(FileFormatException)],
        // Each of the two reads holds at most the input's bytes as data and a header no longer than the input
        // (2 bytes a char as text, plus the parser's substrings); 256 KiB covers the fixed cost several times over.
        (input, _) => (256 << 10) + 16L * input.Length);

    private static NpyArray? Parse(byte[] input)
    {
        var fromFile = TryRead(new MemoryStream(input, writable: false));
        var fromPipe = TryRead(new ForwardOnlyStream(input));
        if (!SameArray(fromFile, fromPipe))
            throw new FuzzPropertyException($"npy: a seekable stream gives {Describe(fromFile)} but a forward-only one {Describe(fromPipe)}");
        return fromFile;
    }

    private static NpyArray? TryRead(Stream stream)
    {
        try { return Npy.Read(stream); }
        catch (FileFormatException) { return null; }
    }

    private static bool SameArray(NpyArray? a, NpyArray? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.DataType == b.DataType && a.Shape.SequenceEqual(b.Shape) && Written(a).SequenceEqual(Written(b));

    // Written back in its own dtype: the array's own bytes, unconverted, so NaN payloads and 64-bit integers compare too.
    private static byte[] Written(NpyArray a)
    {
        var stream = new MemoryStream();
        Npy.Write(stream, a);
        return stream.ToArray();
    }

    private static string Describe(NpyArray? a) => a is null ? "a FileFormatException" : $"an array of shape ({string.Join(", ", a.Shape)})";
}
