using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Hybrid LSQR (O'Leary &amp; Simmons 1981; Chung, Nagy &amp; O'Leary 2008; IR Tools' IRhybrid_lsqr): Golub–Kahan
/// bidiagonalisation of A from b, with Tikhonov regularisation of the small projected problem
/// <c>min ‖B_k·y − β₁e₁‖² + λ‖y‖²</c> at every step, λ re-chosen there by a <see cref="ParameterRule"/>, and x = V_k·y.
/// It needs only products with A and Aᵀ, so it runs on the structured V at real image sizes, and it chooses λ itself.
/// </summary>
/// <remarks>
/// <para>Because U_{k+1} and V_k are orthonormal (kept so by reorthogonalisation, <see cref="GolubKahan"/>),
/// ‖A·x − b‖ = ‖B_k·y − β₁e₁‖ and ‖x‖ = ‖y‖: every rule is evaluated exactly on the (k + 1) × k problem, by its SVD
/// (<see cref="TikhonovSpectrum"/>). Once the Krylov space holds the solution's significant components, x_k equals the
/// full Tikhonov solution with the same λ.</para>
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
    /// <param name="options">The rule and its settings; null for GCV.</param>
    /// <param name="noiseShape">The spatial shape of b's signals, for estimating σ when the discrepancy principle has none (<see cref="NoiseEstimate.Haar"/>); null when σ is given.</param>
    /// <exception cref="ArgumentException">A length disagrees with A, b holds NaN or ∞, an option is out of range, or the discrepancy principle has neither σ nor a shape to estimate it.</exception>
    public static HybridLsqrResult Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, HybridLsqrOptions? options = null, ReadOnlySpan<int> noiseShape = default)
    {
        ArgumentNullException.ThrowIfNull(a);
        options ??= new HybridLsqrOptions();
        options.Validate();
        Check.SpanLength(b.Length, a.RowCount, nameof(b));
        Check.SpanLength(x.Length, a.ColumnCount, nameof(x));
        foreach (var v in b) if (!double.IsFinite(v)) throw new ArgumentException($"b holds {v}; the data must be finite", nameof(b));
        double? sigma = options.Rule == ParameterRule.Discrepancy
            ? options.NoiseSigma ?? (noiseShape.IsEmpty
                ? throw new ArgumentException("the discrepancy principle needs the noise level: give NoiseSigma, or the data's shape to estimate it from", nameof(options))
                : NoiseEstimate.Haar(b, noiseShape))
            : options.NoiseSigma;
        double target = options.Safety * (sigma ?? 0) * Math.Sqrt(a.RowCount);

        var gk = new GolubKahan(a, b);
        var history = new List<double>();
        var status = SolverStatus.IterationLimit;
        Candidate? candidate = null;
        // Phase 1 chooses λ by the rule; once it has (fixedLambda), phase 2 keeps it and runs on until x_k is within
        // SolutionTolerance of the full Tikhonov solution with that λ.
        double? fixedLambda = null;
        var fullGcv = new List<double>();
        int rises = 0;
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
            bool gcv = options.Rule is ParameterRule.Gcv or ParameterRule.WeightedGcv;
            // GCV chooses λ on the projected problem with its own trace (k + 1); the iterations are judged by the full problem's (m).
            var (spectrum, q) = Projected(gk, gcv ? k + 1 : a.RowCount);
            double lambda = fixedLambda ?? Choose(spectrum, options, target, history.Count > 0 ? history[^1] : 0);
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
            var coefficients = spectrum.SolutionCoefficients(lambda);
            var y = (q.SubMatrix(0, k, 0, coefficients.Length) * Vector<double>.Build.DenseOfArray(coefficients)).ToArray();
            candidate = new Candidate(k, lambda, spectrum, y, settled);
        }
        if (candidate is null)
        {
            // b = 0, or Aᵀb = 0: x = 0 is the solution for every λ.
            x.Clear();
            return new HybridLsqrResult(status == SolverStatus.Cancelled ? status : SolverStatus.Converged, gk.Steps, 0, options.Rule, 0, gk.Beta1, sigma, history);
        }
        var final = candidate;
        gk.Combine(final.Y, x);
        double residual = Math.Sqrt(final.Spectrum.ResidualSquared(final.Lambda));
        double criterion = options.Rule switch
        {
            ParameterRule.Gcv => final.Spectrum.Gcv(final.Lambda),
            ParameterRule.WeightedGcv => final.Spectrum.Gcv(final.Lambda, options.GcvWeight),
            ParameterRule.Discrepancy => residual / ((sigma ?? double.NaN) * Math.Sqrt(a.RowCount)),
            _ => final.Spectrum.Curvature(final.Lambda),
        };
        return new HybridLsqrResult(status, final.Steps, final.Lambda, options.Rule, criterion, residual, sigma, history);
    }

    /// <summary>Step k's choice: λ_k, the projected spectrum, y_k (x_k = V_k·y_k), and whether the rule has settled.</summary>
    private sealed record Candidate(int Steps, double Lambda, TikhonovSpectrum Spectrum, double[] Y, bool RuleSettled);

    /// <summary>The projected problem's spectrum: B_k's SVD, c = β₁·(first row of P), the rest of β₁e₁ outside B_k's range; and Q, whose columns map y's singular coefficients back.</summary>
    private static (TikhonovSpectrum Spectrum, Matrix<double> Q) Projected(GolubKahan gk, int rows)
    {
        int k = gk.Steps;
        var svd = gk.Bidiagonal().Svd(computeVectors: true);
        var c = new double[k];
        double beta1 = gk.Beta1, inside = 0;
        for (int i = 0; i < k; i++)
        {
            c[i] = beta1 * svd.U[0, i];
            inside += c[i] * c[i];
        }
        // Σ over all k + 1 left vectors of (β₁·P[0, i])² is β₁²: the last one is what B_k cannot fit.
        double outside = Math.Max(0, beta1 * beta1 - inside);
        return (new TikhonovSpectrum(svd.S.ToArray(), c, outside, rows), svd.VT.Transpose());
    }

    /// <summary>λ_k by the rule; the discrepancy principle keeps the previous λ (or 0) while the projected residual cannot yet reach its target.</summary>
    private static double Choose(TikhonovSpectrum spectrum, HybridLsqrOptions options, double target, double previous) => options.Rule switch
    {
        ParameterRule.Gcv => spectrum.GcvLambda(),
        ParameterRule.WeightedGcv => spectrum.GcvLambda(options.GcvWeight),
        ParameterRule.Discrepancy => spectrum.DiscrepancyLambda(target) ?? previous,
        _ => spectrum.LCurveLambda(),
    };
}
