using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// A sparse matrix in compressed-column form (CSC), the layout of CSparse.NET's
/// <c>CompressedColumnStorage</c> and SuiteSparse: column <c>j</c> holds row indices
/// <c>RowIndices[ColumnPointers[j] .. ColumnPointers[j + 1]]</c> and the values at the same positions.
/// </summary>
/// <remarks>
/// A CSparse.NET user wraps these arrays without a copy:
/// <c>new CSparse.Double.SparseMatrix(A.RowCount, A.ColumnCount, A.Values, A.RowIndices, A.ColumnPointers)</c>.
/// </remarks>
/// <typeparam name="T">Element type; only addition, multiplication and zero are asked of it.</typeparam>
public class CompressedColumnStorage<T> : CompressedStorage<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    /// <summary>Wraps the arrays (no copy) after checking them: pointers of length columns + 1, starting at 0, not decreasing; indices in range.</summary>
    /// <exception cref="ArgumentException">The arrays do not form a valid CSC matrix of this size.</exception>
    public CompressedColumnStorage(int rowCount, int columnCount, int[] columnPointers, int[] rowIndices, T[] values)
        : base(columnCount, rowCount, columnPointers, rowIndices, values, ArrayNames.Columns)
    {
    }

    private CompressedColumnStorage(int rowCount, int columnCount, int[] columnPointers, int[] rowIndices, T[] values, bool trusted)
        : base(columnCount, rowCount, columnPointers, rowIndices, values, trusted ? null : ArrayNames.Columns)
    {
    }

    /// <summary>Number of rows.</summary>
    public int RowCount => MinorCount;

    /// <summary>Number of columns.</summary>
    public int ColumnCount => MajorCount;

    /// <summary>Column j's entries are at positions <c>ColumnPointers[j] .. ColumnPointers[j + 1]</c>; length ColumnCount + 1.</summary>
    public int[] ColumnPointers => Pointers;

    /// <summary>The row index of each entry.</summary>
    public int[] RowIndices => Indices;

    /// <summary>The value of each entry.</summary>
    public T[] Values => StoredValues;

    /// <summary>y = A·x.</summary>
    /// <param name="x">Length ColumnCount.</param>
    /// <param name="y">Length RowCount, overwritten; must not overlap x.</param>
    public void Multiply(ReadOnlySpan<T> x, Span<T> y) => Scatter(default!, x, default!, y, scaled: false);

    /// <summary>y = α·A·x + β·y (y is not read when β is zero).</summary>
    public void Multiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => Scatter(alpha, x, beta, y, scaled: true);

    /// <summary>y = Aᵀ·x.</summary>
    /// <param name="x">Length RowCount.</param>
    /// <param name="y">Length ColumnCount, overwritten; must not overlap x.</param>
    public void TransposeMultiply(ReadOnlySpan<T> x, Span<T> y) => Gather(default!, x, default!, y, scaled: false);

    /// <summary>y = α·Aᵀ·x + β·y (y is not read when β is zero).</summary>
    public void TransposeMultiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => Gather(alpha, x, beta, y, scaled: true);

    /// <summary>Aᵀ as compressed rows over the same arrays (no copy).</summary>
    public CompressedRowStorage<T> Transpose() => CompressedRowStorage<T>.View(ColumnCount, RowCount, Pointers, Indices, StoredValues);

    /// <summary>This matrix in compressed-row form (a copy, O(nnz)); column indices ascending within each row.</summary>
    public CompressedRowStorage<T> ToCompressedRows()
    {
        var (p, i, v) = Recompress();
        return CompressedRowStorage<T>.View(RowCount, ColumnCount, p, i, v);
    }

    /// <summary>A(row, column): the sum of the stored entries there, zero if none.</summary>
    public T At(int row, int column) => Get(column, row);

    /// <summary>The dense matrix [RowCount, ColumnCount].</summary>
    public T[,] ToDense() => Dense(majorFirst: false);

    /// <summary>Every stored entry as (row, column, value), column by column.</summary>
    public IEnumerable<(int Row, int Column, T Value)> EnumerateNonZeros() => Entries().Select(e => (e.Minor, e.Major, e.Value));

    internal static CompressedColumnStorage<T> View(int rows, int columns, int[] pointers, int[] indices, T[] values) =>
        new(rows, columns, pointers, indices, values, trusted: true);
}
