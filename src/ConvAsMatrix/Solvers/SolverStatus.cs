namespace ConvAsMatrix.Solvers;

/// <summary>How an iterative computation ended. Solvers report it instead of throwing.</summary>
public enum SolverStatus
{
    /// <summary>The tolerance was met.</summary>
    Converged,

    /// <summary>The iteration limit came first; the result is the last iterate.</summary>
    IterationLimit,

    /// <summary>The residual grew or became NaN/∞; the result is the last iterate.</summary>
    Diverged,

    /// <summary>The cancellation token fired; the result is the last iterate.</summary>
    Cancelled,

    /// <summary>
    /// LSQR's estimate of cond(A) (of [A; √λI] when damped) exceeded its <see cref="LsqrOptions.ConditionLimit"/>
    /// (or 1/ε): the system is too ill-conditioned for the answer to mean much; the result is the last iterate.
    /// </summary>
    IllConditioned,

    /// <summary>The method broke down (a stop criterion reported failure, or a zero division in the recurrence).</summary>
    Failed,
}
