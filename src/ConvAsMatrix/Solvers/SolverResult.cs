using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>The outcome of an iterative solve: status, iterations, final residuals and their history.</summary>
/// <param name="Status">How the iteration ended.</param>
/// <param name="Iterations">Iterations done (each costs one product with A and one with Aᵀ).</param>
/// <param name="Residual">‖A·x − b‖₂ of the returned x: the data misfit.</param>
/// <param name="RelativeResidual">
/// The normal-equation residual relative to the data: for CGLS ‖Aᵀ(b − A·x) − λ·x‖∞ / ‖Aᵀb‖∞ (what its tolerance
/// is compared with), for LSQR its estimate of the same in the 2-norm, ‖Aᵀr − λx‖₂ / ‖Aᵀb‖₂; for a square system
/// ‖b − A·x‖∞ / ‖b‖∞.
/// </param>
/// <param name="ResidualHistory">‖A·x − b‖₂ after each iteration (index 0: the starting guess); LSQR's entries are its estimates.</param>
public sealed record SolverResult(SolverStatus Status, int Iterations, double Residual, double RelativeResidual, IReadOnlyList<double> ResidualHistory)
{
    /// <summary>LSQR's estimates (‖A‖, cond(A), ‖r‖, ‖Aᵀr − λx‖, ‖x‖ and SciPy's stop code); null for other solvers.</summary>
    public LsqrEstimates? Lsqr { get; init; }

    /// <summary>True when <see cref="Status"/> is <see cref="SolverStatus.Converged"/>.</summary>
    public bool Converged => Status == SolverStatus.Converged;

    /// <summary>One line for logs and the CLI: status, iterations, residuals.</summary>
    public override string ToString() =>
        $"{Status} after {Iterations} iterations: residual ||Ax - b|| = {Residual:G6}, relative residual {RelativeResidual:G6}";

    /// <summary>Maps MathNet's iteration status onto ours.</summary>
    internal static SolverStatus From(IterationStatus status) => status switch
    {
        IterationStatus.Converged => SolverStatus.Converged,
        IterationStatus.StoppedWithoutConvergence => SolverStatus.IterationLimit,
        IterationStatus.Diverged => SolverStatus.Diverged,
        IterationStatus.Cancelled => SolverStatus.Cancelled,
        IterationStatus.Failure => SolverStatus.Failed,
        _ => SolverStatus.IterationLimit,
    };
}
