using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The operator 2-norm ‖A‖₂ = σ_max(A) by power iteration on AᵀA, matrix-free (one product with A and one
/// with Aᵀ per step): the Lipschitz constant of a convolution layer, and the scale the default
/// deconvolution regularisation is measured against.
/// </summary>
/// <remarks>
/// <para>vₖ₊₁ = AᵀA·vₖ / ‖AᵀA·vₖ‖ from a seeded Gaussian start; the estimate σₖ = ‖A·vₖ‖ is the square root
/// of the Rayleigh quotient of AᵀA, so it rises monotonically towards σ_max and its error shrinks like
/// (σ₂/σ₁)^(4k). A repeated top singular value (common for convolutions: frequencies ±f) does not slow it.</para>
/// <para>The relative-change test can stop early when σ₂ ≈ σ₁; <see cref="SingularValues"/> gives exact values
/// for small V to check against.</para>
/// </remarks>
public static class SpectralNorm
{
    /// <summary>Default relative-change tolerance, 1e-10: the Rayleigh quotient then agrees with σ_max to about that.</summary>
    public const double DefaultTolerance = 1e-10;

    /// <summary>Default iteration limit, 1000 (each iteration costs two sparse products).</summary>
    public const int DefaultMaxIterations = 1000;

    /// <summary>‖V‖₂ of a compressed matrix (for example V of a convolution).</summary>
    /// <exception cref="ArgumentException">See <see cref="Estimate(LinearOperator, double, int, int, CancellationToken)"/>.</exception>
    public static NormEstimate Estimate(CompressedRowStorage<double> matrix, double tolerance = DefaultTolerance,
        int maxIterations = DefaultMaxIterations, int seed = 0, CancellationToken cancellationToken = default) =>
        Estimate(LinearOperator.From(matrix), tolerance, maxIterations, seed, cancellationToken);

    /// <summary>‖A‖₂ by power iteration on AᵀA.</summary>
    /// <param name="a">The operator.</param>
    /// <param name="tolerance">Stop when |σₖ − σₖ₋₁| ≤ tolerance·σₖ; positive.</param>
    /// <param name="maxIterations">At most this many steps; at least 1.</param>
    /// <param name="seed">Seed of the Gaussian starting vector (the result is reproducible).</param>
    /// <param name="cancellationToken">Checked once per step; a cancelled run returns the estimate so far.</param>
    /// <exception cref="ArgumentException">The tolerance is not positive and finite, or maxIterations &lt; 1.</exception>
    public static NormEstimate Estimate(LinearOperator a, double tolerance = DefaultTolerance, int maxIterations = DefaultMaxIterations,
        int seed = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (!(tolerance > 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tolerance must be a positive finite number, got {tolerance}");
        Check.AtLeast(maxIterations, 1, nameof(maxIterations));
        return EstimateUnchecked(a, tolerance, maxIterations, seed, cancellationToken);
    }

    private static NormEstimate EstimateUnchecked(LinearOperator a, double tolerance, int maxIterations, int seed, CancellationToken cancel)
    {
        var v = new double[a.ColumnCount];
        var av = new double[a.RowCount];
        VectorMath.FillGaussian(new Random(seed), v);
        Normalize(v);
        double sigma = 0, change = double.PositiveInfinity;
        for (int k = 1; k <= maxIterations; k++)
        {
            if (cancel.IsCancellationRequested) return new NormEstimate(sigma, SolverStatus.Cancelled, k - 1, change);
            a.Apply(v, av);
            double next = VectorMath.Norm(av);
            if (!double.IsFinite(next)) return new NormEstimate(next, SolverStatus.Diverged, k, change);
            if (next == 0) return new NormEstimate(0, SolverStatus.Converged, k, 0); // A·v = 0 for a Gaussian v: A = 0 almost surely.
            change = Math.Abs(next - sigma) / next;
            sigma = next;
            if (change <= tolerance) return new NormEstimate(sigma, SolverStatus.Converged, k, change);
            a.ApplyTranspose(av, v);
            Normalize(v);
        }
        return new NormEstimate(sigma, SolverStatus.IterationLimit, maxIterations, change);
    }

    private static void Normalize(Span<double> v)
    {
        double norm = VectorMath.Norm(v);
        if (norm > 0)
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }
}
