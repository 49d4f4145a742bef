using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The operator 2-norm ‖A‖₂ = σ_max(A) by power iteration on AᵀA, matrix-free (one product with A and one
/// with Aᵀ per step): the Lipschitz constant of a convolution layer, and the scale the default
/// deconvolution regularisation is measured against.
/// </summary>
/// <remarks>
/// <para>vₖ₊₁ = AᵀA·vₖ / ‖AᵀA·vₖ‖ from a seeded Gaussian start; the estimate σₖ = ‖A·vₖ‖ is the square root
/// of the Rayleigh quotient θ = vₖᵀAᵀA·vₖ, so it rises monotonically towards σ_max. A repeated top singular
/// value (common for convolutions: frequencies ±f) does not slow it; a close second one does.</para>
/// <para>It stops on the eigen-residual ‖AᵀA·v − θ·v‖ / θ rather than on the change of θ between steps: for a
/// symmetric matrix some eigenvalue lies within ‖AᵀA·v − θ·v‖ of θ, so the tolerance bounds the error, while a
/// small change only says that progress is slow. <see cref="SingularValues"/> gives every value of a small V to
/// check against.</para>
/// </remarks>
public static partial class SpectralNorm
{
    /// <summary>Default eigen-residual tolerance, 1e-9: σ² is then known to a relative 1e-9 (σ to 5e-10), near what
    /// the sparse products' round-off allows after thousands of steps.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>Default iteration limit, 10000 (each iteration costs two sparse products); enough for a gap
    /// σ₂²/σ₁² up to about 0.998.</summary>
    public const int DefaultMaxIterations = 10000;

    /// <summary>The lower end stops once the eigen-residual r of its Ritz value σ gives r·σ/2 at most this share of the interval's width.</summary>
    internal const double SettledShare = 1e-2;

    /// <summary>‖V‖₂ of a compressed matrix (for example V of a convolution).</summary>
    /// <exception cref="ArgumentException">See <see cref="Estimate(LinearOperator, double, int, int, CancellationToken)"/>.</exception>
    public static NormEstimate Estimate(CompressedRowStorage<double> matrix, double tolerance = DefaultTolerance,
        int maxIterations = DefaultMaxIterations, int seed = 0, CancellationToken cancellationToken = default) =>
        Estimate(LinearOperator.From(matrix), tolerance, maxIterations, seed, cancellationToken);

    /// <summary>‖A‖₂ by power iteration on AᵀA.</summary>
    /// <param name="a">The operator.</param>
    /// <param name="tolerance">Stop when ‖AᵀA·v − σ²·v‖ ≤ tolerance·σ²; positive.</param>
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
        var z = new double[a.ColumnCount];
        VectorMath.FillGaussian(new Random(seed), v);
        Normalize(v);
        double sigma = 0, residual = double.PositiveInfinity;
        for (int k = 1; k <= maxIterations; k++)
        {
            if (cancel.IsCancellationRequested) return new NormEstimate(sigma, SolverStatus.Cancelled, k - 1, residual);
            a.Apply(v, av);
            double theta = VectorMath.Dot(av, av);
            if (!double.IsFinite(theta)) return new NormEstimate(double.NaN, SolverStatus.Diverged, k, residual);
            sigma = Math.Sqrt(theta);
            if (theta == 0) return new NormEstimate(0, SolverStatus.Converged, k, 0); // A·v = 0 for a Gaussian v: A = 0 almost surely.
            a.ApplyTranspose(av, z);
            // z − θ·v: how far v is from an eigenvector of AᵀA.
            double r2 = 0;
            for (int i = 0; i < z.Length; i++) r2 += (z[i] - theta * v[i]) * (z[i] - theta * v[i]);
            residual = Math.Sqrt(r2) / theta;
            if (residual <= tolerance) return new NormEstimate(sigma, SolverStatus.Converged, k, residual);
            z.CopyTo(v, 0);
            Normalize(v);
        }
        return new NormEstimate(sigma, SolverStatus.IterationLimit, maxIterations, residual);
    }

    internal static void Normalize(Span<double> v)
    {
        double norm = VectorMath.Norm(v);
        if (norm > 0)
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }
}
