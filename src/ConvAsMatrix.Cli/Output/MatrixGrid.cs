using System.Globalization;
using System.Numerics;

namespace ConvAsMatrix.Cli;

/// <summary>Prints matrices as right-aligned grids: sparse ones with '.' for structural zeros, dense ones plainly.</summary>
public static class MatrixGrid
{
    /// <summary>The character printed where a sparse matrix stores no entry.</summary>
    public const string StructuralZero = ".";

    /// <summary>Whether a sparse matrix is small enough to print as a grid of about <paramref name="width"/> characters.</summary>
    public static bool Fits<T>(CompressedRowStorage<T> matrix, int width = 160, int maxRows = 64)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.RowCount > maxRows) return false;
        int cell = Math.Max(matrix.ColumnCount.ToString(CultureInfo.InvariantCulture).Length, matrix.Values.Select(v => Cell(v).Length).DefaultIfEmpty(1).Max());
        return (long)matrix.ColumnCount * (cell + 1) + 6 <= width;
    }

    /// <summary>Writes a sparse matrix with row and column indices, '.' where no entry is stored.</summary>
    public static void WriteSparse<T>(TextWriter writer, CompressedRowStorage<T> matrix, string indent = "  ")
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(matrix);
        var cells = new string[matrix.RowCount, matrix.ColumnCount];
        for (int r = 0; r < matrix.RowCount; r++)
            for (int c = 0; c < matrix.ColumnCount; c++) cells[r, c] = StructuralZero;
        foreach (var group in matrix.EnumerateNonZeros().GroupBy(e => (e.Row, e.Column)))
            cells[group.Key.Row, group.Key.Column] = Cell(group.Select(e => e.Value).Aggregate((a, b) => a + b));
        Write(writer, cells, indent, withIndices: true);
    }

    /// <summary>Writes row-major <paramref name="data"/> as a rows × columns grid.</summary>
    public static void WriteDense<T>(TextWriter writer, IReadOnlyList<T> data, int rows, int columns, string indent = "  ")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(data);
        if ((long)rows * columns != data.Count) throw new ArgumentException($"{data.Count} values do not make a {rows} x {columns} grid", nameof(data));
        var cells = new string[rows, columns];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) cells[r, c] = Cell(data[r * columns + c]);
        Write(writer, cells, indent, withIndices: false);
    }

    private static void Write(TextWriter writer, string[,] cells, string indent, bool withIndices)
    {
        int rows = cells.GetLength(0), columns = cells.GetLength(1);
        int width = 1;
        foreach (var cell in cells) width = Math.Max(width, cell.Length);
        if (withIndices) width = Math.Max(width, (columns - 1).ToString(CultureInfo.InvariantCulture).Length);
        int label = withIndices ? (rows - 1).ToString(CultureInfo.InvariantCulture).Length + 2 : 0;
        if (withIndices)
            writer.WriteLine(indent + new string(' ', label) + string.Join(' ', Enumerable.Range(0, columns).Select(c => c.ToString(CultureInfo.InvariantCulture).PadLeft(width))));
        for (int r = 0; r < rows; r++)
        {
            var line = indent + (withIndices ? r.ToString(CultureInfo.InvariantCulture).PadLeft(label - 2) + "  " : "");
            line += string.Join(' ', Enumerable.Range(0, columns).Select(c => cells[r, c].PadLeft(width)));
            writer.WriteLine(line);
        }
    }

    /// <summary>Whether any stored value prints rounded (see <see cref="Cell{T}"/>).</summary>
    public static bool RoundsAny<T>(CompressedRowStorage<T> matrix)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return matrix.Values.Take(matrix.NonZerosCount).Any(v => Cell(v) != Exact(v));
    }

    /// <summary>
    /// A value as printed: its shortest exact form (invariant culture) when that has at most
    /// <see cref="MaxExactWidth"/> characters; a longer float rounded to 4 significant digits, so a grid of
    /// random weights stays readable.
    /// </summary>
    internal static string Cell<T>(T value)
    {
        var exact = Exact(value);
        return exact.Length > MaxExactWidth && value is double or float ? ((IFormattable)value).ToString("G4", CultureInfo.InvariantCulture) : exact;
    }

    /// <summary>Floats whose exact form is longer than this are rounded for display.</summary>
    public const int MaxExactWidth = 7;

    private static string Exact<T>(T value) =>
        value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? "";
}
