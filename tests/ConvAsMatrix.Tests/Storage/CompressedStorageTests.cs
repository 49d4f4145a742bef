using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Storage;

/// <summary>
/// CompressedRowStorage / CompressedColumnStorage: argument checks, the no-copy transpose, the O(nnz) conversion,
/// and the BLAS-style y = α·A·x + β·y, checked against dense products computed here from the raw arrays.
/// </summary>
public class CompressedStorageTests
{
    [ConvProperty]
    public void ProductsEqualDenseProducts(SparseSpec s)
    {
        var a = s.Csr();
        var dense = s.Dense();
        var x = s.Vector(s.Columns, 1);
        var y = s.Vector(s.Rows, 2);
        Assert.Equal(dense, a.ToDense());
        Assert.Equal(DenseMultiply(dense, x), Product(s.Rows, r => a.Multiply(x, r)));
        Assert.Equal(DenseMultiply(Transpose(dense), y), Product(s.Columns, r => a.TransposeMultiply(y, r)));
        for (int i = 0; i < s.Rows; i++)
            for (int j = 0; j < s.Columns; j++)
                Assert.Equal(dense[i, j], a.At(i, j));
        Assert.Equal(s.Arrays().Values.Length, a.NonZerosCount);
    }

    [ConvProperty]
    public void TransposeSharesTheArraysAndIsTheTranspose(SparseSpec s)
    {
        var a = s.Csr();
        var at = a.Transpose();
        Assert.Same(a.RowPointers, at.ColumnPointers);
        Assert.Same(a.ColumnIndices, at.RowIndices);
        Assert.Same(a.Values, at.Values);
        Assert.Equal((s.Columns, s.Rows), (at.RowCount, at.ColumnCount));
        Assert.Equal(Transpose(s.Dense()), at.ToDense());

        var y = s.Vector(s.Rows, 3);
        var x = s.Vector(s.Columns, 4);
        Assert.Equal(Product(s.Columns, r => a.TransposeMultiply(y, r)), Product(s.Columns, r => at.Multiply(y, r)));
        Assert.Equal(Product(s.Rows, r => a.Multiply(x, r)), Product(s.Rows, r => at.TransposeMultiply(x, r)));

        // And back: the CSC's transpose is a CSR over the same arrays again.
        var back = at.Transpose();
        Assert.Same(a.RowPointers, back.RowPointers);
        Assert.Same(a.ColumnIndices, back.ColumnIndices);
        Assert.Same(a.Values, back.Values);
    }

    [ConvProperty]
    public void CompressedColumnsRoundTrip(SparseSpec s)
    {
        var a = s.Csr();
        var csc = a.ToCompressedColumns();
        Assert.NotSame(a.Values, csc.Values);
        Assert.Equal(s.Dense(), csc.ToDense());
        for (int j = 0; j < csc.ColumnCount; j++)
            for (int k = csc.ColumnPointers[j] + 1; k < csc.ColumnPointers[j + 1]; k++)
                Assert.True(csc.RowIndices[k - 1] <= csc.RowIndices[k], $"column {j}: row indices not ascending");
        var x = s.Vector(s.Columns, 5);
        Assert.Equal(Product(s.Rows, r => a.Multiply(x, r)), Product(s.Rows, r => csc.Multiply(x, r)));

        var rows = csc.ToCompressedRows();
        Assert.Equal(s.Dense(), rows.ToDense());
        Assert.Equal(a.RowPointers, rows.RowPointers);
        // Each row's entries come back in ascending column order (a stable sort of the original row).
        var (p, i, v) = s.Arrays();
        for (int r = 0; r < s.Rows; r++)
        {
            var expected = Enumerable.Range(p[r], p[r + 1] - p[r]).Select(k => (i[k], v[k])).OrderBy(e => e.Item1).ToArray();
            var actual = Enumerable.Range(p[r], p[r + 1] - p[r]).Select(k => (rows.ColumnIndices[k], rows.Values[k])).ToArray();
            Assert.Equal(expected, actual);
        }
    }

    [ConvProperty]
    public void ScaledProductsFollowBlasSemantics(SparseSpec s)
    {
        var a = s.Csr();
        var dense = s.Dense();
        var x = s.Vector(s.Columns, 6);
        var xt = s.Vector(s.Rows, 7);
        foreach (var (alpha, beta) in new (long, long)[] { (1, 0), (2, 0), (-3, 1), (0, 2), (5, -4) })
        {
            var y0 = s.Vector(s.Rows, 8);
            var expected = DenseMultiply(dense, x).Zip(y0, (ax, y) => alpha * ax + beta * y).ToArray();
            var y = (long[])y0.Clone();
            a.Multiply(alpha, x, beta, y);
            Assert.Equal(expected, y);
            y = (long[])y0.Clone();
            a.Transpose().TransposeMultiply(alpha, x, beta, y);
            Assert.Equal(expected, y);

            var z0 = s.Vector(s.Columns, 9);
            var expectedT = DenseMultiply(Transpose(dense), xt).Zip(z0, (ax, z) => alpha * ax + beta * z).ToArray();
            var z = (long[])z0.Clone();
            a.TransposeMultiply(alpha, xt, beta, z);
            Assert.Equal(expectedT, z);
            z = (long[])z0.Clone();
            a.Transpose().Multiply(alpha, xt, beta, z);
            Assert.Equal(expectedT, z);
        }
    }

    [Fact]
    public void BetaZeroDoesNotReadY()
    {
        // BLAS: with β = 0, y is output only, so NaN (or garbage) in it must not reach the result.
        var a = new CompressedRowStorage<double>(2, 3, [0, 2, 3], [0, 2, 1], [1.0, 2.0, 3.0]);
        var x = new[] { 1.0, 10.0, 100.0 };
        var ax = new[] { 201.0, 30.0 };
        var y = new[] { double.NaN, double.NaN };
        a.Multiply(2.0, x, 0.0, y);
        Assert.Equal(ax.Select(v => 2 * v), y);
        y = [double.NaN, double.NaN];
        a.Transpose().TransposeMultiply(2.0, x, 0.0, y);
        Assert.Equal(ax.Select(v => 2 * v), y);

        var atx = new[] { 1.0, 30.0, 2.0 }; // Aᵀ·(1, 10)
        var z = new[] { double.NaN, double.NaN, double.NaN };
        a.TransposeMultiply(1.0, [1.0, 10.0], 0.0, z);
        Assert.Equal(atx, z);
        z = [double.NaN, double.NaN, double.NaN];
        a.Transpose().Multiply(1.0, [1.0, 10.0], 0.0, z);
        Assert.Equal(atx, z);

        // The unscaled products overwrite y just the same.
        y = [double.NaN, double.NaN];
        a.Multiply(x, y);
        Assert.Equal(ax, y);
        z = [double.NaN, double.NaN, double.NaN];
        a.TransposeMultiply([1.0, 10.0], z);
        Assert.Equal(atx, z);

        // With β ≠ 0, y is read: NaN propagates, as it must.
        y = [double.NaN, 0.0];
        a.Multiply(1.0, x, 1.0, y);
        Assert.True(double.IsNaN(y[0]));
        Assert.Equal(30.0, y[1]);
    }

    [Fact]
    public void OverlappingSpansAreRejected()
    {
        var a = new CompressedRowStorage<long>(3, 3, [0, 1, 2, 3], [0, 1, 2], [1, 1, 1]);
        var buffer = new long[5];
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.Multiply(buffer.AsSpan(0, 3), buffer.AsSpan(2, 3))).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.TransposeMultiply(buffer.AsSpan(2, 3), buffer.AsSpan(0, 3))).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.Multiply(1, buffer.AsSpan(0, 3), 0, buffer.AsSpan(0, 3))).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.Transpose().Multiply(buffer.AsSpan(1, 3), buffer.AsSpan(2, 3))).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.Transpose().TransposeMultiply(2, buffer.AsSpan(1, 3), 1, buffer.AsSpan(0, 3))).ParamName);
        // Adjacent, not overlapping: fine.
        buffer = [1, 2, 3, 0, 0, 0];
        a.Multiply(buffer.AsSpan(0, 3), buffer.AsSpan(3, 3));
        Assert.Equal(new long[] { 1, 2, 3, 1, 2, 3 }, buffer);
    }

    [Fact]
    public void WrongVectorLengthsNameTheVector()
    {
        var a = new CompressedRowStorage<long>(2, 3, [0, 1, 2], [0, 2], [1, 1]);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => a.Multiply(new long[2], new long[2])).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.Multiply(new long[3], new long[3])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => a.TransposeMultiply(new long[3], new long[3])).ParamName);
        Assert.Equal("y", Assert.ThrowsAny<ArgumentException>(() => a.TransposeMultiply(new long[2], new long[2])).ParamName);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => a.Transpose().Multiply(new long[3], new long[3])).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => a.At(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.At(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.Transpose().At(3, 0));
    }

    public static TheoryData<string, int, int, int[]?, int[]?, long[]?, string> MalformedArrays => new()
    {
        { "pointers too short", 2, 3, [0, 1], [0], [1], "pointers" },
        { "pointers too long", 2, 3, [0, 1, 1, 1], [0], [1], "pointers" },
        { "pointers not starting at 0", 2, 3, [1, 1, 2], [0, 0], [1, 1], "pointers" },
        { "pointers decreasing", 2, 3, [0, 2, 1], [0, 0], [1, 1], "pointers" },
        { "fewer indices than pointers say", 2, 3, [0, 1, 3], [0, 1], [1, 1, 1], "indices" },
        { "fewer values than pointers say", 2, 3, [0, 1, 3], [0, 1, 2], [1, 1], "values" },
        { "index too large", 2, 3, [0, 1, 2], [0, 3], [1, 1], "indices" },
        { "index negative", 2, 3, [0, 1, 2], [-1, 0], [1, 1], "indices" },
        { "negative rows", -1, 3, [0], [], [], "lines" },
        { "negative columns", 2, -1, [0, 0, 0], [], [], "other" },
        { "null pointers", 2, 3, null, [], [], "pointers" },
        { "null indices", 2, 3, [0, 0, 0], null, [], "indices" },
        { "null values", 2, 3, [0, 0, 0], [], null, "values" },
    };

    [Theory]
    [MemberData(nameof(MalformedArrays))]
    public void ConstructorsRejectMalformedArrays(string what, int lines, int other, int[]? pointers, int[]? indices, long[]? values, string role)
    {
        // role: which argument is at fault; each layout must name it by its own public parameter name.
        var csrName = new Dictionary<string, string> { ["pointers"] = "rowPointers", ["indices"] = "columnIndices", ["values"] = "values", ["lines"] = "rowCount", ["other"] = "columnCount" }[role];
        var cscName = new Dictionary<string, string> { ["pointers"] = "columnPointers", ["indices"] = "rowIndices", ["values"] = "values", ["lines"] = "columnCount", ["other"] = "rowCount" }[role];
        var csr = Assert.ThrowsAny<ArgumentException>(() => new CompressedRowStorage<long>(lines, other, pointers!, indices!, values!));
        Assert.True(csr.ParamName == csrName, $"{what}: CSR names '{csr.ParamName}', expected {csrName}: {csr.Message}");
        // The CSC constructor takes (rows, columns, columnPointers, rowIndices, values): the pointer dimension is the second.
        var csc = Assert.ThrowsAny<ArgumentException>(() => new CompressedColumnStorage<long>(other, lines, pointers!, indices!, values!));
        Assert.True(csc.ParamName == cscName, $"{what}: CSC names '{csc.ParamName}', expected {cscName}: {csc.Message}");
    }

    [Fact]
    public void ConstructorsAcceptEmptyAndExtraCapacity()
    {
        var empty = new CompressedRowStorage<long>(0, 0, [0], [], []);
        Assert.Equal(0, empty.NonZerosCount);
        // Arrays longer than nnz (spare capacity, as CSparse allows) are accepted; only the first nnz count.
        var a = new CompressedColumnStorage<long>(2, 2, [0, 1, 1], [1, 99], [7, 99]);
        Assert.Equal(new long[,] { { 0, 0 }, { 7, 0 } }, a.ToDense());
        Assert.Equal(1, a.NonZerosCount);
    }

    private static long[] Product(int length, Action<long[]> product)
    {
        var result = Enumerable.Repeat(long.MaxValue, length).ToArray(); // an overwriting product must not keep these
        product(result);
        return result;
    }

    private static long[] DenseMultiply(long[,] a, long[] x)
    {
        var y = new long[a.GetLength(0)];
        for (int i = 0; i < y.Length; i++)
            for (int j = 0; j < x.Length; j++) y[i] += a[i, j] * x[j];
        return y;
    }

    private static long[,] Transpose(long[,] a)
    {
        var t = new long[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) t[j, i] = a[i, j];
        return t;
    }
}
