namespace ConvAsMatrix.Solvers;

/// <summary>
/// Hybrid LSQR (O'Leary &amp; Simmons 1981; Chung, Nagy &amp; O'Leary 2008; IR Tools' IRhybrid_lsqr): Golub–Kahan
/// bidiagonalisation of A from b, with Tikhonov regularisation of the small projected problem
/// <c>min ‖B_k·y − β₁e₁‖² + λ‖y‖²</c> at every step, λ re-chosen there by a <see cref="ParameterRule"/>, and x = V_k·y.
/// It needs only products with A and Aᵀ, so it runs on the structured V at real image sizes, and it chooses λ itself.
/// </summary>
/// <remarks>
/// <para>In exact arithmetic U_{k+1} and V_k are orthonormal, so ‖A·x − b‖ = ‖B_k·y − β₁e₁‖ and ‖x‖ = ‖y‖: every rule is
/// evaluated on the (k + 1) × k problem (<see cref="TikhonovSpectrum"/>, built in O(k²) per step by
/// <see cref="ProjectedProblem"/>; y itself in O(k) by damped LSQR's rotations). By default the bases are not
/// reorthogonalised: a step then costs what an LSQR step costs (two products and O(m + n)), and in floating point the
/// projected quantities stay the reliable estimates LSQR's own are (Paige &amp; Saunders 1982); x_k = V_k·y_k is LSQR's
/// iterate at λ_k. <see cref="HybridLsqrOptions.Reorthogonalize"/> keeps both bases orthonormal at O(k·(m + n)) a step
/// (measured in docs/solvers.md on 7 of the 128² test problems: the same PSNR to 0.01 dB, 0–5 fewer steps, 5–22× the time). Memory: the k
/// vectors v_i (x = V_k·y needs them), k·n doubles, up to <see cref="HybridLsqrOptions.BasisMemory"/>; past it they are
/// regenerated when x is formed, bit for bit (<see cref="GolubKahan"/>).</para>
/// <para>The discrepancy principle and the L-curve choose λ_k at every step and have settled when it changes by less than
/// <see cref="HybridLsqrOptions.Tolerance"/> (the discrepancy principle also needs the projected residual able to reach
/// τ·σ·√m). GCV chooses λ_k with the projected problem's own trace (k + 1, weighted by ω for
/// <see cref="ParameterRule.WeightedGcv"/>) until the full problem's GCV of x_k, ‖r_k‖²/(m − Σf)², stops falling (Chung,
/// Nagy &amp; O'Leary 2008), then keeps the λ of its minimum. Either way the iteration stops once the rule has settled and x_k is
/// within <see cref="HybridLsqrOptions.SolutionTolerance"/> of the full Tikhonov solution with that λ, certified by
/// ‖x_k − x_λ‖ ≤ ‖Aᵀr_k − λx_k‖/λ = α_{k+1}·β_{k+1}·|e_kᵀy_k|/λ, which the next bidiagonalisation step gives for free.</para>
/// </remarks>
public static class HybridLsqr
{
    /// <summary>Solves min ‖A·x − b‖² + λ‖x‖² with λ chosen by <see cref="HybridLsqrOptions.Rule"/>.</summary>
    /// <param name="a">A (for deconvolution, V).</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Receives the solution, length A.ColumnCount.</param>
    /// <param name="options">The rule and its settings; null for the defaults (the discrepancy principle, σ estimated from b).</param>
    /// <param name="noiseShape">The spatial shape of b's signals, for estimating σ when the discrepancy principle has none (<see cref="NoiseEstimate.Haar"/>); empty to treat b as one 1-D signal (an image then gives the pairs along its rows).</param>
    /// <exception cref="ArgumentException">A length disagrees with A, b holds NaN or ∞, an option is out of range, or the discrepancy principle has no σ and b a single value.</exception>
    public static HybridLsqrResult Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, HybridLsqrOptions? options = null, ReadOnlySpan<int> noiseShape = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        options ??= new HybridLsqrOptions();
        options.Validate();
        Check.SpanLength(b.Length, a.RowCount, nameof(b));
        Check.SpanLength(x.Length, a.ColumnCount, nameof(x));
        foreach (var v in b) if (!double.IsFinite(v)) throw new ArgumentException($"b holds {v}; the data must be finite", nameof(b));
        double? sigma = options.Rule == ParameterRule.Discrepancy
            ? options.NoiseSigma ?? (!noiseShape.IsEmpty ? NoiseEstimate.Haar(b, noiseShape)
                // Without a shape, b is taken as one signal: the Haar pairs of neighbours along its storage order.
                : b.Length >= 2 ? NoiseEstimate.Haar(b, [b.Length])
                : throw new ArgumentException("the discrepancy principle needs the noise level: give NoiseSigma (one data value has no neighbour to estimate it from)", nameof(options)))
            : options.NoiseSigma;
        double target = options.Safety * (sigma ?? 0) * Math.Sqrt(a.RowCount);

        var gk = new GolubKahan(a, b, options.Reorthogonalize, options.BasisMemory);
        var history = new List<double>();
        var status = SolverStatus.IterationLimit;
        Candidate? candidate = null;
        // Phase 1 chooses λ by the rule; once it has (fixedLambda), phase 2 keeps it and runs on until x_k is within
        // SolutionTolerance of the full Tikhonov solution with that λ.
        double? fixedLambda = null;
        var fullGcv = new List<double>();
        int rises = 0;
        // Adaptive weighted GCV: ω is the running mean of the steps' min(1, ω_k).
        double weightSum = 0, weight = options.GcvWeight ?? 1;
        for (int k = 1; k <= options.MaxIterations + 1; k++)
        {
            if (options.CancellationToken.IsCancellationRequested) { status = SolverStatus.Cancelled; break; }
            // One step beyond the limit is never taken: it only tells whether the last x was done.
            bool limit = k > options.MaxIterations, stepped = !limit && gk.Step(), exhausted = !limit && !stepped;
            if (candidate is { } c)
            {
                // ‖Aᵀr − λx‖ of the previous step's x is α_{k}·β_{k}·|y_{k−1}| (U and V orthonormal), and
                // (AᵀA + λI)(x − x_λ) = −(Aᵀr − λx), so ‖x − x_λ‖ ≤ that/λ: x is within SolutionTolerance of full Tikhonov.
                // An exhausted Krylov space holds the solution exactly; at the limit nothing more is known.
                double normalResidual = stepped ? gk.Alphas[c.Steps] * gk.Betas[c.Steps] * Math.Abs(c.Y[^1]) : 0;
                bool solved = exhausted || (stepped && normalResidual <= options.SolutionTolerance * c.Lambda * VectorMath.Norm(c.Y));
                if (!stepped || (c.RuleSettled && solved))
                {
                    status = limit ? SolverStatus.IterationLimit : SolverStatus.Converged;
                    break;
                }
            }
            if (!stepped) { status = SolverStatus.Converged; break; }
            // b is finite (checked), so a NaN or ∞ here can only come from A's own entries.
            if (!double.IsFinite(gk.Alphas[^1]) || !double.IsFinite(gk.Betas[^1]))
                throw new ArgumentException($"A = V has non-finite entries (its product with the data gives {gk.Alphas[^1]}, {gk.Betas[^1]}); check the kernel for NaN or infinity", nameof(a));
            bool gcv = options.Rule is ParameterRule.Gcv or ParameterRule.WeightedGcv;
            // GCV chooses λ on the projected problem with its own trace (k + 1); the iterations are judged by the full problem's (m).
            var spectrum = ProjectedProblem.Spectrum(gk.Alphas, gk.Betas, k, gcv ? k + 1 : a.RowCount);
            if (options.Rule == ParameterRule.WeightedGcv && options.GcvWeight is null && fixedLambda is null)
            {
                weightSum += Math.Min(1, spectrum.AdaptiveGcvWeight());
                weight = weightSum / k;
            }
            double lambda = fixedLambda ?? Choose(spectrum, options.Rule, weight, target, history.Count > 0 ? history[^1] : 0);
            double previous = history.Count > 0 ? history[^1] : double.NaN;
            history.Add(lambda);
            if (fixedLambda is null && gcv)
            {
                // Chung, Nagy & O'Leary's stopping: the full problem's GCV of x_k, ‖r_k‖²/(m − Σf)², stops falling.
                double full = spectrum.ResidualSquared(lambda) / Math.Pow(a.RowCount - spectrum.FilterSum(lambda), 2);
                rises = fullGcv.Count > 0 && full > fullGcv[^1] ? rises + 1 : 0;
                fullGcv.Add(full);
                int best = fullGcv.IndexOf(fullGcv.Min());
                bool flat = fullGcv.Count > 1 && Math.Abs(full - fullGcv[^2]) <= options.Tolerance * fullGcv[0];
                if (flat || rises >= 3) fixedLambda = history[best];
                if (fixedLambda is double chosen) lambda = chosen;
            }
            bool settled = fixedLambda is not null;
            if (!gcv)
            {
                // The discrepancy principle and the L-curve re-choose λ at every step; they have settled when it stops moving
                // (the discrepancy principle also needs the projected residual able to reach its target).
                settled = Math.Abs(lambda - previous) <= options.Tolerance * Math.Max(previous, double.Epsilon);
                if (options.Rule == ParameterRule.Discrepancy) settled &= spectrum.DiscrepancyLambda(target) is not null;
            }
            candidate = new Candidate(k, lambda, spectrum, ProjectedProblem.Solve(gk.Alphas, gk.Betas, k, lambda), settled);
        }
        if (candidate is null)
        {
            // b = 0, or Aᵀb = 0: x = 0 is the solution for every λ.
            x.Clear();
            return new HybridLsqrResult(status == SolverStatus.Cancelled ? status : SolverStatus.Converged, gk.Steps, 0, options.Rule, 0, gk.Beta1, sigma, history)
                { GcvWeight = options.Rule == ParameterRule.WeightedGcv ? weight : null };
        }
        var final = candidate;
        gk.Combine(final.Y, x);
        double residual = Math.Sqrt(final.Spectrum.ResidualSquared(final.Lambda));
        double criterion = options.Rule switch
        {
            ParameterRule.Gcv => final.Spectrum.Gcv(final.Lambda),
            ParameterRule.WeightedGcv => final.Spectrum.Gcv(final.Lambda, weight),
            ParameterRule.Discrepancy => residual / ((sigma ?? double.NaN) * Math.Sqrt(a.RowCount)),
            _ => final.Spectrum.Curvature(final.Lambda),
        };
        return new HybridLsqrResult(status, final.Steps, final.Lambda, options.Rule, criterion, residual, sigma, history)
            { GcvWeight = options.Rule == ParameterRule.WeightedGcv ? weight : null };
    }

    /// <summary>Step k's choice: λ_k, the projected spectrum, y_k (x_k = V_k·y_k), and whether the rule has settled.</summary>
    private sealed record Candidate(int Steps, double Lambda, TikhonovSpectrum Spectrum, double[] Y, bool RuleSettled);

    /// <summary>λ_k by the rule; the discrepancy principle keeps the previous λ (or 0) while the projected residual cannot yet reach its target.</summary>
    private static double Choose(TikhonovSpectrum spectrum, ParameterRule rule, double weight, double target, double previous) => rule switch
    {
        ParameterRule.Gcv => spectrum.GcvLambda(),
        ParameterRule.WeightedGcv => spectrum.GcvLambda(weight),
        ParameterRule.Discrepancy => spectrum.DiscrepancyLambda(target) ?? previous,
        _ => spectrum.LCurveLambda(),
    };
}
