using System.Globalization;
using System.Text;

namespace ConvAsMatrix;

/// <summary>
/// Reads and writes sparse matrices in the Matrix Market exchange format, <c>coordinate real general</c>:
/// a banner line, optional <c>%</c> comment lines, a size line <c>rows columns entries</c>, then one
/// <c>row column value</c> line per entry with 1-based indices — what <c>scipy.io.mmread</c>/<c>mmwrite</c>,
/// MATLAB's <c>mmread</c> and SuiteSparse exchange.
/// </summary>
/// <remarks>
/// <para>The writer lists a <see cref="CompressedRowStorage{T}"/>'s stored entries row by row, columns ascending
/// within a row as stored, so row r and column c of the file are row r − 1 and column c − 1 of the matrix. For
/// a convolution matrix V these are the output and input elements flattened row-major (PyTorch's
/// <c>reshape(-1)</c> order). Values are written in the shortest form that reads back to the same double.</para>
/// <para>The reader accepts the field <c>real</c> (and <c>integer</c>, whose values are reals too) with symmetry
/// <c>general</c>. Duplicate (row, column) entries are <b>summed</b>, as scipy's conversion to CSR and
/// MATLAB's <c>sparse</c> do; explicitly stored zeros are kept as stored entries. It refuses, with a
/// <see cref="FileFormatException"/> naming the line: a wrong banner, a missing or malformed size line, an entry
/// line that is not two indices and a value, an index outside the declared size, fewer entries than declared
/// (truncated) and more (the counts disagree).</para>
/// <para>Memory: the entry arrays are sized by the declared count only once a seekable file is known to be long enough
/// for it (6 bytes an entry at least); on a forward-only stream (a pipe) they grow as entries arrive. The row pointers a
/// CSR matrix needs, 4 bytes a row, are the one cost the size line decides alone — an empty 10^9-row matrix is a
/// 60-byte file — so rows must fit an int32 array and the memory available; then the reader needs O(file length + rows).</para>
/// </remarks>
public static class MatrixMarket
{
    private const string Format = "Matrix Market";
    private const string Banner = "%%MatrixMarket matrix coordinate real general";
    private const int FirstCapacity = 4096;

    /// <summary>Writes <paramref name="matrix"/> as <c>coordinate real general</c>.</summary>
    /// <param name="stream">The destination; left open.</param>
    /// <param name="matrix">The matrix; every stored entry is written.</param>
    /// <param name="comment">Text for <c>%</c> comment lines after the banner (one per line of the text), or null.</param>
    public static void Write(Stream stream, CompressedRowStorage<double> matrix, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(matrix);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        writer.WriteLine(Banner);
        if (comment is not null)
            foreach (var line in comment.Split('\n'))
                writer.WriteLine("% " + line.TrimEnd('\r'));
        writer.WriteLine($"{matrix.RowCount} {matrix.ColumnCount} {matrix.NonZerosCount}");
        var pointers = matrix.RowPointers;
        var columns = matrix.ColumnIndices;
        var values = matrix.Values;
        Span<char> number = stackalloc char[32];
        for (int r = 0; r < matrix.RowCount; r++)
            for (int k = pointers[r]; k < pointers[r + 1]; k++)
            {
                writer.Write(r + 1);
                writer.Write(' ');
                writer.Write(columns[k] + 1);
                writer.Write(' ');
                writer.WriteLine(FormatValue(values[k], number));
            }
    }

    /// <summary>Creates or replaces the file at <paramref name="path"/> all or nothing (see <see cref="AtomicFile"/>).</summary>
    public static void WriteFile(string path, CompressedRowStorage<double> matrix, string? comment = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        AtomicFile.Write(path, s => Write(s, matrix, comment));
    }

    /// <summary>Reads a <c>coordinate real general</c> matrix from <paramref name="stream"/>.</summary>
    /// <returns>The matrix in compressed rows, columns ascending within each row, duplicates summed.</returns>
    /// <exception cref="FileFormatException">The content is not a valid matrix of that kind (see remarks of <see cref="MatrixMarket"/>).</exception>
    public static CompressedRowStorage<double> Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Read(stream, "stream");
    }

    /// <summary>Reads the Matrix Market file at <paramref name="path"/>.</summary>
    /// <exception cref="FileFormatException">The file is not a valid matrix of that kind; the message names the file and line.</exception>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    public static CompressedRowStorage<double> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(stream, path);
    }

    private static CompressedRowStorage<double> Read(Stream stream, string source)
    {
        long? bytes = stream.CanSeek ? stream.Length - stream.Position : null;
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: true);
        int lineNumber = 0;
        FileFormatException Fail(string problem) => new(Format, source, $"line {lineNumber}: {problem}");

        var banner = reader.ReadLine();
        lineNumber = 1;
        if (banner is null) throw new FileFormatException(Format, source, "the file is empty");
        CheckBanner(banner, Fail);

        string? line;
        do { line = reader.ReadLine(); lineNumber++; }
        while (line is not null && (line.StartsWith('%') || string.IsNullOrWhiteSpace(line)));
        if (line is null) throw Fail("truncated: no size line 'rows columns entries'");
        var size = Fields(line);
        if (size.Length != 3 || !TryCount(size[0], out var rows) || !TryCount(size[1], out var columns) || !long.TryParse(size[2], NumberStyles.None, CultureInfo.InvariantCulture, out var declared))
            throw Fail($"expected the size line 'rows columns entries' with non-negative integers (rows and columns int32), got '{Shorten(line)}'");
        // The shortest entry line is 6 characters ("1 1 0\n"): a declared count the data cannot hold is refused before allocating for it.
        if (declared > Array.MaxLength || (bytes is long b && declared > b / 6))
            throw Fail($"declares {declared} entries, more than the {(bytes is null ? "int32 arrays hold" : "file can hold")}");
        EnsureRowPointersFit(rows, Fail);

        // On a forward-only stream the declared count is not trusted with memory: the arrays grow as entries arrive.
        int capacity = (int)(bytes is null ? Math.Min(declared, FirstCapacity) : declared);
        var rowOf = new int[capacity];
        var columnOf = new int[capacity];
        var valueOf = new double[capacity];
        int read = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.StartsWith('%') || string.IsNullOrWhiteSpace(line)) continue;
            if (read == declared) throw Fail($"more entries than the {declared} the size line declares");
            var f = Fields(line);
            if (f.Length != 3 || !int.TryParse(f[0], NumberStyles.None, CultureInfo.InvariantCulture, out var r) || !int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var c) || !TryValue(f[2], out var v))
                throw Fail($"expected an entry 'row column value', got '{Shorten(line)}'");
            if (r < 1 || r > rows || c < 1 || c > columns)
                throw Fail($"entry ({r}, {c}) is outside the declared {rows} x {columns} matrix (indices are 1-based)");
            if (read == rowOf.Length)
            {
                int grown = (int)Math.Min(declared, 2L * Math.Max(1, read));
                Array.Resize(ref rowOf, grown);
                Array.Resize(ref columnOf, grown);
                Array.Resize(ref valueOf, grown);
            }
            rowOf[read] = r - 1;
            columnOf[read] = c - 1;
            valueOf[read] = v;
            read++;
        }
        if (read < declared) throw Fail($"truncated: {read} entries where the size line declares {declared}");
        return Compress(rows, columns, rowOf, columnOf, valueOf);
    }

    /// <summary>
    /// The one allocation a size line alone decides: a CSR matrix needs rows + 1 row pointers whatever its entries
    /// (built with a copy and a merged set: 12 bytes a row). Refused past int32 arrays or the memory this process can use.
    /// </summary>
    private static void EnsureRowPointersFit(int rows, Func<string, FileFormatException> fail)
    {
        if (rows >= Array.MaxLength) throw fail($"declares {rows} rows, more than the row pointers of a CSR matrix (an int32 array of rows + 1) can hold");
        long needed = 12L * (rows + 1L);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0 && needed > available)
            throw fail($"declares {rows} rows, whose row pointers need {needed} bytes, more than the {available} bytes available to this process");
    }

    private static void CheckBanner(string banner, Func<string, FileFormatException> fail)
    {
        var words = Fields(banner);
        if (words.Length == 0 || words[0] != "%%MatrixMarket")
            throw fail($"expected the banner '{Banner}', got '{Shorten(banner)}'");
        if (words.Length != 5 || !words[1].Equals("matrix", StringComparison.OrdinalIgnoreCase) || !words[2].Equals("coordinate", StringComparison.OrdinalIgnoreCase))
            throw fail($"only 'matrix coordinate' files are supported, got '{Shorten(banner)}'");
        if (!words[3].Equals("real", StringComparison.OrdinalIgnoreCase) && !words[3].Equals("integer", StringComparison.OrdinalIgnoreCase))
            throw fail($"field '{words[3]}' is not supported (real and integer are)");
        if (!words[4].Equals("general", StringComparison.OrdinalIgnoreCase))
            throw fail($"symmetry '{words[4]}' is not supported (general is)");
    }

    /// <summary>Triplets to CSR: a counting sort by row, then each row sorted by column with duplicates summed.</summary>
    private static CompressedRowStorage<double> Compress(int rows, int columns, int[] rowOf, int[] columnOf, double[] valueOf)
    {
        var pointers = new int[rows + 1];
        foreach (var r in rowOf) pointers[r + 1]++;
        for (int r = 0; r < rows; r++) pointers[r + 1] += pointers[r];
        var next = pointers[..rows];
        var cols = new int[rowOf.Length];
        var vals = new double[rowOf.Length];
        for (int k = 0; k < rowOf.Length; k++)
        {
            int slot = next[rowOf[k]]++;
            cols[slot] = columnOf[k];
            vals[slot] = valueOf[k];
        }
        int write = 0;
        var merged = new int[rows + 1];
        for (int r = 0; r < rows; r++)
        {
            int start = pointers[r], length = pointers[r + 1] - start;
            Array.Sort(cols, vals, start, length);
            for (int k = start; k < start + length; k++)
            {
                if (write > merged[r] && cols[write - 1] == cols[k]) vals[write - 1] += vals[k];
                else { cols[write] = cols[k]; vals[write] = vals[k]; write++; }
            }
            merged[r + 1] = write;
        }
        return new CompressedRowStorage<double>(rows, columns, merged, cols[..write], vals[..write]);
    }

    private static string[] Fields(string line) => line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    private static bool TryCount(string s, out int value) => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    private static bool TryValue(string s, out double value)
    {
        switch (s.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>The shortest round-trip text, with NaN and infinities spelled as scipy and MATLAB write them.</summary>
    private static ReadOnlySpan<char> FormatValue(double value, Span<char> buffer)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        value.TryFormat(buffer, out int written, "R", CultureInfo.InvariantCulture);
        return buffer[..written];
    }

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..57] + "...";
}
