namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// A factorisation of a convolution's V made once, solving <c>x = argmin ‖V·x − y‖² + λ‖x‖²</c> for any number of
/// right-hand sides y (a batch of blurred images) by triangular solves alone. It holds native memory: dispose it.
/// </summary>
/// <remarks>
/// <para>The kinds: <see cref="CholmodCholesky"/> (CHOLMOD's supernodal Cholesky of VᵀV + λI: any V, λ &gt; 0 or V of
/// full column rank), <see cref="CxSparseCholesky"/> (the same by CSparse's left-looking Cholesky),
/// <see cref="CxSparseQR"/> (λ = 0, V with at least as many rows as columns and full column rank: least squares by
/// Householder QR of V, without squaring the condition number), <see cref="SpqrQR"/> (the same least squares by
/// SuiteSparseQR's multifrontal QR with BLAS: several times faster to factor on large V, one block solve per batch),
/// <see cref="UmfpackLU"/> (λ = 0, square non-singular V: V·x = y by UMFPACK's multifrontal LU) and
/// <see cref="CxSparseLU"/> (the same by CSparse's left-looking LU). <see cref="Create"/> picks one.</para>
/// <para>Every factory checks its arguments (ArgumentException naming them), that the SuiteSparse library loads
/// (<see cref="NativeLibraryMissingException"/> naming the Debian package), and refuses a singular system with an
/// ArgumentException naming lambda (pass λ &gt; 0) rather than returning infinities.</para>
/// </remarks>
public abstract class DirectSolver : IDisposable
{
    private readonly CompressedRowStorage<double> v;

    private protected DirectSolver(CompressedRowStorage<double> v, double lambda)
    {
        this.v = v;
        Lambda = lambda;
    }

    /// <summary>Rows of V: the length of one y.</summary>
    public int RowCount => v.RowCount;

    /// <summary>Columns of V: the length of one x.</summary>
    public int ColumnCount => v.ColumnCount;

    /// <summary>The Tikhonov weight λ the factorisation was made for.</summary>
    public double Lambda { get; }

    /// <summary>Whether <see cref="Dispose()"/> has freed the factors.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// The factorisation suited to V and λ: <see cref="CholmodCholesky"/> when λ &gt; 0 or V is wider than tall,
    /// <see cref="UmfpackLU"/> for a square V with λ = 0 (its factorisation measured 4–10× faster than CSparse's LU on
    /// the deblurring problem at 64²–256²), <see cref="SpqrQR"/> for a taller V with λ = 0 (factorisation 4–7× faster
    /// than CSparse's QR at 64²–128², and a batch is one block solve).
    /// </summary>
    /// <param name="v">V (for example a <see cref="ConvolutionMatrix{T}"/>).</param>
    /// <param name="lambda">λ ≥ 0.</param>
    /// <exception cref="ArgumentException">λ is negative or not finite, or the system is singular (see the kinds).</exception>
    /// <exception cref="NativeLibraryMissingException">The SuiteSparse library is not installed.</exception>
    public static DirectSolver Create(CompressedRowStorage<double> v, double lambda)
    {
        CheckArguments(v, lambda);
        if (lambda > 0 || v.RowCount < v.ColumnCount) return CholmodCholesky.Create(v, lambda);
        return v.RowCount == v.ColumnCount ? UmfpackLU.Create(v) : SpqrQR.Create(v);
    }

    /// <summary>x = argmin ‖V·x − y‖² + λ‖x‖² for one y.</summary>
    /// <param name="y">Length <see cref="RowCount"/>.</param>
    /// <param name="x">Receives the solution, length <see cref="ColumnCount"/>.</param>
    /// <exception cref="ArgumentException">A length disagrees with V.</exception>
    /// <exception cref="ObjectDisposedException">The factorisation was disposed.</exception>
    public void Solve(ReadOnlySpan<double> y, Span<double> x)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        Check.SpanLength(y.Length, RowCount, nameof(y));
        Check.SpanLength(x.Length, ColumnCount, nameof(x));
        SolveCore(y, x, 1);
    }

    /// <summary>Solves a batch: x[k] = argmin ‖V·x − y[k]‖² + λ‖x‖² for k samples stored one after the other.</summary>
    /// <param name="y">k·<see cref="RowCount"/> values, (N, C_out, *out) row-major.</param>
    /// <param name="x">Receives k·<see cref="ColumnCount"/> values, (N, C_in, *in) row-major.</param>
    /// <exception cref="ArgumentException">The lengths are not whole, equal, positive numbers of samples.</exception>
    /// <exception cref="ObjectDisposedException">The factorisation was disposed.</exception>
    public void SolveBatch(ReadOnlySpan<double> y, Span<double> x)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        if (y.Length == 0 || y.Length % RowCount != 0)
            throw new ArgumentException($"y has length {y.Length}; SolveBatch needs a positive multiple of {RowCount} (one sample)", nameof(y));
        int count = y.Length / RowCount;
        if ((long)count * ColumnCount != x.Length)
            throw new ArgumentException($"x has length {x.Length}; {count} samples need {(long)count * ColumnCount}", nameof(x));
        SolveCore(y, x, count);
    }

    /// <summary>Frees the native factors; later solves throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees the native factors (held in SafeHandles, which also free them if the solver is never disposed).</summary>
    protected virtual void Dispose(bool disposing) => IsDisposed = true;

    /// <summary>Solves <paramref name="count"/> samples, arguments checked.</summary>
    private protected abstract void SolveCore(ReadOnlySpan<double> y, Span<double> x, int count);

    /// <summary>The normal-equation right-hand sides Vᵀ·y[k] for a batch (parallel for a compiled V).</summary>
    private protected void NormalRightHandSides(ReadOnlySpan<double> y, Span<double> rhs, int count)
    {
        if (v is IConvolutionOperator<double> op) op.ConvolveTranspose(y, rhs);
        else
            for (int k = 0; k < count; k++)
                v.TransposeMultiply(y.Slice(k * RowCount, RowCount), rhs.Slice(k * ColumnCount, ColumnCount));
    }

    /// <summary>V in compressed columns: a compiled V keeps this form already (<see cref="ConvolutionMatrix{T}.Columns"/>); otherwise one O(nnz) copy.</summary>
    private protected static CompressedColumnStorage<double> ColumnsOf(CompressedRowStorage<double> v) =>
        v is ConvolutionMatrix<double> m ? m.Columns : v.ToCompressedColumns();

    /// <summary>The checks every factory makes first.</summary>
    private protected static void CheckArguments(CompressedRowStorage<double> v, double lambda)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be a finite number >= 0, got {lambda}");
    }

    /// <summary>The error for a system without a unique solution.</summary>
    private protected static ArgumentException Singular(string what, double lambda, string detail) => lambda == 0
        ? new ArgumentException($"{what} is singular ({detail}): V does not have full column rank; pass lambda > 0 for the regularised solution", nameof(lambda))
        : new ArgumentException($"{what} is not positive definite ({detail}) although lambda = {lambda}: V has non-finite entries", "v");
}
