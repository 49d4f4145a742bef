using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// The Tikhonov family <c>x_λ = argmin ‖A·x − b‖² + λ‖x‖²</c> of a problem written in the SVD of A: singular values
/// σ_i, the data's coefficients c_i = u_iᵀb, and ‖b‖² − Σc_i² (the part of b outside A's range). Every parameter-choice
/// rule reads the curves below from it, in O(rank) per λ; for a hybrid method A is the projected bidiagonal B_k.
/// </summary>
/// <remarks>
/// With filter factors f_i = σ_i²/(σ_i² + λ): ‖A·x_λ − b‖² = Σ(1 − f_i)²c_i² + ‖b_⊥‖², ‖x_λ‖² = Σ(f_i·c_i/σ_i)², and
/// trace(I − A·A_λ^†) = m − Σf_i (m the rows of A). GCV (Golub, Heath &amp; Wahba 1979) is ‖A·x_λ − b‖²/(m − ω·Σf_i)²
/// (ω = 1; ω ≠ 1 is the weighted GCV of Chung, Nagy &amp; O'Leary 2008). The L-curve (Hansen) is
/// (log‖A·x_λ − b‖, log‖x_λ‖); its corner is the point of largest curvature.
/// </remarks>
public sealed class TikhonovSpectrum
{
    private readonly double[] sigma, coefficient;

    /// <param name="singularValues">σ_i &gt; 0 (zeros are dropped: they carry no solution).</param>
    /// <param name="coefficients">c_i = u_iᵀb, one per singular value.</param>
    /// <param name="outsideRange">‖b‖² − Σc_i², ≥ 0: what no x can fit.</param>
    /// <param name="rows">m, the rows of A (GCV's trace).</param>
    /// <exception cref="ArgumentException">The lengths differ, or a value is negative or not finite.</exception>
    public TikhonovSpectrum(ReadOnlySpan<double> singularValues, ReadOnlySpan<double> coefficients, double outsideRange, int rows)
    {
        if (singularValues.Length != coefficients.Length)
            throw new ArgumentException($"{singularValues.Length} singular values but {coefficients.Length} coefficients", nameof(coefficients));
        if (!(outsideRange >= 0) || !double.IsFinite(outsideRange)) throw new ArgumentException($"outsideRange is {outsideRange}; it must be a finite number ≥ 0", nameof(outsideRange));
        var s = new List<double>();
        var c = new List<double>();
        for (int i = 0; i < singularValues.Length; i++)
        {
            if (!(singularValues[i] >= 0) || !double.IsFinite(singularValues[i]) || !double.IsFinite(coefficients[i]))
                throw new ArgumentException($"singular value {i} is {singularValues[i]} with coefficient {coefficients[i]}; both must be finite, σ ≥ 0", nameof(singularValues));
            if (singularValues[i] > 0) { s.Add(singularValues[i]); c.Add(coefficients[i]); }
            else outsideRange += coefficients[i] * coefficients[i];
        }
        sigma = [.. s];
        coefficient = [.. c];
        OutsideRange = outsideRange;
        Rows = rows;
    }

    /// <summary>The spectrum of a dense A and b, by MathNet's SVD: for small problems and for checking the others.</summary>
    public static TikhonovSpectrum Of(Matrix<double> a, ReadOnlySpan<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        Check.SpanLength(b.Length, a.RowCount, nameof(b));
        var svd = a.Svd(computeVectors: true);
        int r = Math.Min(a.RowCount, a.ColumnCount);
        var c = new double[r];
        double total = VectorMath.Dot(b, b), inside = 0;
        for (int i = 0; i < r; i++)
        {
            double ci = 0;
            for (int row = 0; row < a.RowCount; row++) ci += svd.U[row, i] * b[row];
            c[i] = ci;
            inside += ci * ci;
        }
        return new TikhonovSpectrum(svd.S.ToArray(), c, Math.Max(0, total - inside), a.RowCount);
    }

    /// <summary>σ_i, positive.</summary>
    public IReadOnlyList<double> SingularValues => sigma;

    /// <summary>c_i = u_iᵀb.</summary>
    public IReadOnlyList<double> Coefficients => coefficient;

    /// <summary>‖b‖² − Σc_i².</summary>
    public double OutsideRange { get; }

    /// <summary>m.</summary>
    public int Rows { get; }

    /// <summary>‖A·x_λ − b‖².</summary>
    public double ResidualSquared(double lambda)
    {
        double sum = OutsideRange;
        for (int i = 0; i < sigma.Length; i++)
        {
            double g = lambda / (sigma[i] * sigma[i] + lambda);
            sum += g * g * coefficient[i] * coefficient[i];
        }
        return sum;
    }

    /// <summary>‖x_λ‖².</summary>
    public double SolutionNormSquared(double lambda)
    {
        double sum = 0;
        for (int i = 0; i < sigma.Length; i++)
        {
            double t = sigma[i] * coefficient[i] / (sigma[i] * sigma[i] + lambda);
            sum += t * t;
        }
        return sum;
    }

    /// <summary>Σ f_i, the effective number of parameters the solution fits.</summary>
    public double FilterSum(double lambda)
    {
        double sum = 0;
        foreach (var s in sigma) sum += s * s / (s * s + lambda);
        return sum;
    }

    /// <summary>The (weighted) GCV function ‖A·x_λ − b‖² / (m − ω·Σf_i)².</summary>
    public double Gcv(double lambda, double weight = 1)
    {
        double d = Rows - weight * FilterSum(lambda);
        return ResidualSquared(lambda) / (d * d);
    }

    /// <summary>
    /// The weight ω of weighted GCV that makes λ = σ_min² a stationary point of the weighted GCV function (Chung, Nagy &amp;
    /// O'Leary 2008, as IR Tools' and HyBR's <c>findomega</c>): on a projected problem the smallest singular value of B_k
    /// is a proxy for the best λ, and the ω that puts the minimum there is what the method learns from step k.
    /// </summary>
    /// <remarks>With μ = σ_min, t_i = 1/(σ_i² + μ²): ω = m·μ²·Σ(c_iσ_i)²t_i³ / (Σσ_i²t_i · Σ(c_iμσ_i)²t_i³ + Σ(σ_it_i)² · (Σ(μ²c_it_i)² + ‖b_⊥‖²)),
    /// the root in ω of d/dμ [‖r_μ‖²/(m − ω·Σf_i)²] at μ = σ_min. Positive; callers clip it to 1. 1 when there is no singular value.</remarks>
    public double AdaptiveGcvWeight()
    {
        if (sigma.Length == 0) return 1;
        double mu2 = sigma.Min() * sigma.Min();
        double filterSum = 0, t3 = 0, t4 = 0, t5 = 0, v2 = 0;
        for (int i = 0; i < sigma.Length; i++)
        {
            double s2 = sigma[i] * sigma[i], t = 1 / (s2 + mu2), c2 = coefficient[i] * coefficient[i];
            filterSum += s2 * t;
            t3 += c2 * mu2 * s2 * t * t * t;
            t4 += s2 * t * t;
            t5 += mu2 * mu2 * c2 * t * t;
            v2 += c2 * s2 * t * t * t;
        }
        return Rows * mu2 * v2 / (filterSum * t3 + t4 * (t5 + OutsideRange));
    }

    /// <summary>y_λ's coefficients in the right singular basis: f_i·c_i/σ_i.</summary>
    public double[] SolutionCoefficients(double lambda)
    {
        var y = new double[sigma.Length];
        for (int i = 0; i < y.Length; i++) y[i] = sigma[i] * coefficient[i] / (sigma[i] * sigma[i] + lambda);
        return y;
    }

    /// <summary>
    /// The signed curvature of the L-curve (log‖A·x_λ − b‖, log‖x_λ‖) at λ, positive where the curve bends like the
    /// corner of an L; from the first and second derivatives of both logarithms in μ = √λ, as Hansen's lcfun computes them.
    /// </summary>
    public double Curvature(double lambda)
    {
        double mu = Math.Sqrt(lambda);
        double eta2 = 0, rho2 = OutsideRange, phi = 0, psi = 0, dphi = 0, dpsi = 0;
        for (int i = 0; i < sigma.Length; i++)
        {
            double s2 = sigma[i] * sigma[i], f = s2 / (s2 + lambda), cf = 1 - f;
            double xi2 = coefficient[i] * coefficient[i] / s2, beta2 = coefficient[i] * coefficient[i];
            // df/dμ and d²f/dμ² of f = σ²/(σ² + μ²).
            double f1 = -2 * f * cf / mu, f2 = -f1 * (3 - 4 * f) / mu;
            eta2 += f * f * xi2;
            rho2 += cf * cf * beta2;
            phi += f * f1 * xi2;
            psi += cf * f1 * beta2;
            dphi += (f1 * f1 + f * f2) * xi2;
            dpsi += (-f1 * f1 + cf * f2) * beta2;
        }
        if (eta2 == 0 || rho2 == 0 || mu == 0) return 0;
        double eta = Math.Sqrt(eta2), rho = Math.Sqrt(rho2);
        double deta = phi / eta, drho = -psi / rho;
        double ddeta = dphi / eta - deta * deta / eta, ddrho = -dpsi / rho - drho * drho / rho;
        double dlogEta = deta / eta, dlogRho = drho / rho;
        double ddlogEta = ddeta / eta - dlogEta * dlogEta, ddlogRho = ddrho / rho - dlogRho * dlogRho;
        return (dlogRho * ddlogEta - ddlogRho * dlogEta) / Math.Pow(dlogRho * dlogRho + dlogEta * dlogEta, 1.5);
    }

    /// <summary>The λ where ‖A·x_λ − b‖ = <paramref name="target"/>, or null when no λ ≥ 0 reaches it (‖b_⊥‖ already exceeds it, or ‖b‖ does not).</summary>
    public double? DiscrepancyLambda(double target)
    {
        double t2 = target * target;
        if (OutsideRange >= t2) return null;
        if (ResidualSquared(double.MaxValue) <= t2) return null;
        // The residual grows monotonically in λ: bisection on log λ between a λ far below and far above the spectrum.
        double lo = Math.Log(Lowest()), hi = Math.Log(Highest());
        if (ResidualSquared(Math.Exp(lo)) > t2) return Math.Exp(lo);
        for (int it = 0; it < 200 && hi - lo > 1e-13; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (ResidualSquared(Math.Exp(mid)) < t2) lo = mid; else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }

    /// <summary>The λ minimising the (weighted) GCV function over [σ_min²·1e-6, σ_max²·1e6]: a logarithmic grid, then golden section around its best point.</summary>
    public double GcvLambda(double weight = 1) => Minimise(l => Gcv(l, weight));

    /// <summary>
    /// The λ of largest L-curve curvature (the corner), over μ = √λ from max(σ_min, 16·ε·σ_max) to σ_max as Hansen's
    /// l_curve/l_corner search it: below σ_min² the solution norm saturates at ‖A⁺b‖ and the curve bends a second time,
    /// a corner that is no regularisation at all.
    /// </summary>
    public double LCurveLambda()
    {
        if (sigma.Length == 0) return Minimise(l => -Curvature(l));
        // 16·ε with ε the machine epsilon (double.Epsilon is the smallest subnormal, not that).
        double top = sigma.Max(), bottom = Math.Max(sigma.Min(), 16 * 2.220446049250313e-16 * top);
        return Minimise(l => -Curvature(l), bottom * bottom, top * top);
    }

    private double Lowest() => sigma.Length == 0 ? 1e-300 : Math.Max(1e-300, sigma.Min() * sigma.Min() * 1e-6);

    private double Highest() => sigma.Length == 0 ? 1 : sigma.Max() * sigma.Max() * 1e6;

    private double Minimise(Func<double, double> f) => Minimise(f, Lowest(), Highest());

    private static double Minimise(Func<double, double> f, double from, double to)
    {
        const int Grid = 200;
        double lo = Math.Log(from), hi = Math.Log(to), step = (hi - lo) / Grid;
        int best = 0;
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i <= Grid; i++)
        {
            double value = f(Math.Exp(lo + i * step));
            if (value < bestValue) (best, bestValue) = (i, value);
        }
        double a = lo + Math.Max(0, best - 1) * step, b = lo + Math.Min(Grid, best + 1) * step;
        double g = (Math.Sqrt(5) - 1) / 2, c = b - g * (b - a), d = a + g * (b - a);
        double fc = f(Math.Exp(c)), fd = f(Math.Exp(d));
        for (int it = 0; it < 100 && b - a > 1e-10; it++)
        {
            if (fc < fd) { (b, d, fd) = (d, c, fc); c = b - g * (b - a); fc = f(Math.Exp(c)); }
            else { (a, c, fc) = (c, d, fd); d = a + g * (b - a); fd = f(Math.Exp(d)); }
        }
        return Math.Exp(0.5 * (a + b));
    }
}
