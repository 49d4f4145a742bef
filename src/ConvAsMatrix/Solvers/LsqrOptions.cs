namespace ConvAsMatrix.Solvers;

/// <summary>LSQR's own stopping rules (Paige &amp; Saunders 1982, as in SciPy's <c>lsqr</c>): atol, btol, conlim.</summary>
/// <remarks>
/// <para>After iteration k LSQR stops when one of these holds (r = b − A·x, and for λ &gt; 0 everything refers to
/// the damped system [A; √λ·I]·x ≈ [b; 0]):</para>
/// <list type="bullet">
/// <item>‖r‖ ≤ btol·‖b‖ + atol·‖A‖·‖x‖ — the system is compatible to the tolerance (SciPy's istop 1);</item>
/// <item>‖Aᵀr − λx‖ ≤ atol·‖A‖·‖r‖ — x solves the least-squares problem to the tolerance (istop 2);</item>
/// <item>cond(A) ≥ conlim — too ill-conditioned to go on (istop 3, reported as <see cref="SolverStatus.IllConditioned"/>);</item>
/// <item>the same three with machine precision ε in place of atol, btol and 1/conlim (istop 4, 5, 6).</item>
/// </list>
/// <para>The norms are LSQR's own running estimates, so the tests cost nothing. Both tolerances default to
/// <see cref="SolverOptions.Tolerance"/>, which is how <c>convmat deconvolve --tol</c> sets them; the iteration
/// limit, cancellation and extra MathNet criteria come from <see cref="SolverOptions"/> as for CGLS.</para>
/// </remarks>
public sealed record LsqrOptions
{
    /// <summary>Default condition limit, 1e8 (SciPy's).</summary>
    public const double DefaultConditionLimit = 1e8;

    /// <summary>Relative error expected in A (≥ 0; 0 means machine precision); null: <see cref="SolverOptions.Tolerance"/>.</summary>
    public double? Atol { get; init; }

    /// <summary>Relative error expected in b (≥ 0; 0 means machine precision); null: <see cref="SolverOptions.Tolerance"/>.</summary>
    public double? Btol { get; init; }

    /// <summary>Stop when the estimate of cond(A) reaches this (≥ 0; 0 means 1/ε).</summary>
    public double ConditionLimit { get; init; } = DefaultConditionLimit;

    /// <summary>The tolerances in force with <paramref name="solver"/>, checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A tolerance or the limit is negative, NaN or infinite (named).</exception>
    internal (double Atol, double Btol, double ConditionLimit) Resolve(SolverOptions solver)
    {
        double atol = Atol ?? solver.Tolerance, btol = Btol ?? solver.Tolerance;
        NonNegative(atol, nameof(Atol));
        NonNegative(btol, nameof(Btol));
        NonNegative(ConditionLimit, nameof(ConditionLimit));
        return (atol, btol, ConditionLimit);
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number >= 0, got {value}");
    }
}
