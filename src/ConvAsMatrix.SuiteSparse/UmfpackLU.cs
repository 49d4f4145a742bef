using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// V·x = y for a square, non-singular V (same-size convolution, C_in = C_out) by UMFPACK's multifrontal LU
/// (<c>umfpack_di_symbolic</c>, <c>umfpack_di_numeric</c>, <c>umfpack_di_solve</c> with its iterative refinement), over
/// V's own compressed-row arrays without a copy.
/// </summary>
/// <remarks>
/// <para>V's compressed rows are Vᵀ in compressed columns, the layout UMFPACK factors; solving with UMFPACK_At
/// (Aᵀ·x = b for that A = Vᵀ) is V·x = y. The arrays are pinned for each call and must hold ascending, distinct
/// column indices per row, as every compiled V does.</para>
/// <para>Against <see cref="CxSparseLU"/> (CSparse's left-looking LU, one column at a time): UMFPACK's fronts are dense
/// blocks handed to the BLAS, which pays once the factors fill in; see docs/solvers.md for the measured comparison.
/// Right-hand sides of a batch are solved one after another (UMFPACK's solve allocates its own workspace).</para>
/// </remarks>
public sealed unsafe class UmfpackLU : DirectSolver
{
    private readonly CompressedRowStorage<double> v;
    private readonly UmfpackHandle handle;

    private UmfpackLU(CompressedRowStorage<double> v, UmfpackHandle handle) : base(v, 0)
    {
        this.v = v;
        this.handle = handle;
    }

    /// <summary>Factors P·V·Q = L·U with UMFPACK.</summary>
    /// <param name="v">A square V whose rows have ascending, distinct column indices.</param>
    /// <exception cref="ArgumentException">V is not square or its rows are not sorted and distinct (named v), or V is singular (named lambda: use a λ &gt; 0 factorisation).</exception>
    /// <exception cref="NativeLibraryMissingException">libumfpack.so.5 is not installed (Debian: libsuitesparse-dev).</exception>
    public static UmfpackLU Create(CompressedRowStorage<double> v)
    {
        CheckArguments(v, 0);
        if (v.RowCount != v.ColumnCount)
            throw new ArgumentException($"V is {v.RowCount} x {v.ColumnCount}; LU needs a square V (use CxSparseQR or CholmodCholesky)", nameof(v));
        NativeLibraries.Require(NativeLibraries.Umfpack, "UMFPACK");
        var handle = new UmfpackHandle();
        try
        {
            fixed (int* ap = v.RowPointers, ai = v.ColumnIndices)
            fixed (double* ax = v.Values)
            {
                void* symbolic = null;
                int status = Umfpack.Symbolic(v.ColumnCount, v.RowCount, ap, ai, ax, &symbolic, null, null);
                if (status != Umfpack.Ok)
                    throw new ArgumentException($"UMFPACK's analysis refused V (status {status}): its rows must have ascending, distinct column indices", nameof(v));
                try
                {
                    void* numeric = null;
                    status = Umfpack.Numeric(ap, ai, ax, symbolic, &numeric, null, null);
                    if (numeric != null) handle.Own(numeric);
                    if (status == Umfpack.SingularMatrix) throw Singular("V", 0, "UMFPACK met a zero pivot");
                    if (status != Umfpack.Ok) throw new ArgumentException($"UMFPACK's factorisation of V failed (status {status})", nameof(v));
                }
                finally
                {
                    Umfpack.FreeSymbolic(&symbolic);
                }
            }
            return new UmfpackLU(v, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private protected override void SolveCore(ReadOnlySpan<double> y, Span<double> x, int count)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            fixed (int* ap = v.RowPointers, ai = v.ColumnIndices)
            fixed (double* ax = v.Values, yp = y, xp = x)
                for (int k = 0; k < count; k++)
                {
                    int status = Umfpack.Solve(Umfpack.TransposeSystem, ap, ai, ax, xp + (long)k * ColumnCount, yp + (long)k * RowCount, handle.Numeric, null, null);
                    // The factorisation refused a singular V, so any other status is UMFPACK running out of memory.
                    if (status != Umfpack.Ok) throw new InvalidOperationException($"UMFPACK's solve failed (status {status})");
                }
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) handle.Dispose();
        base.Dispose(disposing);
    }
}
