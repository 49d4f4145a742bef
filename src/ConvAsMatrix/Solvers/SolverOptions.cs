using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Tolerance, iteration limit and cancellation of an iterative solve, turned into MathNet stop criteria
/// (<see cref="CancellationStopCriterion{T}"/>, <see cref="ResidualStopCriterion{T}"/>,
/// <see cref="IterationCountStopCriterion{T}"/>) so that callers can add their own
/// <see cref="IIterationStopCriterion{T}"/> (for example MathNet's <see cref="DivergenceStopCriterion{T}"/>)
/// and compose them the way MathNet's solvers do. A NaN residual is reported as diverged.
/// </summary>
public sealed record SolverOptions
{
    /// <summary>Default relative residual tolerance, 1e-6.</summary>
    /// <remarks>
    /// Far below the noise of measured data (so tightening it does not change a deblurred image visibly),
    /// yet reached in double precision by CGLS in a few hundred iterations for a regularised blur.
    /// </remarks>
    public const double DefaultTolerance = 1e-6;

    /// <summary>Default iteration limit, 500.</summary>
    /// <remarks>
    /// CG on a system of condition number κ needs about ½·√κ·ln(2/tol) iterations; with the default
    /// regularisation κ ≤ 1 + 1/<see cref="DeconvolutionOptions.DefaultRelativeLambda"/> ≈ 1000, that is ≈ 230
    /// at tol = 1e-6, so 500 leaves a factor two for round-off.
    /// </remarks>
    public const int DefaultMaxIterations = 500;

    /// <summary>Converged when the relative residual falls below this (must be &gt; 0).</summary>
    public double Tolerance { get; init; } = DefaultTolerance;

    /// <summary>Stops with <see cref="SolverStatus.IterationLimit"/> after this many iterations (must be ≥ 1).</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>Stops with <see cref="SolverStatus.Cancelled"/> when it fires (checked once per iteration).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Stop, converged, as soon as the data misfit ‖b − A·x_k‖ is at most this: iterative regularisation by the discrepancy
    /// principle (with λ = 0, CGLS and LSQR regularise by stopping early; give τ·σ·√m, σ the noise per element of b). Null: no such stop.
    /// </summary>
    public double? MisfitTarget { get; init; }

    /// <summary>Further MathNet stop criteria, evaluated after the built-in ones.</summary>
    public IReadOnlyList<IIterationStopCriterion<double>> ExtraCriteria { get; init; } = [];

    /// <summary>Checks the settings, naming the offending one.</summary>
    /// <exception cref="ArgumentException">Tolerance not a positive finite number, or MaxIterations below 1.</exception>
    internal void Validate()
    {
        if (!(Tolerance > 0) || double.IsInfinity(Tolerance))
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"tolerance must be a positive finite number, got {Tolerance}");
        Check.AtLeast(MaxIterations, 1, nameof(MaxIterations));
        ArgumentNullException.ThrowIfNull(ExtraCriteria, nameof(ExtraCriteria));
        if (MisfitTarget is double t && (!(t >= 0) || double.IsInfinity(t)))
            throw new ArgumentOutOfRangeException(nameof(MisfitTarget), t, $"MisfitTarget must be a finite number >= 0, got {t}");
    }

    /// <summary>A fresh MathNet iterator: cancellation, residual, iteration count, then the extras.</summary>
    /// <exception cref="ArgumentException">An option is out of range (see the properties).</exception>
    public Iterator<double> CreateIterator() => CreateIterator(null);

    /// <summary>The iterator with an observer that sees every status check first (MathNet stops at the first criterion that does not continue).</summary>
    internal Iterator<double> CreateIterator(IIterationStopCriterion<double>? observer) =>
        CreateIterator(observer, new ResidualStopCriterion<double>(Tolerance));

    /// <summary>
    /// The iterator with <paramref name="convergence"/> in place of the residual criterion (LSQR's own tests), still
    /// before the iteration count so that a last iteration that converges is reported as converged.
    /// </summary>
    internal Iterator<double> CreateIterator(IIterationStopCriterion<double>? observer, IIterationStopCriterion<double> convergence)
    {
        Validate();
        var criteria = new List<IIterationStopCriterion<double>>();
        if (observer is not null) criteria.Add(observer);
        criteria.AddRange(
        [
            new CancellationStopCriterion<double>(CancellationToken),
            convergence,
            new IterationCountStopCriterion<double>(MaxIterations),
        ]);
        criteria.AddRange(ExtraCriteria);
        return new Iterator<double>(criteria);
    }
}
