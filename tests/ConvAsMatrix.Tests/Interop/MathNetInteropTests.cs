using ConvAsMatrix.Interop;
using ConvAsMatrix.Tests.Solvers;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace ConvAsMatrix.Tests.Interop;

/// <summary>V as a MathNet sparse matrix and back: MathNet's own products agree with the library's.</summary>
public class MathNetInteropTests
{
    public static TheoryData<int, int, int, int, int, PaddingMode> Geometries => new()
    {
        { 1, 1, 5, 3, 1, PaddingMode.Zeros },
        { 2, 3, 6, 3, 2, PaddingMode.Reflect },
        { 2, 4, 5, 2, 1, PaddingMode.Circular },
        { 3, 2, 7, 3, 3, PaddingMode.Replicate },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void MathNetProductsAgreeWithOurs(int cin, int cout, int n, int k, int stride, PaddingMode mode)
    {
        var random = new Random(cin * 100 + cout * 10 + n);
        var v = Problems.Random2D(random, cin, cout, n, k, new ConvOptions { Padding = 1, Stride = [stride], PaddingMode = mode });
        var m = v.ToMathNet();

        Assert.IsType<SparseCompressedRowMatrixStorage<double>>(m.Storage);
        Assert.Equal((v.RowCount, v.ColumnCount), (m.RowCount, m.ColumnCount));
        Assert.Equal(v.NonZerosCount, m.NonZerosCount);
        var dense = v.ToDense();
        for (int r = 0; r < v.RowCount; r++)
            for (int c = 0; c < v.ColumnCount; c++)
                Assert.Equal(dense[r, c], m[r, c]);

        var x = DenseVector.OfArray(Problems.Gaussian(random, v.ColumnCount));
        var y = DenseVector.OfArray(Problems.Gaussian(random, v.RowCount));
        var ours = new double[v.RowCount];
        v.Multiply(x.Values, ours);
        AssertClose(m.Multiply(x).ToArray(), ours);
        var oursT = new double[v.ColumnCount];
        v.TransposeMultiply(y.Values, oursT);
        AssertClose(m.TransposeThisAndMultiply(y).ToArray(), oursT);
    }

    [Fact]
    public void RoundTripKeepsTheArrays()
    {
        var v = Problems.Random2D(new Random(3), 2, 3, 6, 3, new ConvOptions { Padding = 1 });
        var back = v.ToMathNet().ToCompressedRowStorage();
        Assert.Equal(v.RowPointers, back.RowPointers);
        Assert.Equal(v.ColumnIndices, back.ColumnIndices);
        Assert.Equal(v.Values, back.Values);
        Assert.NotSame(v.Values, back.Values);
    }

    [Fact]
    public void UnsortedAndDuplicateEntriesSurviveTheConversion()
    {
        // A user-built CSR matrix need not be sorted or duplicate-free: row 0 holds (0,2)=1, (0,0)=2, (0,2)=3.
        var a = new CompressedRowStorage<double>(2, 3, [0, 3, 4], [2, 0, 2, 1], [1, 2, 3, 4]);
        var m = a.ToMathNet();
        Assert.Equal(a.ToDense(), m.ToArray());
        var x = DenseVector.OfArray([1.0, 10, 100]);
        Assert.Equal(new double[] { 402, 40 }, m.Multiply(x).ToArray());
    }

    [Fact]
    public void DenseMathNetMatrixBecomesCompressedRows()
    {
        var m = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 0, 2 }, { 0, 0, 0 }, { 0, 3, 0 } });
        var csr = m.ToCompressedRowStorage();
        Assert.Equal(new[] { 0, 2, 2, 3 }, csr.RowPointers);
        Assert.Equal(new[] { 0, 2, 1 }, csr.ColumnIndices);
        Assert.Equal(new double[] { 1, 2, 3 }, csr.Values);
        Assert.Equal(m.ToArray(), csr.ToDense());
    }

    [Fact]
    public void VectorOverloadsMatchTheSpanProducts()
    {
        var random = new Random(5);
        var v = Problems.Random2D(random, 2, 2, 5, 3, new ConvOptions { Padding = 1 });
        var x = Problems.Gaussian(random, v.ColumnCount);
        var want = new double[v.RowCount];
        v.Multiply(x, want);

        var dense = Vector<double>.Build.Dense(v.RowCount);
        v.Multiply(Vector<double>.Build.DenseOfArray(x), dense);
        Assert.Equal(want, dense.ToArray());
        // A sparse destination goes through the adapter's copy and is written back.
        var sparse = Vector<double>.Build.Sparse(v.RowCount);
        v.Multiply(Vector<double>.Build.SparseOfArray(x), sparse);
        Assert.Equal(want, sparse.ToArray());

        var wantT = new double[v.ColumnCount];
        v.TransposeMultiply(want, wantT);
        var gotT = Vector<double>.Build.Dense(v.ColumnCount);
        v.TransposeMultiply(dense, gotT);
        Assert.Equal(wantT, gotT.ToArray());

        // The batched convolution of two samples.
        var batch = Vector<double>.Build.DenseOfArray([.. x, .. x]);
        var outBatch = Vector<double>.Build.Dense(2 * v.RowCount);
        v.Convolve(batch, outBatch);
        // The batched kernels may sum a row in another order than the single-sample product: equal to rounding.
        AssertClose(outBatch.ToArray(), [.. want, .. want]);
        var backBatch = Vector<double>.Build.Dense(2 * v.ColumnCount);
        v.ConvolveTranspose(outBatch, backBatch);
        AssertClose(backBatch.ToArray(), [.. wantT, .. wantT]);
    }

    [Fact]
    public void DeconvolveTakesMathNetVectors()
    {
        var v = Problems.WellConditioned(new Random(6), 1, 5, PaddingMode.Circular);
        var truth = Problems.Gaussian(new Random(7), v.ColumnCount);
        var y = Vector<double>.Build.Dense(v.RowCount);
        v.Multiply(Vector<double>.Build.DenseOfArray(truth), y);
        var options = new ConvAsMatrix.Solvers.DeconvolutionOptions { Lambda = 1e-14, Solver = new() { Tolerance = 1e-12 } };

        var dense = Vector<double>.Build.Dense(v.ColumnCount);
        Assert.True(v.Deconvolve(y, dense, options).Converged);
        Assert.True(Problems.Distance(dense.ToArray(), truth) < 1e-9);
        var sparse = Vector<double>.Build.Sparse(v.ColumnCount);        // written back through the adapter's copy
        Assert.True(v.Deconvolve(y, sparse, options).Converged);
        Assert.Equal(dense.ToArray(), sparse.ToArray());
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => v.Deconvolve(y, y, options)).ParamName);
    }

    [Fact]
    public void BadVectorsAreRefusedWithTheirNames()
    {
        var v = Problems.Random2D(new Random(1), 1, 1, 4, 3, new ConvOptions { Padding = 1 });
        var same = Vector<double>.Build.Dense(v.RowCount);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => v.Multiply(same, same)).ParamName);
        var wrong = Vector<double>.Build.Dense(v.ColumnCount + 1);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => v.Multiply(wrong, Vector<double>.Build.Dense(v.RowCount))).ParamName);
    }

    private static void AssertClose(double[] actual, double[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-13 * (1 + Math.Abs(expected[i])), $"entry {i}: {actual[i]} vs {expected[i]}");
    }
}
