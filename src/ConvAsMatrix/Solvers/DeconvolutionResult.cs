namespace ConvAsMatrix.Solvers;

/// <summary>The outcome of a deconvolution: the solver's report and the λ that was used.</summary>
/// <param name="Solver">Status, iterations, residuals.</param>
/// <param name="Lambda">The Tikhonov weight λ actually used (absolute).</param>
public sealed record DeconvolutionResult(SolverResult Solver, double Lambda)
{
    /// <summary>True when the solver converged.</summary>
    public bool Converged => Solver.Converged;

    /// <summary>One line: λ and the solver's report.</summary>
    public override string ToString() => $"lambda = {Lambda:G6}: {Solver}";
}
