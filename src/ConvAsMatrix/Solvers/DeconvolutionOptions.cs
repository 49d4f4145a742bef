namespace ConvAsMatrix.Solvers;

/// <summary>Settings of <see cref="Deconvolution"/>: the regularisation and the solver's stop criteria.</summary>
public sealed record DeconvolutionOptions
{
    /// <summary>Default λ relative to ‖V‖₂², 1e-3.</summary>
    /// <remarks>
    /// λ only means something against the scale of VᵀV, so the default is relative: λ = 1e-3·‖V‖₂² caps the
    /// condition number of VᵀV + λI at 1 + 1/1e-3 ≈ 1000 (CGLS then converges in a few hundred iterations),
    /// damps every singular direction with σ &lt; √λ ≈ 0.03·‖V‖₂ (where a blur's noise amplification lives),
    /// and bounds the amplification of data noise by 1/(2√λ). It barely biases the well-determined directions
    /// (the filter factor σ²/(σ² + λ) is ≥ 0.99 for σ ≥ 0.32·‖V‖₂), and a noiseless problem can pass a smaller one.
    /// </remarks>
    public const double DefaultRelativeLambda = 1e-3;

    /// <summary>The Tikhonov weight λ itself (≥ 0); null to use <see cref="RelativeLambda"/>·‖V‖₂².</summary>
    public double? Lambda { get; init; }

    /// <summary>λ as a fraction of ‖V‖₂² (estimated by power iteration) when <see cref="Lambda"/> is null; ≥ 0.</summary>
    public double RelativeLambda { get; init; } = DefaultRelativeLambda;

    /// <summary>The iterative method: <see cref="DeconvolutionMethod.Cgls"/> (default) or <see cref="DeconvolutionMethod.Lsqr"/>.</summary>
    public DeconvolutionMethod Method { get; init; } = DeconvolutionMethod.Cgls;

    /// <summary>LSQR's atol, btol and conlim when <see cref="Method"/> is LSQR and they differ from its defaults (atol = btol = <see cref="SolverOptions.Tolerance"/>).</summary>
    public LsqrOptions? Lsqr { get; init; }

    /// <summary>z = M⁻¹·s for preconditioned CGLS (<see cref="Cgls.SolvePreconditioned"/>; e.g. <see cref="CirculantPreconditioner.Apply"/>), or null; only with <see cref="DeconvolutionMethod.Cgls"/>.</summary>
    public SpanMap? Preconditioner { get; init; }

    /// <summary>Tolerance, iteration limit, cancellation and extra stop criteria of the method.</summary>
    public SolverOptions Solver { get; init; } = new();
}
