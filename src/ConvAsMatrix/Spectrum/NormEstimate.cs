using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>The result of a power iteration for ‖A‖₂.</summary>
/// <param name="Value">The estimate ‖A·v‖₂ for the last unit vector v: never above the true norm (up to round-off).</param>
/// <param name="Status">Converged when the relative change fell below the tolerance; otherwise why it stopped.</param>
/// <param name="Iterations">Power steps done (each one product with A and one with Aᵀ).</param>
/// <param name="RelativeChange">|σₖ − σₖ₋₁| / σₖ at the last step.</param>
public sealed record NormEstimate(double Value, SolverStatus Status, int Iterations, double RelativeChange)
{
    /// <summary>One line: value, status, iterations.</summary>
    public override string ToString() => $"{Value:R} ({Status} after {Iterations} iterations, relative change {RelativeChange:G3})";
}
