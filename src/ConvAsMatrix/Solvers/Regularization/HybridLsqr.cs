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
/// <para>Stopping: the discrepancy principle stops when the projected residual can reach τ·σ·√m and λ has settled
/// (relative change below <see cref="HybridLsqrOptions.Tolerance"/>); GCV and weighted GCV when λ and the GCV value
/// have settled, or after the GCV value has risen for three steps (the step of its minimum is then used); the L-curve
/// when λ has settled for two steps.</para>
/// </remarks>
public static class HybridLsqr
{
    /// <summary>Solves min ‖A·x − b‖² + λ‖x‖² with λ chosen by <see cref="HybridLsqrOptions.Rule"/>.</summary>
    /// <param name="a">A (for deconvolution, V).</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Receives the solution, length A.ColumnCount.</param>
    /// <param name="options">The rule and its settings; null for weighted GCV.</param>
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
        var gcvHistory = new List<double>();
        var status = SolverStatus.IterationLimit;
        (int Steps, double Lambda, TikhonovSpectrum Spectrum, Matrix<double> Q)? best = null;
        int rises = 0, settled = 0;
        for (int k = 1; k <= options.MaxIterations; k++)
        {
            if (options.CancellationToken.IsCancellationRequested) { status = SolverStatus.Cancelled; break; }
            if (!gk.Step()) { status = SolverStatus.Converged; break; }
            var (spectrum, q) = Projected(gk);
            double lambda = Choose(spectrum, options, target, history.Count > 0 ? history[^1] : 0);
            double previous = history.Count > 0 ? history[^1] : double.NaN;
            history.Add(lambda);
            bool lambdaSettled = Math.Abs(lambda - previous) <= options.Tolerance * Math.Max(previous, double.Epsilon);
            switch (options.Rule)
            {
                case ParameterRule.Gcv or ParameterRule.WeightedGcv:
                    double g = spectrum.Gcv(lambda, options.Rule == ParameterRule.Gcv ? 1 : options.GcvWeight);
                    // The projected GCV's scale changes with k; its relative change is what settles.
                    bool valueSettled = gcvHistory.Count > 0 && Math.Abs(g - gcvHistory[^1]) <= options.Tolerance * gcvHistory[^1];
                    rises = gcvHistory.Count > 0 && g > gcvHistory[^1] ? rises + 1 : 0;
                    if (best is null || gcvHistory.Count == 0 || g <= gcvHistory.Min()) best = (k, lambda, spectrum, q);
                    gcvHistory.Add(g);
                    if (lambdaSettled && valueSettled) { best = (k, lambda, spectrum, q); status = SolverStatus.Converged; }
                    else if (rises >= 3) status = SolverStatus.Converged;
                    break;
                case ParameterRule.Discrepancy:
                    best = (k, lambda, spectrum, q);
                    if (spectrum.DiscrepancyLambda(target) is not null && lambdaSettled) status = SolverStatus.Converged;
                    break;
                default:
                    best = (k, lambda, spectrum, q);
                    settled = lambdaSettled ? settled + 1 : 0;
                    if (settled >= 2) status = SolverStatus.Converged;
                    break;
            }
            if (status == SolverStatus.Converged) break;
        }
        if (best is null)
        {
            // b = 0, or A·Aᵀb = 0: x = 0 is the solution for every λ.
            x.Clear();
            return new HybridLsqrResult(status == SolverStatus.Cancelled ? status : SolverStatus.Converged, gk.Steps, 0, options.Rule, 0, gk.Beta1, sigma, history);
        }
        var (steps, final, finalSpectrum, basis) = best.Value;
        var coefficients = finalSpectrum.SolutionCoefficients(final);
        var y = basis.SubMatrix(0, steps, 0, coefficients.Length) * Vector<double>.Build.DenseOfArray(coefficients);
        gk.Combine(y.ToArray(), x);
        double residual = Math.Sqrt(finalSpectrum.ResidualSquared(final));
        double criterion = options.Rule switch
        {
            ParameterRule.Gcv => finalSpectrum.Gcv(final),
            ParameterRule.WeightedGcv => finalSpectrum.Gcv(final, options.GcvWeight),
            ParameterRule.Discrepancy => residual / ((sigma ?? double.NaN) * Math.Sqrt(a.RowCount)),
            _ => finalSpectrum.Curvature(final),
        };
        return new HybridLsqrResult(status, steps, final, options.Rule, criterion, residual, sigma, history);
    }

    /// <summary>The projected problem's spectrum: B_k's SVD, c = β₁·(first row of P), the rest of β₁e₁ outside B_k's range; and Q, whose columns map y's singular coefficients back.</summary>
    private static (TikhonovSpectrum Spectrum, Matrix<double> Q) Projected(GolubKahan gk)
    {
        int k = gk.Steps;
        var bk = Matrix<double>.Build.Dense(k + 1, k);
        for (int i = 0; i < k; i++)
        {
            bk[i, i] = gk.Alphas[i];
            bk[i + 1, i] = gk.Betas[i + 1];
        }
        var svd = bk.Svd(computeVectors: true);
        var c = new double[k];
        double beta1 = gk.Beta1, inside = 0;
        for (int i = 0; i < k; i++)
        {
            c[i] = beta1 * svd.U[0, i];
            inside += c[i] * c[i];
        }
        // Σ over all k + 1 left vectors of (β₁·P[0, i])² is β₁²: the last one is what B_k cannot fit.
        double outside = Math.Max(0, beta1 * beta1 - inside);
        return (new TikhonovSpectrum(svd.S.ToArray(), c, outside, k + 1), svd.VT.Transpose());
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
