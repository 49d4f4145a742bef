using System.Buffers.Binary;

namespace ConvAsMatrix;

/// <summary>
/// Reads and writes PETSc's binary format (what <c>MatView</c>/<c>VecView</c> with a binary viewer write and
/// <c>MatLoad</c>/<c>VecLoad</c>, petsc4py's <c>Mat().load</c> and <c>PetscBinaryIO.py</c> read): big-endian 32-bit
/// integers and 64-bit doubles, no padding.
/// </summary>
/// <remarks>
/// <para>A sparse matrix (AIJ): <c>1211216</c> (MAT_FILE_CLASSID), rows, columns, stored entries nnz, then the
/// number of entries of each row (rows integers), the column indices (nnz integers, 0-based, row by row) and the
/// values (nnz doubles). A vector: <c>1211214</c> (VEC_FILE_CLASSID), length, values. This is PETSc built with
/// 32-bit indices and real doubles, Debian's <c>petsc3.18/x86_64-linux-gnu-real</c>.</para>
/// <para>V's compressed rows are written as they are: row r of the file is output element r, its column indices
/// ascending. <see cref="WriteMatrix(Stream, CompressedRowStorage{double}, int, int)"/> writes a block of rows alone,
/// the part one MPI rank owns.</para>
/// <para>The readers refuse with a <see cref="FileFormatException"/>: a wrong class id, negative sizes, row lengths
/// that do not add up to nnz, a column index outside the matrix, and a file shorter or longer than its header says.</para>
/// </remarks>
public static class PetscBinary
{
    /// <summary>PETSc's MAT_FILE_CLASSID.</summary>
    public const int MatrixClassId = 1211216;

    /// <summary>PETSc's VEC_FILE_CLASSID.</summary>
    public const int VectorClassId = 1211214;

    private const string Format = "PETSc binary";

    /// <summary>Writes rows <paramref name="rowStart"/> to <paramref name="rowEnd"/> − 1 of <paramref name="matrix"/> as a PETSc AIJ matrix of rowEnd − rowStart rows and all its columns.</summary>
    /// <param name="stream">The destination; left open.</param>
    /// <param name="matrix">The matrix (V).</param>
    /// <param name="rowStart">First row written.</param>
    /// <param name="rowEnd">One past the last row written; 0 ≤ rowStart &lt; rowEnd ≤ RowCount.</param>
    /// <exception cref="ArgumentException">The row range is empty or outside the matrix (named).</exception>
    public static void WriteMatrix(Stream stream, CompressedRowStorage<double> matrix, int rowStart, int rowEnd)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        CheckRows(matrix, rowStart, rowEnd);
        var p = matrix.RowPointers;
        int first = p[rowStart], count = p[rowEnd] - first;
        using var output = new BigEndianWriter(stream);
        output.Int(MatrixClassId);
        output.Int(rowEnd - rowStart);
        output.Int(matrix.ColumnCount);
        output.Int(count);
        for (int r = rowStart; r < rowEnd; r++) output.Int(p[r + 1] - p[r]);
        foreach (var c in matrix.ColumnIndices.AsSpan(first, count)) output.Int(c);
        foreach (var v in matrix.Values.AsSpan(first, count)) output.Double(v);
    }

    /// <summary>Writes the whole matrix.</summary>
    public static void WriteMatrix(Stream stream, CompressedRowStorage<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        WriteMatrix(stream, matrix, 0, matrix.RowCount);
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> with a block of rows (the whole matrix by default), all or nothing (see <see cref="AtomicFile"/>).</summary>
    /// <exception cref="ArgumentException">The row range is outside the matrix, or the path names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The path's directory does not exist; nothing is written.</exception>
    public static void WriteMatrixFile(string path, CompressedRowStorage<double> matrix, int rowStart = 0, int rowEnd = -1)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (rowEnd == -1) rowEnd = matrix.RowCount;
        CheckRows(matrix, rowStart, rowEnd);
        AtomicFile.Write(path, s => WriteMatrix(s, matrix, rowStart, rowEnd));
    }

    /// <summary>Writes a vector.</summary>
    public static void WriteVector(Stream stream, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var output = new BigEndianWriter(stream);
        output.Int(VectorClassId);
        output.Int(values.Length);
        foreach (var v in values) output.Double(v);
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> with a vector, all or nothing.</summary>
    /// <exception cref="DirectoryNotFoundException">The path's directory does not exist; nothing is written.</exception>
    public static void WriteVectorFile(string path, ReadOnlyMemory<double> values) =>
        AtomicFile.Write(path, s => WriteVector(s, values.Span));

    /// <summary>Reads a PETSc AIJ matrix.</summary>
    /// <exception cref="FileFormatException">Not a valid PETSc binary matrix (see remarks of <see cref="PetscBinary"/>).</exception>
    public static CompressedRowStorage<double> ReadMatrix(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadMatrix(stream, "stream");
    }

    /// <summary>Reads the PETSc binary matrix file at <paramref name="path"/>.</summary>
    /// <exception cref="FileFormatException">Not a valid PETSc binary matrix; the message names the file.</exception>
    public static CompressedRowStorage<double> ReadMatrixFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadMatrix(stream, path);
    }

    /// <summary>Reads a PETSc vector.</summary>
    /// <exception cref="FileFormatException">Not a valid PETSc binary vector.</exception>
    public static double[] ReadVector(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ReadVector(stream, "stream");
    }

    /// <summary>Reads the PETSc binary vector file at <paramref name="path"/>.</summary>
    /// <exception cref="FileFormatException">Not a valid PETSc binary vector; the message names the file.</exception>
    public static double[] ReadVectorFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return ReadVector(stream, path);
    }

    private static CompressedRowStorage<double> ReadMatrix(Stream stream, string source)
    {
        var input = new BigEndianReader(stream, source);
        input.ClassId(MatrixClassId, "matrix (MAT_FILE_CLASSID 1211216)");
        int rows = input.Count("rows"), columns = input.Count("columns"), nnz = input.Count("stored entries");
        // 12 bytes an entry and 4 a row follow: a count the rest of the stream cannot hold is refused before allocating.
        input.Ensure(4L * rows + 12L * nnz, $"{rows} row lengths and {nnz} entries");
        var pointers = new int[rows + 1];
        for (int r = 0; r < rows; r++)
        {
            int length = input.Int();
            if (length < 0 || length > columns) throw input.Fail($"row {r} has length {length}, outside 0..{columns}");
            pointers[r + 1] = pointers[r] + length;
            if (pointers[r + 1] > nnz) throw input.Fail($"the row lengths add up to more than the {nnz} stored entries the header declares");
        }
        if (pointers[rows] != nnz) throw input.Fail($"the row lengths add up to {pointers[rows]}, the header declares {nnz} stored entries");
        var indices = new int[nnz];
        for (int k = 0; k < nnz; k++)
        {
            indices[k] = input.Int();
            if ((uint)indices[k] >= (uint)columns) throw input.Fail($"column index {indices[k]} (entry {k}) is outside 0..{columns - 1}");
        }
        var values = new double[nnz];
        for (int k = 0; k < nnz; k++) values[k] = input.Double();
        input.End();
        try
        {
            return new CompressedRowStorage<double>(rows, columns, pointers, indices, values);
        }
        catch (ArgumentException e)
        {
            throw input.Fail(e.Message);
        }
    }

    private static double[] ReadVector(Stream stream, string source)
    {
        var input = new BigEndianReader(stream, source);
        input.ClassId(VectorClassId, "vector (VEC_FILE_CLASSID 1211214)");
        int length = input.Count("length");
        input.Ensure(8L * length, $"{length} values");
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = input.Double();
        input.End();
        return values;
    }

    private static void CheckRows(CompressedRowStorage<double> matrix, int rowStart, int rowEnd)
    {
        if (rowStart < 0 || rowStart >= matrix.RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowStart), rowStart, $"rowStart must be in 0..{matrix.RowCount - 1}, got {rowStart}");
        if (rowEnd <= rowStart || rowEnd > matrix.RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowEnd), rowEnd, $"rowEnd must be in {rowStart + 1}..{matrix.RowCount} (after rowStart {rowStart}), got {rowEnd}");
    }

    /// <summary>Big-endian values into a stream through one buffer.</summary>
    private sealed class BigEndianWriter(Stream stream) : IDisposable
    {
        private readonly byte[] buffer = new byte[1 << 16];
        private int used;

        public void Int(int value)
        {
            if (used + 4 > buffer.Length) Flush();
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(used), value);
            used += 4;
        }

        public void Double(double value)
        {
            if (used + 8 > buffer.Length) Flush();
            BinaryPrimitives.WriteDoubleBigEndian(buffer.AsSpan(used), value);
            used += 8;
        }

        private void Flush()
        {
            stream.Write(buffer, 0, used);
            used = 0;
        }

        public void Dispose() => Flush();
    }

    /// <summary>Big-endian values from a stream, failing with <see cref="FileFormatException"/> on truncation.</summary>
    private sealed class BigEndianReader(Stream stream, string source)
    {
        private readonly BufferedStream input = new(stream, 1 << 16);
        private readonly byte[] scratch = new byte[8];
        private readonly long start = stream.CanSeek ? stream.Position : 0;
        private long offset;

        public FileFormatException Fail(string problem) => new(Format, source, problem);

        private ReadOnlySpan<byte> Next(int bytes)
        {
            int read = input.ReadAtLeast(scratch.AsSpan(0, bytes), bytes, throwOnEndOfStream: false);
            if (read < bytes) throw Fail($"truncated at byte {offset + read}");
            offset += bytes;
            return scratch.AsSpan(0, bytes);
        }

        public int Int() => BinaryPrimitives.ReadInt32BigEndian(Next(4));

        public double Double() => BinaryPrimitives.ReadDoubleBigEndian(Next(8));

        public void ClassId(int expected, string what)
        {
            int id = input.ReadAtLeast(scratch.AsSpan(0, 4), 4, throwOnEndOfStream: false) == 4
                ? BinaryPrimitives.ReadInt32BigEndian(scratch)
                : throw Fail("the file is shorter than a class id");
            offset = 4;
            if (id != expected) throw Fail($"expected a {what}, found class id {id}");
        }

        public int Count(string what)
        {
            int value = Int();
            if (value < 0) throw Fail($"{what} is {value}, negative");
            return value;
        }

        /// <summary>Refuses a header whose data the rest of a seekable stream cannot hold.</summary>
        public void Ensure(long bytes, string what)
        {
            if (stream.CanSeek && bytes > stream.Length - start - offset)
                throw Fail($"truncated: the header announces {what} ({bytes} bytes), the file has {stream.Length - start - offset} after it");
        }

        public void End()
        {
            if (input.ReadByte() != -1) throw Fail($"trailing data after byte {offset}");
        }
    }
}
