namespace ConvAsMatrix.Solvers;

/// <summary>
/// The small problem of a hybrid method after k Golub–Kahan steps, <c>min ‖B_k·y − β₁e₁‖² + λ‖y‖²</c> with B_k the
/// (k + 1) × k lower bidiagonal of α₁…α_k and β₂…β_{k+1}, in O(k²) and O(k) per step instead of a dense SVD's O(k³):
/// <see cref="Spectrum"/> for choosing λ, <see cref="Solve"/> for y at the chosen λ.
/// </summary>
internal static class ProjectedProblem
{
    /// <summary>
    /// Singular values of B_k and the data's coefficients c_i = β₁·p_i[0] (p_i the left singular vectors), from the eigenvalues
    /// σ_i² of the tridiagonal T = B_kᵀB_k and the first components z_i[0] of its eigenvectors (implicit QL, accumulating only
    /// the first row of the eigenvector matrix, O(k²)): p_i = B_k·z_i/σ_i, so p_i[0] = α₁·z_i[0]/σ_i.
    /// </summary>
    /// <remarks>
    /// Squaring B_k costs accuracy only in σ_i² below about 1e-13·σ_max², which are taken as 0: their directions count as
    /// outside the range (‖β₁e₁‖² − Σc_i²), exactly what the filter 1 − f_i ≈ 1 makes of them for every λ that matters. Every
    /// function the rules use (residual, solution norm, Σf_i) depends on a cluster of nearly equal σ_i only through its
    /// invariant subspace, which QL computes accurately even where single eigenvectors are not.
    /// </remarks>
    public static TikhonovSpectrum Spectrum(IReadOnlyList<double> alphas, IReadOnlyList<double> betas, int k, int rows)
    {
        var d = new double[k];
        var e = new double[k];
        for (int i = 0; i < k; i++)
        {
            d[i] = alphas[i] * alphas[i] + betas[i + 1] * betas[i + 1];
            if (i + 1 < k) e[i] = alphas[i + 1] * betas[i + 1];
        }
        var z = new double[k];
        z[0] = 1;
        EigenvaluesAndFirstRow(d, e, z);
        double beta1 = betas[0], top = d.Max(), inside = 0;
        var sigma = new List<double>(k);
        var c = new List<double>(k);
        for (int i = 0; i < k; i++)
        {
            if (!(d[i] > 1e-13 * top)) continue;
            double s = Math.Sqrt(d[i]), ci = beta1 * alphas[0] * z[i] / s;
            sigma.Add(s);
            c.Add(ci);
            inside += ci * ci;
        }
        return new TikhonovSpectrum([.. sigma], [.. c], Math.Max(0, beta1 * beta1 - inside), rows);
    }

    /// <summary>
    /// y = argmin ‖B_k·y − β₁e₁‖² + λ‖y‖², by the plane rotations of damped LSQR (Paige &amp; Saunders 1982, §4): QR of
    /// [B_k; √λ·I] into an upper bidiagonal R (diagonal ρ_i, superdiagonal θ_i) and the rotated right-hand side φ, then
    /// back substitution; O(k), and as stable as LSQR itself (κ(B_k) rather than κ(B_kᵀB_k)).
    /// </summary>
    public static double[] Solve(IReadOnlyList<double> alphas, IReadOnlyList<double> betas, int k, double lambda)
    {
        double damp = Math.Sqrt(lambda), rhoBar = alphas[0], phiBar = betas[0];
        var rho = new double[k];
        var theta = new double[k];
        var phi = new double[k];
        for (int i = 0; i < k; i++)
        {
            // Eliminate the damping row of column i, then β_{i+1} below the diagonal.
            double rhoBar1 = Hypot(rhoBar, damp), cs1 = rhoBar1 == 0 ? 1 : rhoBar / rhoBar1;
            phiBar *= cs1;
            double beta = betas[i + 1], r = Hypot(rhoBar1, beta);
            double cs = r == 0 ? 1 : rhoBar1 / r, sn = r == 0 ? 0 : beta / r;
            double nextAlpha = i + 1 < k ? alphas[i + 1] : 0;
            rho[i] = r;
            theta[i] = sn * nextAlpha;
            rhoBar = -cs * nextAlpha;
            phi[i] = cs * phiBar;
            phiBar = sn * phiBar;
        }
        var y = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            double t = phi[i] - (i + 1 < k ? theta[i] * y[i + 1] : 0);
            y[i] = rho[i] == 0 ? 0 : t / rho[i];
        }
        return y;
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b), big = Math.Max(x, y);
        if (big == 0) return 0;
        double small = Math.Min(x, y) / big;
        return big * Math.Sqrt(1 + small * small);
    }

    /// <summary>
    /// The eigenvalues of the symmetric tridiagonal (d, e) by implicit QL with Wilkinson shifts (tql2 of EISPACK, as in
    /// Numerical Recipes' tqli), applying every rotation to the row vector <paramref name="z"/> only: started from e₁ᵀ, z ends
    /// as the first row of the eigenvector matrix. d receives the eigenvalues (unsorted), e is destroyed.
    /// </summary>
    private static void EigenvaluesAndFirstRow(double[] d, double[] e, double[] z)
    {
        int n = d.Length;
        for (int l = 0; l < n; l++)
        {
            int iterations = 0, m;
            do
            {
                for (m = l; m < n - 1; m++)
                {
                    double dd = Math.Abs(d[m]) + Math.Abs(d[m + 1]);
                    if (e[m] == 0 || Math.Abs(e[m]) <= 1.1e-16 * dd) break;
                }
                if (m == l) break;
                if (iterations++ == 100) throw new InvalidOperationException($"the projected eigenproblem did not converge at {l} of {n}");
                double g = (d[l + 1] - d[l]) / (2 * e[l]), r = Hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
                double s = 1, c = 1, p = 0;
                int i;
                bool underflow = false;
                for (i = m - 1; i >= l; i--)
                {
                    double f = s * e[i], b = c * e[i];
                    e[i + 1] = r = Hypot(f, g);
                    if (r == 0)
                    {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                    double zf = z[i + 1];
                    z[i + 1] = s * z[i] + c * zf;
                    z[i] = c * z[i] - s * zf;
                }
                if (underflow) continue;
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
            while (m != l);
        }
    }
}
