namespace ConvAsMatrix.Solvers;

/// <summary>What <see cref="HybridLsqr"/> did: the λ it settled on, by which rule, after how many steps.</summary>
/// <param name="Status">Converged (λ settled by the stopping rule), IterationLimit, Cancelled, or Converged on an exhausted Krylov space.</param>
/// <param name="Iterations">Bidiagonalisation steps k.</param>
/// <param name="Lambda">The final λ (absolute).</param>
/// <param name="Rule">The rule that chose it.</param>
/// <param name="Criterion">The rule's value at λ: the GCV function, the curvature of the L-curve, or ‖A·x − b‖/(σ·√m) for the discrepancy principle.</param>
/// <param name="Residual">‖A·x − b‖.</param>
/// <param name="NoiseSigma">The σ the discrepancy principle used (given or estimated), or null.</param>
/// <param name="LambdaHistory">λ_k at every step.</param>
public sealed record HybridLsqrResult(SolverStatus Status, int Iterations, double Lambda, ParameterRule Rule, double Criterion, double Residual, double? NoiseSigma, IReadOnlyList<double> LambdaHistory)
{
    /// <summary>
    /// The weight ω of <see cref="ParameterRule.WeightedGcv"/> at the final λ: the given <see cref="HybridLsqrOptions.GcvWeight"/>,
    /// or the adaptive one (the mean of min(1, ω_k) over the steps until λ settled); null for the other rules.
    /// </summary>
    public double? GcvWeight { get; init; }

    /// <summary>One line: rule, λ, steps, status.</summary>
    public override string ToString() =>
        $"{Rule}: lambda = {Lambda:G6} after {Iterations} steps ({Status}), residual {Residual:G6}, criterion {Criterion:G6}" +
        (NoiseSigma is double s ? $", sigma {s:G4}" : "") + (GcvWeight is double w ? $", omega {w:G4}" : "");
}
