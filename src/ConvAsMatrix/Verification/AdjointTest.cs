using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Verification;

/// <summary>
/// The dot-product test of inverse-problem codes, for anyone's convolution / transposed-convolution pair:
/// B is the adjoint of A exactly when ⟨A·x, y⟩ = ⟨x, B·y⟩ for all x, y, so one random draw of x and y
/// catches almost every wrong adjoint (a kernel not flipped, an off-by-one padding, swapped channels).
/// A second check compares the pair with V compiled from the same kernel and geometry.
/// </summary>
/// <example>
/// A hand-written 1-D transposed convolution that forgot to flip the kernel fails:
/// <code>
/// var g = ConvGeometry.ForConv([1, 1, 8], [1, 1, 3], new ConvOptions { Padding = 1 });
/// var result = AdjointTest.Run(g.OutputLength, g.InputLength, MyConv, MyConvTranspose, tolerance: 1e-12);
/// // result.Passed == false: relative difference 0.095 for kernel [1, 2, 3] and seed 0 (a right pair: below 1e-15)
/// var versusV = AdjointTest.CompareWith(weight, g, MyConv, MyConvTranspose, tolerance: 1e-12);
/// // versusV.ForwardPassed == true, versusV.AdjointPassed == false: the transposed convolution is the culprit
/// </code>
/// </example>
/// <remarks>
/// <para>The difference is scaled by max(‖A·x‖‖y‖, ‖x‖‖B·y‖), the Cauchy–Schwarz bound of both products,
/// rather than by the products themselves, which can cancel to nearly zero for random x, y. A correct pair
/// then differs by round-off only, about 1e-16·√n; a wrong one by a sizeable fraction (typically 1/√n or more).
/// A tolerance of 1e-10 separates the two for any size a double can hold.</para>
/// <para>x and y are standard normal, drawn from <c>new Random(seed)</c>: the same seed gives the same test.</para>
/// </remarks>
public static class AdjointTest
{
    /// <summary>Default tolerance on the relative difference, 1e-10.</summary>
    public const double DefaultTolerance = 1e-10;

    /// <summary>Tests whether <paramref name="adjoint"/> is the adjoint of <paramref name="forward"/>.</summary>
    /// <param name="outputLength">Length of forward(x) (rows of A).</param>
    /// <param name="inputLength">Length of x (columns of A).</param>
    /// <param name="forward">x ↦ A·x, for example the user's convolution of one sample.</param>
    /// <param name="adjoint">y ↦ B·y, the claimed Aᵀ, for example the user's transposed convolution.</param>
    /// <param name="tolerance">Largest relative difference that passes; positive.</param>
    /// <param name="seed">Seed for x and y.</param>
    /// <exception cref="ArgumentException">A length is below 1, the tolerance is not positive, or a delegate is null.</exception>
    public static AdjointTestResult Run(int outputLength, int inputLength, SpanMap forward, SpanMap adjoint,
        double tolerance = DefaultTolerance, int seed = 0) =>
        Run(new LinearOperator(outputLength, inputLength, forward, adjoint), tolerance, seed);

    /// <summary>Tests an operator's two products against each other (for V: always passes up to round-off).</summary>
    /// <exception cref="ArgumentException">The tolerance is not positive and finite.</exception>
    public static AdjointTestResult Run(LinearOperator a, double tolerance = DefaultTolerance, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        CheckTolerance(tolerance);
        var random = new Random(seed);
        var x = new double[a.ColumnCount];
        var y = new double[a.RowCount];
        VectorMath.FillGaussian(random, x);
        VectorMath.FillGaussian(random, y);
        var ax = new double[a.RowCount];
        var by = new double[a.ColumnCount];
        a.Apply(x, ax);
        a.ApplyTranspose(y, by);
        double forward = VectorMath.Dot(ax, y), backward = VectorMath.Dot(x, by);
        double scale = Math.Max(VectorMath.Norm(ax) * VectorMath.Norm(y), VectorMath.Norm(x) * VectorMath.Norm(by));
        double relative = scale > 0 ? Math.Abs(forward - backward) / scale : Math.Abs(forward - backward);
        if (double.IsNaN(relative)) relative = double.PositiveInfinity; // a NaN from the user's code must not pass
        return new AdjointTestResult(forward, backward, relative, tolerance, seed);
    }

    /// <summary>
    /// Compares a user's convolution and transposed convolution (one sample each) with V·x and Vᵀ·y of V
    /// compiled from the same weight and geometry, on random x and y: tells which of the two is wrong. V is the
    /// structured form (<see cref="StructuredConvolution{T}"/>), so layers of any size can be checked.
    /// </summary>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    /// <param name="geometry">The convolution (its batch is ignored: one sample is compared).</param>
    /// <param name="forward">The user's convolution: (C_in, *in) ↦ (C_out, *out), row-major.</param>
    /// <param name="adjoint">The user's transposed convolution: (C_out, *out) ↦ (C_in, *in).</param>
    /// <param name="tolerance">Largest max-relative difference that passes; positive.</param>
    /// <param name="seed">Seed for x and y.</param>
    /// <exception cref="ArgumentException">The weight's length disagrees with the geometry, or the tolerance is not positive.</exception>
    public static OperatorComparison CompareWith(ReadOnlySpan<double> weight, ConvGeometry geometry, SpanMap forward, SpanMap adjoint,
        double tolerance = DefaultTolerance, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(adjoint);
        CheckTolerance(tolerance);
        var v = StructuredConvolution<double>.Compile(weight, geometry);
        var user = new LinearOperator(v.RowCount, v.ColumnCount, forward, adjoint);
        var random = new Random(seed);
        var x = new double[v.ColumnCount];
        var y = new double[v.RowCount];
        VectorMath.FillGaussian(random, x);
        VectorMath.FillGaussian(random, y);
        double forwardDifference = MaxRelativeDifference(x, v.RowCount, user.Apply, v.Multiply);
        double adjointDifference = MaxRelativeDifference(y, v.ColumnCount, user.ApplyTranspose, v.TransposeMultiply);
        return new OperatorComparison(forwardDifference, adjointDifference, tolerance, seed);
    }

    /// <summary>max |candidate(arg) − reference(arg)| / max |reference(arg)|.</summary>
    private static double MaxRelativeDifference(double[] arg, int length, SpanMap candidate, SpanMap reference)
    {
        var got = new double[length];
        var want = new double[length];
        candidate(arg, got);
        reference(arg, want);
        double diff = 0, scale = 0;
        for (int i = 0; i < length; i++)
        {
            double d = Math.Abs(got[i] - want[i]);
            diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
            scale = Math.Max(scale, Math.Abs(want[i]));
        }
        return scale > 0 ? diff / scale : diff;
    }

    private static void CheckTolerance(double tolerance)
    {
        if (!(tolerance > 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tolerance must be a positive finite number, got {tolerance}");
    }
}
