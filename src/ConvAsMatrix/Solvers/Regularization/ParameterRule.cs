namespace ConvAsMatrix.Solvers;

/// <summary>How a regularisation parameter λ is chosen from the data.</summary>
public enum ParameterRule
{
    /// <summary>Generalised cross-validation (Golub, Heath &amp; Wahba 1979): minimise ‖A·x_λ − b‖²/(m − Σf_i)². Needs nothing else.</summary>
    Gcv,
    /// <summary>Weighted GCV (Chung, Nagy &amp; O'Leary 2008): the denominator (m − ω·Σf_i)², ω &lt; 1 damping GCV's undersmoothing in hybrid methods.</summary>
    WeightedGcv,
    /// <summary>The discrepancy principle (Morozov): the λ with ‖A·x_λ − b‖ = τ·σ·√m, σ the noise's standard deviation per element. Needs σ (or its estimate).</summary>
    Discrepancy,
    /// <summary>The corner of the L-curve (log‖A·x_λ − b‖, log‖x_λ‖), its point of largest curvature (Hansen). Needs nothing else.</summary>
    LCurve,
}
