namespace ConvAsMatrix.Solvers;

/// <summary>
/// What LSQR knows at the end besides x: its running estimates, the ones SciPy's <c>lsqr</c> returns, under the
/// same meaning (for λ &gt; 0 the operator is the damped Ā = [A; √λ·I]).
/// </summary>
/// <param name="StopCode">SciPy's <c>istop</c>: 0 x = 0 is exact (b = 0 or Aᵀb = 0); 1 compatible system (btol/atol);
/// 2 least-squares solution (atol); 3 cond(Ā) ≥ conlim; 4, 5, 6 the same at machine precision; 7 stopped without
/// convergence by the iteration limit (or by an extra criterion reporting StoppedWithoutConvergence). Cancellation and
/// other extra-criterion stops leave it at 0.</param>
/// <param name="NormA">Estimate of the Frobenius norm of Ā (SciPy's <c>anorm</c>; grows towards ‖Ā‖_F, an upper bound on ‖Ā‖₂).</param>
/// <param name="ConditionA">Estimate of cond(Ā) (<c>acond</c>).</param>
/// <param name="ResidualNorm">‖b − A·x‖₂ (<c>r1norm</c>).</param>
/// <param name="DampedResidualNorm">√(‖b − A·x‖² + λ‖x‖²) (<c>r2norm</c>).</param>
/// <param name="NormalResidualNorm">‖Aᵀ(b − A·x) − λ·x‖₂ (<c>arnorm</c>).</param>
/// <param name="SolutionNorm">‖x − x₀‖₂ (<c>xnorm</c>; ‖x‖ from a zero start).</param>
public sealed record LsqrEstimates(int StopCode, double NormA, double ConditionA, double ResidualNorm, double DampedResidualNorm,
    double NormalResidualNorm, double SolutionNorm);
