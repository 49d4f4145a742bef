using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>The result of a power iteration for ‖A‖₂.</summary>
/// <param name="Value">The estimate σ = ‖A·v‖₂ for the last unit vector v: never above the true norm (up to round-off).</param>
/// <param name="Status">Converged when <see cref="Residual"/> fell below the tolerance; otherwise why it stopped.</param>
/// <param name="Iterations">Power steps done (each one product with A and one with Aᵀ).</param>
/// <param name="Residual">
/// ‖AᵀA·v − σ²·v‖₂ / σ² at the last step: some eigenvalue of AᵀA (after convergence, the largest) lies within
/// Residual·σ² of σ², so the relative error of σ² is at most this (of σ, at most half).
/// </param>
public sealed record NormEstimate(double Value, SolverStatus Status, int Iterations, double Residual)
{
    /// <summary>One line: value, status, iterations.</summary>
    public override string ToString() => $"{Value:R} ({Status} after {Iterations} iterations, eigen-residual {Residual:G3})";
}
