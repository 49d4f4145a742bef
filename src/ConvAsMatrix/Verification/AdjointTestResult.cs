namespace ConvAsMatrix.Verification;

/// <summary>The outcome of a dot-product test: the two inner products, their relative difference and the verdict.</summary>
/// <param name="ForwardProduct">⟨A·x, y⟩.</param>
/// <param name="AdjointProduct">⟨x, B·y⟩ for the claimed adjoint B.</param>
/// <param name="RelativeDifference">|⟨A·x, y⟩ − ⟨x, B·y⟩| / max(‖A·x‖‖y‖, ‖x‖‖B·y‖) (0 when both scales are 0).</param>
/// <param name="Tolerance">The tolerance the caller set.</param>
/// <param name="Seed">The seed the random x and y were drawn with (rerun with it to reproduce).</param>
public sealed record AdjointTestResult(double ForwardProduct, double AdjointProduct, double RelativeDifference, double Tolerance, int Seed)
{
    /// <summary>True when <see cref="RelativeDifference"/> ≤ <see cref="Tolerance"/>.</summary>
    public bool Passed => RelativeDifference <= Tolerance;

    /// <summary>One line: the verdict with both products.</summary>
    public override string ToString() =>
        $"{(Passed ? "passed" : "FAILED")}: <Ax,y> = {ForwardProduct:R}, <x,By> = {AdjointProduct:R}, relative difference {RelativeDifference:G3} (tolerance {Tolerance:G3}, seed {Seed})";
}
