namespace ConvAsMatrix.Solvers;

/// <summary>The matrix-free method <see cref="Deconvolution"/> runs (both cost one product with V and one with Vᵀ per iteration).</summary>
public enum DeconvolutionMethod
{
    /// <summary><see cref="Solvers.Cgls"/>: stops on ‖Vᵀ(y − Vx) − λx‖∞ ≤ tol·‖Vᵀy‖∞.</summary>
    Cgls,

    /// <summary><see cref="Solvers.Lsqr"/>: stops on atol/btol/conlim (atol = btol = tol by default) and reports ‖V‖, cond, ‖r‖ estimates.</summary>
    Lsqr,

    /// <summary><see cref="Solvers.Mrnsd"/>: the same problem subject to x ≥ 0; stops on the KKT residual.</summary>
    Mrnsd,
}
