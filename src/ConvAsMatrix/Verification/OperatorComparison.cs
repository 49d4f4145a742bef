namespace ConvAsMatrix.Verification;

/// <summary>How far a user's forward/adjoint pair is from V·x and Vᵀ·y of the compiled V, on random inputs.</summary>
/// <param name="ForwardDifference">max |forward(x) − V·x| / max |V·x| (elementwise, relative to the largest reference value).</param>
/// <param name="AdjointDifference">max |adjoint(y) − Vᵀ·y| / max |Vᵀ·y|.</param>
/// <param name="Tolerance">The tolerance the caller set.</param>
/// <param name="Seed">The seed x and y were drawn with.</param>
public sealed record OperatorComparison(double ForwardDifference, double AdjointDifference, double Tolerance, int Seed)
{
    /// <summary>True when the forward map matches V within the tolerance.</summary>
    public bool ForwardPassed => ForwardDifference <= Tolerance;

    /// <summary>True when the adjoint map matches Vᵀ within the tolerance.</summary>
    public bool AdjointPassed => AdjointDifference <= Tolerance;

    /// <summary>True when both match.</summary>
    public bool Passed => ForwardPassed && AdjointPassed;

    /// <summary>One line: both differences and the verdict.</summary>
    public override string ToString() =>
        $"{(Passed ? "passed" : "FAILED")}: forward vs V {ForwardDifference:G3}{(ForwardPassed ? "" : " (wrong)")}, adjoint vs V^T {AdjointDifference:G3}{(AdjointPassed ? "" : " (wrong)")} (tolerance {Tolerance:G3}, seed {Seed})";
}
