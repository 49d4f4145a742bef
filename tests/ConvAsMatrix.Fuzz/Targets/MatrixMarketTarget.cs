namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// The Matrix Market reader, <see cref="MatrixMarket.Read(Stream)"/>, on a seekable stream (a file) and on a
/// forward-only one (a pipe): both must give the same matrix or both a <see cref="FileFormatException"/>.
/// </summary>
public static class MatrixMarketTarget
{
    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("mtx", Parse, [typeof(FileFormatException)], Bound);

    /// <summary>
    /// Per read: the StreamReader's buffers (under 256 KiB), each line as a string and split into fields (at most
    /// ~32 bytes a character of a line like "1 1 1 1 ..."), the entry triplets (16 bytes an entry, an entry at least
    /// 6 bytes long) twice, and the row pointers a CSR matrix of the result's row count needs (three arrays of about rows + 1).
    /// </summary>
    private static long Bound(byte[] input, object? result) =>
        2 * ((512L << 10) + 64L * input.Length + (result is CompressedRowStorage<double> m ? 12L * (m.RowCount + 1) : 0));

    private static CompressedRowStorage<double>? Parse(byte[] input)
    {
        var fromFile = TryRead(new MemoryStream(input, writable: false));
        var fromPipe = TryRead(new ForwardOnlyStream(input));
        if (!SameMatrix(fromFile, fromPipe))
            throw new FuzzPropertyException($"mtx: a seekable stream gives {Describe(fromFile)} but a forward-only one {Describe(fromPipe)}");
        return fromFile;
    }

    private static CompressedRowStorage<double>? TryRead(Stream stream)
    {
        try { return MatrixMarket.Read(stream); }
        catch (FileFormatException) { return null; }
    }

    private static bool SameMatrix(CompressedRowStorage<double>? a, CompressedRowStorage<double>? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.RowCount == b.RowCount && a.ColumnCount == b.ColumnCount && a.RowPointers.SequenceEqual(b.RowPointers)
              && a.ColumnIndices.SequenceEqual(b.ColumnIndices) && a.Values.Select(BitConverter.DoubleToInt64Bits).SequenceEqual(b.Values.Select(BitConverter.DoubleToInt64Bits));

    private static string Describe(CompressedRowStorage<double>? m) => m is null ? "a FileFormatException" : $"a {m.RowCount} x {m.ColumnCount} matrix with {m.NonZerosCount} entries";
}
