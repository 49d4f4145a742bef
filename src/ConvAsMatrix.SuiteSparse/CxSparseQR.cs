using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// Unregularised least squares min ‖V·x − y‖ for V with at least as many rows as columns and full column rank, by
/// CSparse's Householder QR of V (<c>cs_di_sqr</c> with the AMD ordering of VᵀV, <c>cs_di_qr</c>) and, per right-hand
/// side, the solve of cs_qrsol: apply Qᵀ, then R⁻¹. It works on V itself, so κ(V) counts, not κ(V)² as in VᵀV.
/// </summary>
public sealed unsafe class CxSparseQR : CxSparseFactorization
{
    private CxSparseQR(CompressedRowStorage<double> v, CxSparseHandle handle) : base(v, 0, handle)
    {
    }

    /// <summary>Factors V = Q·R (columns permuted).</summary>
    /// <param name="v">V with RowCount ≥ ColumnCount.</param>
    /// <exception cref="ArgumentException">V has fewer rows than columns (named v), or R has a zero on its diagonal: V is rank deficient (named lambda: use a λ &gt; 0 factorisation).</exception>
    /// <exception cref="NativeLibraryMissingException">libcxsparse.so.3 is not installed (Debian: libsuitesparse-dev).</exception>
    public static CxSparseQR Create(CompressedRowStorage<double> v)
    {
        CheckArguments(v, 0);
        if (v.RowCount < v.ColumnCount)
            throw new ArgumentException($"V is {v.RowCount} x {v.ColumnCount}; least squares by QR needs at least as many rows as columns (use CholmodCholesky with lambda > 0)", nameof(v));
        var handle = FactoriseColumns(v, (h, a) =>
        {
            h.Own(CxSparse.Sqr(3, a, 1));
            Own(h, CxSparse.QR(a, h.Symbolic), "V", 0, "CSparse's QR failed");
            CheckRank(h, v.ColumnCount);
        });
        return new CxSparseQR(v, handle);
    }

    /// <summary>R's diagonal (the last entry of each of its columns) must not vanish next to its largest entry.</summary>
    private static void CheckRank(Native.CxSparseHandle h, int n)
    {
        var r = h.Numeric->U;
        double largest = 0;
        for (int k = 0; k < n; k++) largest = Math.Max(largest, Math.Abs(r->X[r->P[k + 1] - 1]));
        for (int k = 0; k < n; k++)
        {
            double d = Math.Abs(r->X[r->P[k + 1] - 1]);
            if (!(d > n * 2.220446049250313e-16 * largest))
                throw Singular("V", 0, $"R({k},{k}) = {d:G3} next to max |R(j,j)| = {largest:G3}");
        }
    }

    private protected override bool SolvesNormalEquations => false;

    private protected override int WorkLength => Handle.Symbolic->M2;

    private protected override void SolveOne(double* b, double* x, double* work)
    {
        var s = Handle.Symbolic;
        var n = Handle.Numeric;
        CxSparse.IPVec(s->Pinv, b, work, RowCount);
        for (int k = 0; k < ColumnCount; k++) CxSparse.HApply(n->L, k, n->B[k], work);
        CxSparse.USolve(n->U, work);
        CxSparse.IPVec(s->Q, work, x, ColumnCount);
    }
}
