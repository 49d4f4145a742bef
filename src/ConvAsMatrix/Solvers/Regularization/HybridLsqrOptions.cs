namespace ConvAsMatrix.Solvers;

/// <summary>Settings of <see cref="HybridLsqr"/>.</summary>
public sealed record HybridLsqrOptions
{
    /// <summary>
    /// How λ is chosen on the projected problem at every step; <see cref="ParameterRule.Discrepancy"/> by default, with σ
    /// estimated from the data when <see cref="NoiseSigma"/> is null: of the rules measured against the brute-force best λ on
    /// the standard blur problems it came closest (docs/solvers.md), where GCV, IR Tools' default, undersmooths smooth images.
    /// </summary>
    public ParameterRule Rule { get; init; } = ParameterRule.Discrepancy;

    /// <summary>
    /// ω of <see cref="ParameterRule.WeightedGcv"/>, in (0, 1]: the projected trace is (k + 1) − ω·Σf_i, so ω &lt; 1 lowers the
    /// penalty on fitting and chooses a smaller λ. Null (the default) chooses it adaptively as IR Tools' IRhybrid_lsqr does:
    /// ω = the mean over the steps so far of min(1, ω_k), ω_k the weight that puts weighted GCV's minimum of step k at σ_min(B_k)²
    /// (<see cref="TikhonovSpectrum.AdaptiveGcvWeight"/>; Chung, Nagy &amp; O'Leary 2008).
    /// </summary>
    public double? GcvWeight { get; init; }

    /// <summary>σ, the noise's standard deviation per element of b, for <see cref="ParameterRule.Discrepancy"/>; null to estimate it from b (<see cref="NoiseEstimate"/>) when the data are an image.</summary>
    public double? NoiseSigma { get; init; }

    /// <summary>τ of the discrepancy principle, ‖A·x − b‖ = τ·σ·√m; 1.01 as in IR Tools.</summary>
    public double Safety { get; init; } = 1.01;

    /// <summary>The most bidiagonalisation steps (each one product with A and one with Aᵀ, and a stored vector up to <see cref="BasisMemory"/>).</summary>
    public int MaxIterations { get; init; } = 200;

    /// <summary>Stop once λ (and, for GCV, the GCV value) changes by less than this, relative, from one step to the next.</summary>
    public double Tolerance { get; init; } = 1e-3;

    /// <summary>Stop only once ‖x_k − x_λ‖ ≤ this·‖x_k‖, x_λ the full Tikhonov solution with the chosen λ (certified, see <see cref="HybridLsqr"/>).</summary>
    public double SolutionTolerance { get; init; } = 1e-6;

    /// <summary>
    /// Keep both Golub–Kahan bases orthonormal by reorthogonalising every new vector against all earlier ones (false by
    /// default). It makes the projected problem exact (‖A·x − b‖ = ‖B_k·y − β₁e₁‖ to rounding) and can save steps, but a step
    /// then costs O(k·(m + n)) more and the data-side basis is kept too; without it a step costs what an LSQR step costs and
    /// only the k solution-side vectors are kept (x = V_k·y). docs/solvers.md has both measured.
    /// </summary>
    public bool Reorthogonalize { get; init; }

    /// <summary>
    /// Bytes the kept solution-side vectors v_i may take without reorthogonalisation (512 MiB by default: 256 steps at 512²).
    /// Past it only the latest is kept and the others are regenerated when x = V_k·y is formed, by the same recurrence
    /// (one product with A and one with Aᵀ for each step past the budget), giving x to the last bit when A's products are
    /// deterministic, as the library's are. With <see cref="Reorthogonalize"/> both bases are kept whole.
    /// </summary>
    public long BasisMemory { get; init; } = 512L << 20;

    /// <summary>Cancels between steps.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal void Validate()
    {
        if (!Enum.IsDefined(Rule)) throw new ArgumentOutOfRangeException(nameof(Rule), Rule, "Rule must be Gcv, WeightedGcv, Discrepancy or LCurve");
        if (GcvWeight is double w && !(w > 0 && w <= 1)) throw new ArgumentOutOfRangeException(nameof(GcvWeight), GcvWeight, $"GcvWeight must be in (0, 1], got {GcvWeight}");
        if (NoiseSigma is double s && (!(s > 0) || !double.IsFinite(s))) throw new ArgumentOutOfRangeException(nameof(NoiseSigma), s, $"NoiseSigma must be positive and finite, got {s}");
        if (!(Safety >= 1) || !double.IsFinite(Safety)) throw new ArgumentOutOfRangeException(nameof(Safety), Safety, $"Safety must be a finite number ≥ 1, got {Safety}");
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, $"MaxIterations must be at least 1, got {MaxIterations}");
        if (!(SolutionTolerance > 0) || !double.IsFinite(SolutionTolerance)) throw new ArgumentOutOfRangeException(nameof(SolutionTolerance), SolutionTolerance, $"SolutionTolerance must be positive and finite, got {SolutionTolerance}");
        if (BasisMemory < 1) throw new ArgumentOutOfRangeException(nameof(BasisMemory), BasisMemory, $"BasisMemory must be at least 1 byte, got {BasisMemory}");
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance)) throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, $"Tolerance must be positive and finite, got {Tolerance}");
    }
}
