using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// V·x = y for a square, non-singular V (same-size convolution, C_in = C_out) by CSparse's LU with partial pivoting
/// (<c>cs_di_sqr</c> with the AMD ordering of VᵀV, <c>cs_di_lu</c> with tol 1) and, per right-hand side, the solve of
/// cs_lusol.
/// </summary>
public sealed unsafe class CxSparseLU : CxSparseFactorization
{
    /// <summary>AMD on VᵀV's pattern: the ordering CSparse recommends for LU of an unsymmetric matrix.</summary>
    private const int Order = 2;

    private CxSparseLU(CompressedRowStorage<double> v, CxSparseHandle handle) : base(v, 0, handle)
    {
    }

    /// <summary>Factors P·V·Q = L·U.</summary>
    /// <param name="v">A square V.</param>
    /// <exception cref="ArgumentException">V is not square (named v), or singular (named lambda: use a λ &gt; 0 factorisation).</exception>
    /// <exception cref="NativeLibraryMissingException">libcxsparse.so.3 is not installed (Debian: libsuitesparse-dev).</exception>
    public static CxSparseLU Create(CompressedRowStorage<double> v)
    {
        CheckArguments(v, 0);
        if (v.RowCount != v.ColumnCount)
            throw new ArgumentException($"V is {v.RowCount} x {v.ColumnCount}; LU needs a square V (use CxSparseQR or CholmodCholesky)", nameof(v));
        var handle = FactoriseColumns(v, (h, a) =>
        {
            h.Own(CxSparse.Sqr(Order, a, 0));
            Own(h, CxSparse.LU(a, h.Symbolic, 1.0), "V", 0, "CSparse's LU met a zero pivot");
        });
        return new CxSparseLU(v, handle);
    }

    private protected override bool SolvesNormalEquations => false;

    private protected override int WorkLength => ColumnCount;

    private protected override void SolveOne(double* b, double* x, double* work)
    {
        var n = Handle.Numeric;
        CxSparse.IPVec(n->Pinv, b, work, ColumnCount);
        CxSparse.LSolve(n->L, work);
        CxSparse.USolve(n->U, work);
        CxSparse.IPVec(Handle.Symbolic->Q, work, x, ColumnCount);
    }
}
