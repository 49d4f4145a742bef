namespace ConvAsMatrix.Solvers;

/// <summary>
/// A matrix known only by its two products, <c>A·x</c> and <c>Aᵀ·y</c>: what the matrix-free solvers, the
/// spectral norm and the adjoint test work on. Built from a compressed matrix (V itself) or from any pair of
/// span functions (for example a convolution and its transposed convolution written by someone else).
/// </summary>
/// <remarks>
/// Nothing checks that <see cref="ApplyTranspose"/> really is the adjoint of <see cref="Apply"/> for a
/// delegate pair: that is what <see cref="Verification.AdjointTest"/> is for.
/// </remarks>
public sealed class LinearOperator
{
    private readonly SpanMap forward, adjoint;

    /// <summary>An operator from its two products.</summary>
    /// <param name="rowCount">Length of A·x (rows of A).</param>
    /// <param name="columnCount">Length of x (columns of A).</param>
    /// <param name="forward">Writes A·x (x of length <paramref name="columnCount"/>) into y (length <paramref name="rowCount"/>).</param>
    /// <param name="adjoint">Writes Aᵀ·y (y of length <paramref name="rowCount"/>) into x (length <paramref name="columnCount"/>).</param>
    /// <exception cref="ArgumentException">A size is below 1 or a delegate is null.</exception>
    public LinearOperator(int rowCount, int columnCount, SpanMap forward, SpanMap adjoint)
    {
        Check.AtLeast(rowCount, 1, nameof(rowCount));
        Check.AtLeast(columnCount, 1, nameof(columnCount));
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(adjoint);
        RowCount = rowCount;
        ColumnCount = columnCount;
        this.forward = forward;
        this.adjoint = adjoint;
    }

    /// <summary>Rows of A: the length of A·x.</summary>
    public int RowCount { get; }

    /// <summary>Columns of A: the length of x.</summary>
    public int ColumnCount { get; }

    /// <summary>The operator of a compressed-row matrix (for V: the convolution and the transposed convolution).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="matrix"/> is null.</exception>
    /// <exception cref="ArgumentException">The matrix has no rows or no columns.</exception>
    public static LinearOperator From(CompressedRowStorage<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        return new LinearOperator(matrix.RowCount, matrix.ColumnCount, matrix.Multiply, matrix.TransposeMultiply);
    }

    /// <summary>The operator of a convolution's V in any form (for the structured form: V and Vᵀ without a copy of V).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="v"/> is null.</exception>
    public static LinearOperator From(IConvolutionOperator<double> v)
    {
        ArgumentNullException.ThrowIfNull(v);
        return new LinearOperator(v.RowCount, v.ColumnCount, v.Multiply, v.TransposeMultiply);
    }

    /// <summary>The operator of an explicit V (a compressed-row matrix that is also a convolution operator; this overload only settles which of the two the call means).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="v"/> is null.</exception>
    public static LinearOperator From(ConvolutionMatrix<double> v) => From((CompressedRowStorage<double>)v);

    /// <summary>y = A·x.</summary>
    /// <exception cref="ArgumentException">A length disagrees with the operator's size.</exception>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        Check.SpanLength(x.Length, ColumnCount, nameof(x));
        Check.SpanLength(y.Length, RowCount, nameof(y));
        forward(x, y);
    }

    /// <summary>x = Aᵀ·y.</summary>
    /// <exception cref="ArgumentException">A length disagrees with the operator's size.</exception>
    public void ApplyTranspose(ReadOnlySpan<double> y, Span<double> x)
    {
        Check.SpanLength(y.Length, RowCount, nameof(y));
        Check.SpanLength(x.Length, ColumnCount, nameof(x));
        adjoint(y, x);
    }
}
