using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvAsMatrix;

/// <summary>Reads a length a file claims for itself without trusting the claim: memory grows with the bytes that really arrive.</summary>
internal static class StreamBytes
{
    private const int FirstChunkBytes = 1 << 16;

    /// <summary>
    /// Reads <paramref name="count"/> elements' bytes, or all that remain if fewer. On a seekable stream the array is
    /// sized by what remains; on a forward-only one it starts at 64 KiB and doubles while the bytes keep coming, so
    /// the memory is at most about twice the bytes present plus 64 KiB, whatever <paramref name="count"/> claims.
    /// </summary>
    /// <param name="stream">The source, from its current position.</param>
    /// <param name="count">The number of elements the file claims.</param>
    /// <param name="bytesRead">The bytes read: <paramref name="count"/>·size when complete, fewer when the stream ended first.</param>
    /// <returns>An array of <paramref name="count"/> elements when complete; when not, of at least the elements read.</returns>
    public static T[] ReadUpTo<T>(Stream stream, int count, out long bytesRead) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        long available = stream.CanSeek ? (Math.Max(0, stream.Length - stream.Position) + size - 1) / size : Math.Max(1, FirstChunkBytes / size);
        var data = new T[Math.Min(count, available)];
        long filled = Fill(stream, data, 0);
        while (filled == (long)data.Length * size && data.Length < count)
        {
            Array.Resize(ref data, (int)Math.Min(count, 2L * Math.Max(1, data.Length)));
            filled = Fill(stream, data, filled);
        }
        bytesRead = filled;
        return data;
    }

    /// <summary>Reads into <paramref name="data"/> from byte <paramref name="filled"/> until it is full or the stream ends; returns the bytes filled.</summary>
    private static long Fill<T>(Stream stream, T[] data, long filled) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        while (filled < (long)data.Length * size)
        {
            // In slices: the bytes of more than 2^31 / size elements do not fit one span.
            int element = (int)(filled / size);
            var bytes = MemoryMarshal.AsBytes(data.AsSpan(element, Math.Min(data.Length - element, 1 << 24)))[(int)(filled % size)..];
            int got = stream.Read(bytes);
            if (got == 0) break;
            filled += got;
        }
        return filled;
    }
}
