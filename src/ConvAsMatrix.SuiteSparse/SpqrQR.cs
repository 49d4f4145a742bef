using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// Unregularised least squares min ‖V·x − y‖ for V with at least as many rows as columns and full column rank, by
/// SuiteSparseQR (SPQR): the multifrontal Householder QR of V (columns permuted by SPQR's default fill-reducing
/// ordering), then per batch one Qᵀ·Y and one back substitution with R over all of the batch's columns at once.
/// Like <see cref="CxSparseQR"/> it works on V itself, so κ(V) counts, not κ(V)² as in VᵀV.
/// </summary>
/// <remarks>
/// <para>When it serves better than <see cref="CxSparseQR"/>: SPQR groups the columns into frontal matrices
/// factored by dense Householder blocks through BLAS (multithreaded with OpenBLAS), where CSparse's QR works one
/// column at a time in scalar loops; on the deblurring problem's tall V (k5, padding 4) SPQR factors 4–7× faster
/// (64²: 0.10 s against 0.36 s; 128²: 0.5–0.8 s against 3.4 s) and the gap grows with the image. Its solve, however,
/// has a fixed cost per call (Qᵀ applied front by front): one right-hand side costs about 10× CXSparse's (128²: about
/// 0.2 s against 16 ms), a batch of 16 costs about the same as one and ties CXSparse's per-sample parallel solves.
/// So use SPQR when the factorisation is part of the cost (one image or one batch per V) and for batches; keep
/// CXSparse's QR when one factorisation serves many separate single-image solves (break-even ≈ 7 at 64², ≈ 15 at
/// 128²). docs/solvers.md has the measurement.</para>
/// <para>V is passed as a cholmod_sparse over its compressed columns (<see cref="ConvolutionMatrix{T}.Columns"/>
/// for a compiled V): the values are pinned, the indices copied once to 64 bits because SPQR only has the
/// SuiteSparse_long interface. SPQR copies V into its own factors, so nothing stays pinned after
/// <see cref="Create"/>.</para>
/// <para>Rank: SPQR takes a column whose remaining 2-norm at its pivot is at most its default tolerance
/// 20·(m + n)·ε·max‖V(:,j)‖ as dependent; when its numerical rank (cc→SPQR_istat[4]) is below the number of
/// columns the least-squares solution is not unique and the factorisation is refused (ArgumentException naming
/// lambda: use a λ &gt; 0 factorisation).</para>
/// <para>The CHOLMOD common block is scratch space of every SPQR call: solves on one factorisation are serialised
/// (each is multithreaded inside BLAS).</para>
/// </remarks>
public sealed unsafe class SpqrQR : DirectSolver
{
    private readonly SpqrHandle handle;

    private SpqrQR(CompressedRowStorage<double> v, SpqrHandle handle) : base(v, 0) => this.handle = handle;

    /// <summary>Factors V = Q·R (columns permuted) by SPQR.</summary>
    /// <param name="v">V with RowCount ≥ ColumnCount and full column rank.</param>
    /// <exception cref="ArgumentException">V has fewer rows than columns (named v), or SPQR's numerical rank of V is below its column count: V is rank deficient (named lambda: use a λ &gt; 0 factorisation).</exception>
    /// <exception cref="NativeLibraryMissingException">libspqr.so.2 or libcholmod.so.3 is not installed (Debian: libsuitesparse-dev).</exception>
    /// <exception cref="InvalidOperationException">SPQR failed for another reason (out of memory).</exception>
    public static SpqrQR Create(CompressedRowStorage<double> v)
    {
        CheckArguments(v, 0);
        if (v.RowCount < v.ColumnCount)
            throw new ArgumentException($"V is {v.RowCount} x {v.ColumnCount}; least squares by QR needs at least as many rows as columns (use CholmodCholesky with lambda > 0)", nameof(v));
        NativeLibraries.Require(NativeLibraries.Cholmod, "CHOLMOD");
        NativeLibraries.Require(NativeLibraries.Spqr, "SPQR");
        var handle = new SpqrHandle();
        try
        {
            Factor(v, handle);
            return new SpqrQR(v, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Factor(CompressedRowStorage<double> v, SpqrHandle handle)
    {
        var columns = ColumnsOf(v);
        int n = v.ColumnCount, nonZeros = v.NonZerosCount;
        var pointers = new long[n + 1];
        var indices = new long[nonZeros];
        bool sorted = true;
        for (int j = 0; j <= n; j++) pointers[j] = columns.ColumnPointers[j];
        for (int j = 0; j < n; j++)
            for (int k = columns.ColumnPointers[j]; k < columns.ColumnPointers[j + 1]; k++)
            {
                indices[k] = columns.RowIndices[k];
                if (k > columns.ColumnPointers[j] && indices[k] <= indices[k - 1]) sorted = false;
            }
        fixed (long* p = pointers, i = indices)
        fixed (double* x = columns.Values)
        {
            var a = new Cholmod.Sparse
            {
                NRow = (nuint)v.RowCount,
                NCol = (nuint)n,
                NzMax = (nuint)nonZeros,
                P = p,
                I = i,
                X = x,
                SType = 0,
                IType = Cholmod.Long,
                XType = Cholmod.Real,
                DType = Cholmod.Double,
                Sorted = sorted ? 1 : 0,
                Packed = 1,
            };
            handle.Factorization = Spqr.Factorize(Spqr.OrderingDefault, Spqr.DefaultTolerance, &a, handle.Common);
        }
        if (handle.Factorization == null) throw new InvalidOperationException($"SPQR could not factor V ({v.RowCount} x {n}): out of memory?");
        long rank = handle.Rank;
        if (rank < n) throw Singular("V", 0, $"SPQR's numerical rank is {rank} of {n} columns");
    }

    private protected override void SolveCore(ReadOnlySpan<double> y, Span<double> x, int count)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            // The batch's samples one after the other are the columns of a column-major RowCount × count block.
            fixed (double* b = y)
            {
                var dense = Cholmod.Dense.View(b, RowCount, count);
                // cholmod_common is scratch space of every call: one solve at a time per factorisation.
                lock (handle)
                {
                    Cholmod.Dense* qty = null, solution = null;
                    try
                    {
                        qty = Spqr.QMult(Spqr.QTransposeX, handle.Factorization, &dense, handle.Common);
                        if (qty == null) throw new InvalidOperationException($"SPQR could not apply Q^T to {count} right-hand sides: out of memory?");
                        solution = Spqr.Solve(Spqr.RetXEqualsB, handle.Factorization, qty, handle.Common);
                        if (solution == null) throw new InvalidOperationException($"SPQR could not solve R for {count} right-hand sides: out of memory?");
                        new ReadOnlySpan<double>(solution->X, x.Length).CopyTo(x);
                    }
                    finally
                    {
                        if (qty != null) Cholmod.LongFreeDense(&qty, handle.Common);
                        if (solution != null) Cholmod.LongFreeDense(&solution, handle.Common);
                    }
                }
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
