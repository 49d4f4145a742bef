using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// What the CXSparse factorisations (<see cref="CxSparseCholesky"/>, <see cref="CxSparseQR"/>, <see cref="CxSparseLU"/>)
/// share: the native factors, CSparse's solve of one right-hand side at a time (the steps of cs_cholsol, cs_qrsol and
/// cs_lusol after the factorisation), a batch spread over threads (the factors are only read), and freeing.
/// </summary>
/// <remarks>
/// CSparse's <c>cs</c> structs are built over V's own arrays, pinned for the factorisation: V's compressed-row
/// arrays are Vᵀ in compressed columns, and a compiled V keeps its compressed-column form
/// (<see cref="ConvolutionMatrix{T}.Columns"/>), so neither is copied. The factors live in CXSparse's memory.
/// </remarks>
public abstract unsafe class CxSparseFactorization : DirectSolver
{
    private protected CxSparseFactorization(CompressedRowStorage<double> v, double lambda, CxSparseHandle handle) : base(v, lambda) => Handle = handle;

    private protected CxSparseHandle Handle { get; }

    /// <summary>Whether the solve starts from Vᵀy (normal equations) rather than from y.</summary>
    private protected abstract bool SolvesNormalEquations { get; }

    /// <summary>Scratch doubles one solve needs.</summary>
    private protected abstract int WorkLength { get; }

    /// <summary>x = the solution for one right-hand side b (y, or Vᵀy for the normal equations); work is zeroed, of <see cref="WorkLength"/>.</summary>
    private protected abstract void SolveOne(double* b, double* x, double* work);

    private protected override void SolveCore(ReadOnlySpan<double> y, Span<double> x, int count)
    {
        double[]? normal = null;
        if (SolvesNormalEquations)
        {
            normal = new double[(long)count * ColumnCount];
            NormalRightHandSides(y, normal, count);
        }
        int inLength = SolvesNormalEquations ? ColumnCount : RowCount;
        bool added = false;
        Handle.DangerousAddRef(ref added);
        try
        {
            fixed (double* yp = y)
            fixed (double* np = normal)
            fixed (double* xp = x)
            {
                nint input = (nint)(normal is null ? yp : np), output = (nint)xp;
                Parallel.For(0, count, () => new double[WorkLength], (k, _, work) =>
                {
                    Array.Clear(work);
                    fixed (double* w = work)
                        SolveOne((double*)input + (long)k * inLength, (double*)output + (long)k * ColumnCount, w);
                    return work;
                }, _ => { });
            }
        }
        finally
        {
            if (added) Handle.DangerousRelease();
        }
    }

    /// <summary>A compressed-column cs_di over pinned arrays (nz = −1).</summary>
    private protected static CxSparse.Matrix View(int rows, int columns, int nonZeros, int* pointers, int* indices, double* values) =>
        new() { NzMax = nonZeros, M = rows, N = columns, P = pointers, I = indices, X = values, Nz = -1 };

    /// <summary>Takes a numeric factorisation, or reports the singular system it could not factor.</summary>
    private protected static void Own(CxSparseHandle handle, CxSparse.Numeric* numeric, string what, double lambda, string detail)
    {
        if (numeric == null) throw Singular(what, lambda, detail);
        handle.Own(numeric);
    }

    /// <summary>Factorises with <paramref name="factor"/> into a fresh handle, freeing it if that throws.</summary>
    private protected static CxSparseHandle Factorise(Action<CxSparseHandle> factor)
    {
        NativeLibraries.Require(NativeLibraries.CxSparse, "CXSparse");
        var handle = new CxSparseHandle();
        try
        {
            factor(handle);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>The factorisation step given a cs_di view of V's compressed columns.</summary>
    private protected delegate void ColumnsFactor(CxSparseHandle handle, CxSparse.Matrix* a);

    /// <summary>Factorises V itself: a cs_di over V's compressed columns, pinned for <paramref name="factor"/>.</summary>
    private protected static CxSparseHandle FactoriseColumns(CompressedRowStorage<double> v, ColumnsFactor factor)
    {
        var columns = ColumnsOf(v);
        return Factorise(h =>
        {
            fixed (int* cp = columns.ColumnPointers, ri = columns.RowIndices)
            fixed (double* cx = columns.Values)
            {
                var a = View(v.RowCount, v.ColumnCount, v.NonZerosCount, cp, ri, cx);
                factor(h, &a);
            }
        });
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing) Handle.Dispose();
        base.Dispose(disposing);
    }
}
