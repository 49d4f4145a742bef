using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace ConvAsMatrix;

/// <summary>
/// Reads and writes NumPy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0) of every numeric dtype and bool
/// (<see cref="NpyDataType"/>), in either byte order and in C or Fortran order — what <c>numpy.save</c> writes and
/// what <c>torch.Tensor.numpy()</c> gives.
/// </summary>
/// <remarks>
/// <para>Layout (numpy.lib.format): the magic <c>\x93NUMPY</c>, major and minor version bytes, the header length
/// (uint16 little-endian in 1.0, uint32 in 2.0 and 3.0), the header — a Python dict literal with
/// <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, latin-1 (UTF-8 in 3.0), space-padded and ended by a
/// newline so the data starts on a 64-byte boundary — then the elements, in C order (last index fastest) or, with
/// <c>fortran_order: True</c>, first index fastest. The reader always returns C order and this machine's byte order.</para>
/// <para>The reader refuses, with a <see cref="FileFormatException"/> naming the problem: a bad magic or version,
/// a malformed header, a dtype it does not know (structured, complex, strings, objects), a bool byte other than 0 or 1,
/// fewer data bytes than the shape needs (truncated) and bytes after the data (trailing garbage: the file is not what
/// its header says).</para>
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
    public static void Write(Stream stream, Tensor<double> tensor) => Write(stream, new NpyArray(tensor));

    /// <summary>Writes <paramref name="tensor"/> as a float32 .npy array (version 1.0, or 2.0 if the header needs it).</summary>
    public static void Write(Stream stream, Tensor<float> tensor) => Write(stream, new NpyArray(tensor));

    /// <summary>Writes the array in its own element type, little-endian, C order.</summary>
    public static void Write(Stream stream, NpyArray array) => Write(stream, array, new NpyWriteOptions());

    /// <summary>Writes the array in its own element type, in the byte order and element order <paramref name="options"/> ask for.</summary>
    public static void Write(Stream stream, NpyArray array, NpyWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(options);
        WriteCore(stream, array, options);
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
    public static void WriteFile(string path, NpyArray array) => WriteFile(path, array, new NpyWriteOptions());

    /// <summary>Creates or replaces the file at <paramref name="path"/> all or nothing, in the array's own element type and the orders <paramref name="options"/> ask for.</summary>
    public static void WriteFile(string path, NpyArray array, NpyWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(options);
        AtomicFile.Write(path, s => WriteCore(s, array, options));
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

        long count = 1;
        foreach (var d in header.Shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw Fail($"shape ({string.Join(", ", header.Shape)}) has more elements than a .NET array holds");
        }
        if (NpyTypes.Parse(header.Descr, out bool bigEndian, out string problem) is not { } type) throw Fail(problem);
        var layout = new DataLayout((int)count, header.Shape, header.FortranOrder, bigEndian == BitConverter.IsLittleEndian);
        Array data = type switch
        {
            NpyDataType.Float64 => ReadData<double>(stream, layout, Fail),
            NpyDataType.Float32 => ReadData<float>(stream, layout, Fail),
            NpyDataType.Float16 => ReadData<Half>(stream, layout, Fail),
            NpyDataType.Bool => ReadBools(stream, layout, Fail),
            NpyDataType.Int8 => ReadData<sbyte>(stream, layout, Fail),
            NpyDataType.UInt8 => ReadData<byte>(stream, layout, Fail),
            NpyDataType.Int16 => ReadData<short>(stream, layout, Fail),
            NpyDataType.UInt16 => ReadData<ushort>(stream, layout, Fail),
            NpyDataType.Int32 => ReadData<int>(stream, layout, Fail),
            NpyDataType.UInt32 => ReadData<uint>(stream, layout, Fail),
            NpyDataType.Int64 => ReadData<long>(stream, layout, Fail),
            _ => ReadData<ulong>(stream, layout, Fail),
        };
        return NpyArray.Of(type, data, header.Shape);
    }

    /// <summary>How the file's elements are laid out: their number, the shape, Fortran order, and whether each element's bytes must be reversed.</summary>
    private sealed record DataLayout(int Count, int[] Shape, bool FortranOrder, bool Swap);

    /// <summary>bool elements, one byte each, which NumPy writes as 0 or 1: any other byte is not a bool NumPy wrote.</summary>
    private static bool[] ReadBools(Stream stream, DataLayout layout, Func<string, FileFormatException> fail)
    {
        var bytes = ReadData<byte>(stream, layout, fail);
        int bad = Array.FindIndex(bytes, b => b > 1);
        if (bad >= 0) throw fail($"bool element {bad} is the byte {bytes[bad]}, not 0 or 1");
        return Array.ConvertAll(bytes, b => b != 0);
    }

    private static T[] ReadData<T>(Stream stream, DataLayout layout, Func<string, FileFormatException> fail) where T : unmanaged
    {
        int size = Marshal.SizeOf<T>();
        long needed = (long)layout.Count * size;
        if (stream.CanSeek)
        {
            // Checked before allocating, so a lying header cannot make us allocate gigabytes.
            long remaining = stream.Length - stream.Position;
            if (remaining < needed) throw fail($"truncated: {remaining} data bytes where the shape needs {needed}");
            if (remaining > needed) throw fail($"{remaining - needed} bytes of trailing data after the {needed} the shape needs");
        }
        // On a forward-only stream the shape is not trusted with memory either: the array grows as the bytes arrive.
        var data = StreamBytes.ReadUpTo<T>(stream, layout.Count, out long got);
        if (got < needed) throw fail($"truncated: {got} data bytes where the shape needs {needed}");
        if (!stream.CanSeek && stream.ReadByte() >= 0) throw fail($"trailing data after the {needed} bytes the shape needs");
        var bytes = MemoryMarshal.AsBytes(data.AsSpan());
        if (layout.Swap) ReverseEachElement(bytes, size);
        if (layout.FortranOrder && layout.Shape.Length > 1) Reorder(bytes, size, layout.Shape, toFortran: false).CopyTo(bytes);
        return data;
    }

    private static void WriteCore(Stream stream, NpyArray array, NpyWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var shape = array.Shape.ToArray();
        var dict = new NpyHeader(NpyTypes.Descr(array.DataType, options.BigEndian), options.FortranOrder, shape).Format();
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

        var bytes = array.Bytes();
        int size = NpyTypes.Size(array.DataType);
        bool swap = options.BigEndian == BitConverter.IsLittleEndian && size > 1;
        bool reorder = options.FortranOrder && shape.Length > 1;
        if (!swap && !reorder) { stream.Write(bytes); return; }
        var copy = reorder ? Reorder(bytes, size, shape, toFortran: true) : bytes.ToArray();
        if (swap) ReverseEachElement(copy, size);
        stream.Write(copy);
    }

    /// <summary>
    /// The elements of <paramref name="bytes"/> (each <paramref name="size"/> bytes) moved from C order to Fortran order
    /// (<paramref name="toFortran"/>) or back: the element at multi-index i sits at Σ_d i_d·∏_{e&gt;d} n_e in C order and at
    /// Σ_d i_d·∏_{e&lt;d} n_e in Fortran order.
    /// </summary>
    private static byte[] Reorder(ReadOnlySpan<byte> bytes, int size, int[] shape, bool toFortran)
    {
        var result = new byte[bytes.Length];
        int rank = shape.Length, count = bytes.Length / size;
        var index = new int[rank];
        var fortranStride = new long[rank];
        for (int d = 0, stride = 1; d < rank; stride *= shape[d], d++) fortranStride[d] = stride;
        long fortran = 0;
        for (int c = 0; c < count; c++)
        {
            var (from, to) = toFortran ? ((long)c, fortran) : (fortran, (long)c);
            bytes.Slice((int)from * size, size).CopyTo(result.AsSpan((int)to * size, size));
            // Next C-order multi-index (last index fastest), keeping its Fortran offset in step.
            for (int d = rank - 1; d >= 0; d--)
            {
                fortran += fortranStride[d];
                if (++index[d] < shape[d]) break;
                fortran -= fortranStride[d] * shape[d];
                index[d] = 0;
            }
        }
        return result;
    }

    private static void ReverseEachElement(Span<byte> bytes, int size)
    {
        for (int i = 0; i < bytes.Length; i += size) bytes.Slice(i, size).Reverse();
    }
}
