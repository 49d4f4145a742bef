using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// Regularised deconvolution by CSparse's Cholesky (CXSparse <c>cs_di_schol</c>/<c>cs_di_chol</c>, AMD ordering of
/// VᵀV + λI): VᵀV = <c>cs_di_multiply</c>(Vᵀ, V) over V's own arrays, λI added by <c>cs_di_add</c>, then per
/// right-hand side the solve of cs_cholsol (permute, L, Lᵀ, permute back) on x = (VᵀV + λI)⁻¹·Vᵀy.
/// </summary>
/// <remarks>Up-looking and not supernodal: simpler than <see cref="CholmodCholesky"/> and slower on large V (measured in docs/solvers.md).</remarks>
public sealed unsafe class CxSparseCholesky : CxSparseFactorization
{
    private CxSparseCholesky(CompressedRowStorage<double> v, double lambda, CxSparseHandle handle) : base(v, lambda, handle)
    {
    }

    /// <summary>Factors VᵀV + λI.</summary>
    /// <param name="v">V.</param>
    /// <param name="lambda">λ ≥ 0 (0 only for V of full column rank).</param>
    /// <exception cref="ArgumentException">λ is negative or not finite, or VᵀV + λI is not positive definite (named lambda when λ = 0).</exception>
    /// <exception cref="NativeLibraryMissingException">libcxsparse.so.3 is not installed (Debian: libsuitesparse-dev).</exception>
    public static new CxSparseCholesky Create(CompressedRowStorage<double> v, double lambda)
    {
        CheckArguments(v, lambda);
        var columns = ColumnsOf(v);
        int n = v.ColumnCount;
        var handle = Factorise(h =>
        {
            int[] eyePointers = [.. Enumerable.Range(0, n + 1)], eyeIndices = [.. Enumerable.Range(0, n)];
            double[] eyeValues = [.. Enumerable.Repeat(1.0, n)];
            fixed (int* rp = v.RowPointers, ci = v.ColumnIndices, cp = columns.ColumnPointers, ri = columns.RowIndices, ep = eyePointers, ei = eyeIndices)
            fixed (double* rx = v.Values, cx = columns.Values, ex = eyeValues)
            {
                var vt = View(n, v.RowCount, v.NonZerosCount, rp, ci, rx);
                var vc = View(v.RowCount, n, v.NonZerosCount, cp, ri, cx);
                var eye = View(n, n, n, ep, ei, ex);
                var normal = CxSparse.Multiply(&vt, &vc);
                if (normal == null) throw new InvalidOperationException($"CXSparse could not form V^T V ({n} x {n}): out of memory?");
                var shifted = lambda > 0 ? CxSparse.Add(normal, &eye, 1, lambda) : normal;
                if (shifted != normal) CxSparse.SpFree(normal);
                try
                {
                    h.Own(CxSparse.SChol(1, shifted));
                    Own(h, CxSparse.Chol(shifted, h.Symbolic), "V^T V + lambda I", lambda, "CSparse's Cholesky met a non-positive pivot");
                }
                finally
                {
                    CxSparse.SpFree(shifted);
                }
            }
        });
        return new CxSparseCholesky(v, lambda, handle);
    }

    private protected override bool SolvesNormalEquations => true;

    private protected override int WorkLength => ColumnCount;

    private protected override void SolveOne(double* b, double* x, double* work)
    {
        int n = ColumnCount;
        var pinv = Handle.Symbolic->Pinv;
        CxSparse.IPVec(pinv, b, work, n);
        CxSparse.LSolve(Handle.Numeric->L, work);
        CxSparse.LTSolve(Handle.Numeric->L, work);
        CxSparse.PVec(pinv, work, x, n);
    }
}
