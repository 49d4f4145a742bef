using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// Regularised deconvolution by CHOLMOD: the Cholesky factorisation L·Lᵀ = P·(VᵀV + λI)·Pᵀ (fill-reducing ordering P
/// by AMD or METIS, supernodal), then x = (VᵀV + λI)⁻¹·Vᵀy by two triangular solves per right-hand side.
/// </summary>
/// <remarks>
/// <para>No copy of V: V's compressed-row arrays are, read along columns, Vᵀ in CHOLMOD's compressed-column form
/// (32-bit indices), so they are pinned and passed as a cholmod_sparse A = Vᵀ with stype 0, for which CHOLMOD
/// analyses and factors A·Aᵀ + βI = VᵀV + λI itself (<c>cholmod_analyze</c>, <c>cholmod_factorize_p</c> with
/// β = λ) — VᵀV is never formed by us. A batch is one <c>cholmod_solve</c> on a dense n × k block.</para>
/// <para>Accuracy: the solution satisfies the normal equations to about ε·κ(VᵀV + λI) relative; κ ≤ 1 + ‖V‖²/λ.
/// A singular VᵀV (λ = 0 and V without full column rank, e.g. a strided V with fewer rows than columns) is
/// refused: CHOLMOD reports the column where the factorisation stopped (<c>L→minor</c> &lt; n).</para>
/// </remarks>
public sealed unsafe class CholmodCholesky : DirectSolver
{
    private readonly CholmodHandle handle;

    private CholmodCholesky(CompressedRowStorage<double> v, double lambda, CholmodHandle handle) : base(v, lambda) => this.handle = handle;

    /// <summary>Factors VᵀV + λI.</summary>
    /// <param name="v">V.</param>
    /// <param name="lambda">λ ≥ 0 (0 only for V of full column rank).</param>
    /// <exception cref="ArgumentException">λ is negative or not finite (named lambda), or VᵀV + λI is singular (named lambda when λ = 0).</exception>
    /// <exception cref="NativeLibraryMissingException">libcholmod.so.3 is not installed (Debian: libsuitesparse-dev).</exception>
    /// <exception cref="InvalidOperationException">CHOLMOD failed for another reason (out of memory).</exception>
    public static new CholmodCholesky Create(CompressedRowStorage<double> v, double lambda)
    {
        CheckArguments(v, lambda);
        NativeLibraries.Require(NativeLibraries.Cholmod, "CHOLMOD");
        var handle = new CholmodHandle();
        try
        {
            Factor(v, lambda, handle);
            return new CholmodCholesky(v, lambda, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    private static void Factor(CompressedRowStorage<double> v, double lambda, CholmodHandle handle)
    {
        fixed (int* p = v.RowPointers)
        fixed (int* i = v.ColumnIndices)
        fixed (double* x = v.Values)
        {
            var a = new Cholmod.Sparse
            {
                NRow = (nuint)v.ColumnCount,
                NCol = (nuint)v.RowCount,
                NzMax = (nuint)v.NonZerosCount,
                P = p,
                I = i,
                X = x,
                SType = 0,
                IType = Cholmod.Int,
                XType = Cholmod.Real,
                DType = Cholmod.Double,
                Sorted = 1,
                Packed = 1,
            };
            handle.Factor = Cholmod.Analyze(&a, handle.Common);
            if (handle.Factor == null) throw new InvalidOperationException($"CHOLMOD could not analyse V^T V ({v.ColumnCount} x {v.ColumnCount}): out of memory?");
            var beta = stackalloc double[] { lambda, 0 };
            int ok = Cholmod.FactorizeP(&a, beta, null, 0, handle.Factor, handle.Common);
            if (ok == 0) throw new InvalidOperationException($"CHOLMOD could not factor V^T V + lambda I ({v.ColumnCount} x {v.ColumnCount}): out of memory?");
            if (handle.Factor->Minor < (nuint)v.ColumnCount)
                throw Singular("V^T V + lambda I", lambda, $"CHOLMOD's Cholesky stopped at column {handle.Factor->Minor} of {v.ColumnCount}");
        }
    }

    private protected override void SolveCore(ReadOnlySpan<double> y, Span<double> x, int count)
    {
        var rhs = new double[(long)count * ColumnCount];
        NormalRightHandSides(y, rhs, count);
        fixed (double* b = rhs)
        {
            var dense = Cholmod.Dense.View(b, ColumnCount, count);
            bool added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                // cholmod_common is scratch space of every call: one solve at a time per factorisation.
                lock (handle)
                {
                var solution = Cholmod.Solve(Cholmod.SystemA, handle.Factor, &dense, handle.Common);
                if (solution == null) throw new InvalidOperationException($"CHOLMOD could not solve for {count} right-hand sides: out of memory?");
                new ReadOnlySpan<double>(solution->X, rhs.Length).CopyTo(x);
                Cholmod.FreeDense(&solution, handle.Common);
                }
            }
            finally
            {
                if (added) handle.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) handle.Dispose();
        base.Dispose(disposing);
    }
}
