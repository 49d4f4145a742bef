using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using ConvAsMatrix.Solvers;
using MathNetSparse = MathNet.Numerics.LinearAlgebra.Double.SparseMatrix;

namespace ConvAsMatrix.Interop;

/// <summary>
/// V and MathNet.Numerics: a compressed-row matrix as a MathNet <see cref="MathNetSparse"/> and back, and
/// MathNet vectors accepted by the library's span products. One adapter (<see cref="MathNetVectors"/>)
/// turns vectors into spans; the products themselves are the library's kernels, never duplicated.
/// </summary>
/// <remarks>
/// MathNet keeps its sparse matrices in the same CSR layout (<see cref="SparseCompressedRowMatrixStorage{T}"/>:
/// <c>RowPointers</c>, <c>ColumnIndices</c>, <c>Values</c>), so the conversion is three array copies, O(nnz),
/// not an entry-by-entry build. It copies on purpose: MathNet matrices are mutable, V is not.
/// </remarks>
public static class MathNetExtensions
{
    /// <summary>This matrix as a MathNet sparse matrix, built from the CSR arrays (a copy, O(nnz)).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public static MathNetSparse ToMathNet(this CompressedRowStorage<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        // MathNet's own constructor from CSR arrays; it copies them into a storage it owns.
        var storage = SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(
            matrix.RowCount, matrix.ColumnCount, matrix.NonZerosCount, matrix.RowPointers, matrix.ColumnIndices, matrix.Values);
        return new MathNetSparse(storage);
    }

    /// <summary>A MathNet matrix (sparse or dense) in the library's compressed-row form (a copy, O(nnz) for a sparse matrix).</summary>
    /// <remarks>A non-CSR matrix is first converted by MathNet itself (<c>SparseMatrix.OfMatrix</c>), which drops its zeros.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    public static CompressedRowStorage<double> ToCompressedRowStorage(this Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var csr = matrix.Storage as SparseCompressedRowMatrixStorage<double>
            ?? (SparseCompressedRowMatrixStorage<double>)MathNetSparse.OfMatrix(matrix).Storage;
        int nnz = csr.ValueCount;
        return new CompressedRowStorage<double>(csr.RowCount, csr.ColumnCount,
            (int[])csr.RowPointers.Clone(), csr.ColumnIndices[..nnz], csr.Values[..nnz]);
    }

    /// <summary>y = A·x with MathNet vectors (the library's span kernel underneath).</summary>
    /// <exception cref="ArgumentException">A length disagrees with the matrix, or x and y are the same vector.</exception>
    public static void Multiply(this CompressedRowStorage<double> matrix, Vector<double> x, Vector<double> y)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        MathNetVectors.Write(x, y, matrix.Multiply);
    }

    /// <summary>y = Aᵀ·x with MathNet vectors (the library's span kernel underneath).</summary>
    /// <exception cref="ArgumentException">A length disagrees with the matrix, or x and y are the same vector.</exception>
    public static void TransposeMultiply(this CompressedRowStorage<double> matrix, Vector<double> x, Vector<double> y)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        MathNetVectors.Write(x, y, matrix.TransposeMultiply);
    }

    /// <summary>The batched convolution V·x of each sample, with MathNet vectors.</summary>
    /// <exception cref="ArgumentException">See <see cref="ConvolutionMatrix{T}.Convolve"/>.</exception>
    public static void Convolve(this ConvolutionMatrix<double> matrix, Vector<double> input, Vector<double> output)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        MathNetVectors.Write(input, output, matrix.Convolve);
    }

    /// <summary>The batched transposed convolution Vᵀ·y of each sample, with MathNet vectors.</summary>
    /// <exception cref="ArgumentException">See <see cref="ConvolutionMatrix{T}.ConvolveTranspose"/>.</exception>
    public static void ConvolveTranspose(this ConvolutionMatrix<double> matrix, Vector<double> input, Vector<double> output)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        MathNetVectors.Write(input, output, matrix.ConvolveTranspose);
    }

    /// <summary>Deconvolution (<see cref="Deconvolution.Solve(CompressedRowStorage{double}, ReadOnlySpan{double}, Span{double}, DeconvolutionOptions?)"/>) with MathNet vectors: <paramref name="x"/> holds the starting guess and receives the solution.</summary>
    /// <exception cref="ArgumentException">See <see cref="Deconvolution.Solve(CompressedRowStorage{double}, ReadOnlySpan{double}, Span{double}, DeconvolutionOptions?)"/>; or y and x are the same vector.</exception>
    public static DeconvolutionResult Deconvolve(this CompressedRowStorage<double> matrix, Vector<double> y, Vector<double> x, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return MathNetVectors.Write(y, x, (ys, xs) => Deconvolution.Solve(matrix, ys, xs, options), nameof(x));
    }
}
