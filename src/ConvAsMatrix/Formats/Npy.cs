using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvAsMatrix;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) holding little-endian float64
/// or float32 arrays in C order — what <c>numpy.save</c> writes for <c>np.float64</c>/<c>np.float32</c> arrays and
/// what <c>torch.Tensor.numpy()</c> gives.
/// </summary>
/// <remarks>
/// <para>Layout (numpy.lib.format): the magic <c>\x93NUMPY</c>, major and minor version bytes, the header length
/// (uint16 little-endian in 1.0, uint32 in 2.0 and 3.0), the header — a Python dict literal with
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, latin-1 (UTF-8 in 3.0), space-padded and ended by a
/// newline so the data starts on a 64-byte boundary — then the elements, row-major.</para>
/// <para>The reader refuses, with a <see cref="FileFormatException"/> naming the problem: a bad magic or version,
/// a malformed header, Fortran order, big-endian or any other dtype, fewer data bytes than the shape needs
/// (truncated) and bytes after the data (trailing garbage: the file is not what its header says).</para>
/// <para>Memory follows the bytes present, not the lengths the file claims: on a seekable stream the data length is
/// checked before the array is allocated; on a forward-only one (a pipe) the header and the array grow as the bytes
/// arrive, so a header claiming 10^9 elements in a short stream costs a few kilobytes, then a FileFormatException.</para>
/// </remarks>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];
    private const int Alignment = 64;
    private const int MaxHeaderLength = 1 << 20;
    private const string Format = ".npy";
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads one array from <paramref name="stream"/>, which must hold exactly one .npy file from its current position.</summary>
    /// <exception cref="FileFormatException">The content is not a supported .npy array (see remarks of <see cref="Npy"/>).</exception>
    public static NpyArray Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, "stream");
    }

    /// <summary>Reads the .npy file at <paramref name="path"/>.</summary>
    /// <exception cref="FileFormatException">The file is not a supported .npy array; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static NpyArray ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    /// <summary>Writes <paramref name="tensor"/> as a float64 .npy array (version 1.0, or 2.0 if the header needs it).</summary>
    public static void Write(Stream stream, Tensor<double> tensor) => WriteCore(stream, tensor, "<f8");

    /// <summary>Writes <paramref name="tensor"/> as a float32 .npy array (version 1.0, or 2.0 if the header needs it).</summary>
    public static void Write(Stream stream, Tensor<float> tensor) => WriteCore(stream, tensor, "<f4");

    /// <summary>Writes the array in its own element type.</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.DataType == NpyDataType.Float64) Write(stream, array.ToDouble());
        else Write(stream, array.ToSingle());
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> all or nothing (see <see cref="AtomicFile"/>).</summary>
    public static void WriteFile(string path, Tensor<double> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, s => Write(s, tensor));
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> all or nothing (see <see cref="AtomicFile"/>).</summary>
    public static void WriteFile(string path, Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AtomicFile.Write(path, s => Write(s, tensor));
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> all or nothing, in the array's own element type.</summary>
    public static void WriteFile(string path, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, s => Write(s, array));
    }

    private static NpyArray Read(Stream stream, string source)
    {
        FileFormatException Fail(string problem) => new(Format, source, problem);

        Span<byte> preamble = stackalloc byte[Magic.Length + 2];
        int got = stream.ReadAtLeast(preamble, preamble.Length, throwOnEndOfStream: false);
        if (got < preamble.Length || !preamble[..Magic.Length].SequenceEqual(Magic))
            throw Fail(got == 0 ? "the file is empty" : "it does not start with the magic bytes \\x93NUMPY");
        int major = preamble[6], minor = preamble[7];
        if (major is < 1 or > 3 || minor != 0) throw Fail($"format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)");

        Span<byte> lengthBytes = stackalloc byte[major == 1 ? 2 : 4];
        if (stream.ReadAtLeast(lengthBytes, lengthBytes.Length, throwOnEndOfStream: false) < lengthBytes.Length)
            throw Fail("truncated inside the header length");
        long headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(lengthBytes) : BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderLength) throw Fail($"header length {headerLength} is beyond the {MaxHeaderLength} bytes a header can reasonably have");
        // The claimed length is not trusted with memory: a 10-byte file claiming a 1 MiB header is truncated, not a 1 MiB array.
        var headerBytes = StreamBytes.ReadUpTo<byte>(stream, (int)headerLength, out long headerRead);
        if (headerRead < headerLength)
            throw Fail($"truncated inside the {headerLength}-byte header");
        string headerText;
        if (major < 3) headerText = Encoding.Latin1.GetString(headerBytes);
        else
        {
            try { headerText = StrictUtf8.GetString(headerBytes); }
            catch (DecoderFallbackException) { throw Fail("the version 3.0 header is not valid UTF-8"); }
        }
        var header = NpyHeader.Parse(headerText, Fail);

        if (header.FortranOrder) throw Fail("fortran_order=True is not supported; save a C-ordered array (numpy.ascontiguousarray)");
        long count = 1;
        foreach (var d in header.Shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw Fail($"shape ({string.Join(", ", header.Shape)}) has more elements than a .NET array holds");
        }
        return header.Descr switch
        {
            "<f8" => new NpyArray(new Tensor<double>(ReadData<double>(stream, (int)count, Fail), header.Shape)),
            "<f4" => new NpyArray(new Tensor<float>(ReadData<float>(stream, (int)count, Fail), header.Shape)),
            ">f8" or ">f4" => throw Fail($"dtype '{header.Descr}' is big-endian; only little-endian '<f8' (float64) and '<f4' (float32) are supported"),
            _ => throw Fail($"dtype '{header.Descr}' is not supported; only little-endian '<f8' (float64) and '<f4' (float32) are"),
        };
    }

    private static T[] ReadData<T>(Stream stream, int count, Func<string, FileFormatException> fail) where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        long needed = (long)count * size;
        if (stream.CanSeek)
        {
            // Checked before allocating, so a lying header cannot make us allocate gigabytes.
            long remaining = stream.Length - stream.Position;
            if (remaining < needed) throw fail($"truncated: {remaining} data bytes where the shape needs {needed}");
            if (remaining > needed) throw fail($"{remaining - needed} bytes of trailing data after the {needed} the shape needs");
        }
        // On a forward-only stream the shape is not trusted with memory either: the array grows as the bytes arrive.
        var data = StreamBytes.ReadUpTo<T>(stream, count, out long got);
        if (got < needed) throw fail($"truncated: {got} data bytes where the shape needs {needed}");
        if (!stream.CanSeek && stream.ReadByte() >= 0) throw fail($"trailing data after the {needed} bytes the shape needs");
        if (!BitConverter.IsLittleEndian) ReverseEachElement(MemoryMarshal.AsBytes(data.AsSpan()), size);
        return data;
    }

    private static void WriteCore<T>(Stream stream, Tensor<T> tensor, string descr) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(tensor);
        var dict = new NpyHeader(descr, false, tensor.ShapeArray).Format();
        // Version 1.0 unless the header outgrows its uint16 length (a shape of thousands of dimensions).
        int major = dict.Length + 1 + Magic.Length + 4 <= ushort.MaxValue ? 1 : 2;
        int prefix = Magic.Length + 2 + (major == 1 ? 2 : 4);
        int padded = (prefix + dict.Length + 1 + Alignment - 1) / Alignment * Alignment - prefix;
        var header = Encoding.Latin1.GetBytes(dict.PadRight(padded - 1) + "\n");

        stream.Write(Magic);
        stream.Write([(byte)major, 0]);
        Span<byte> length = stackalloc byte[4];
        if (major == 1) { BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length); stream.Write(length[..2]); }
        else { BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length); stream.Write(length); }
        stream.Write(header);

        var bytes = MemoryMarshal.AsBytes(tensor.Data.AsSpan());
        if (BitConverter.IsLittleEndian) { stream.Write(bytes); return; }
        var copy = bytes.ToArray();
        ReverseEachElement(copy, Marshal.SizeOf<T>());
        stream.Write(copy);
    }

    private static void ReverseEachElement(Span<byte> bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }
}
