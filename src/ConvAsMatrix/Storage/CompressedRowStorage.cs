using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// A sparse matrix in compressed-row form (CSR): row <c>i</c> holds column indices
/// <c>ColumnIndices[RowPointers[i] .. RowPointers[i + 1]]</c> and the values at the same positions.
/// </summary>
/// <remarks>
/// The same three arrays read as compressed columns are the transpose: <see cref="Transpose"/> returns that
/// view without copying, in exactly the layout of CSparse.NET's <c>CompressedColumnStorage</c> and
/// SuiteSparse (<c>ColumnPointers</c>, <c>RowIndices</c>, <c>Values</c>).
/// </remarks>
/// <typeparam name="T">Element type; only addition, multiplication and zero are asked of it.</typeparam>
public class CompressedRowStorage<T> : CompressedStorage<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    /// <summary>Wraps the arrays (no copy) after checking them: pointers of length rows + 1, starting at 0, not decreasing; indices in range.</summary>
    /// <exception cref="ArgumentException">The arrays do not form a valid CSR matrix of this size.</exception>
    public CompressedRowStorage(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, T[] values)
        : base(rowCount, columnCount, rowPointers, columnIndices, values, ArrayNames.Rows)
    {
    }

    private protected CompressedRowStorage(int rowCount, int columnCount, int[] rowPointers, int[] columnIndices, T[] values, bool trusted)
        : base(rowCount, columnCount, rowPointers, columnIndices, values, trusted ? null : ArrayNames.Rows)
    {
    }

    /// <summary>Number of rows.</summary>
    public int RowCount => MajorCount;

    /// <summary>Number of columns.</summary>
    public int ColumnCount => MinorCount;

    /// <summary>Row i's entries are at positions <c>RowPointers[i] .. RowPointers[i + 1]</c>; length RowCount + 1.</summary>
    public int[] RowPointers => Pointers;

    /// <summary>The column index of each entry.</summary>
    public int[] ColumnIndices => Indices;

    /// <summary>The value of each entry.</summary>
    public T[] Values => StoredValues;

    /// <summary>y = A·x.</summary>
    /// <param name="x">Length ColumnCount.</param>
    /// <param name="y">Length RowCount, overwritten; must not overlap x.</param>
    public void Multiply(ReadOnlySpan<T> x, Span<T> y) => Gather(default!, x, default!, y, scaled: false);

    /// <summary>y = α·A·x + β·y (y is not read when β is zero).</summary>
    public void Multiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => Gather(alpha, x, beta, y, scaled: true);

    /// <summary>y = Aᵀ·x.</summary>
    /// <param name="x">Length RowCount.</param>
    /// <param name="y">Length ColumnCount, overwritten; must not overlap x.</param>
    public void TransposeMultiply(ReadOnlySpan<T> x, Span<T> y) => Scatter(default!, x, default!, y, scaled: false);

    /// <summary>y = α·Aᵀ·x + β·y (y is not read when β is zero).</summary>
    public void TransposeMultiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y) => Scatter(alpha, x, beta, y, scaled: true);

    /// <summary>Aᵀ as compressed columns over the same arrays (no copy): its ColumnPointers are this RowPointers.</summary>
    public CompressedColumnStorage<T> Transpose() => CompressedColumnStorage<T>.View(ColumnCount, RowCount, Pointers, Indices, StoredValues);

    /// <summary>This matrix in compressed-column form (a copy, O(nnz)); row indices ascending within each column.</summary>
    public CompressedColumnStorage<T> ToCompressedColumns()
    {
        var (p, i, v) = Recompress();
        return CompressedColumnStorage<T>.View(RowCount, ColumnCount, p, i, v);
    }

    /// <summary>A(row, column): the sum of the stored entries there, zero if none.</summary>
    public T At(int row, int column) => Get(row, column);

    /// <summary>The dense matrix [RowCount, ColumnCount].</summary>
    public T[,] ToDense() => Dense(majorFirst: true);

    /// <summary>Every stored entry as (row, column, value), row by row.</summary>
    public IEnumerable<(int Row, int Column, T Value)> EnumerateNonZeros() => Entries().Select(e => (e.Major, e.Minor, e.Value));

    internal static CompressedRowStorage<T> View(int rows, int columns, int[] pointers, int[] indices, T[] values) =>
        new(rows, columns, pointers, indices, values, trusted: true);
}
