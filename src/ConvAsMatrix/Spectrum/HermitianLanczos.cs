using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// λ_max of a dense Hermitian H (real and imaginary parts, row-major) from below, by Lanczos with full
/// reorthogonalisation: tens of matrix-vector products (O(n²) each) in place of a dense eigen-decomposition (about 9n³).
/// </summary>
/// <remarks>
/// The Ritz values of the tridiagonal T_k = V_kᴴ·H·V_k interlace H's eigenvalues, so the top one is at most λ_max (up to
/// the basis' loss of orthogonality, which the full reorthogonalisation keeps at round-off). It is only an estimate:
/// <see cref="CirculantSpectrum"/> certifies every frequency by a Cholesky factorisation above it, and a value that is low
/// makes a certificate fail, never a bound wrong. Stopped when the Ritz residual β_k·|s_k| (= ‖H·x − θ·x‖ for the Ritz
/// vector x) is at most the tolerance times θ: then λ_max − θ ≤ (β_k·s_k)²/gap (Kato–Temple), far below the
/// certificate's slack unless the top of the spectrum is clustered (then the caller falls back to the dense solver).
/// </remarks>
internal static class HermitianLanczos
{
    private const int MaxSteps = 96;

    /// <summary>w = H·v for a Hermitian H of order n, real and imaginary parts apart.</summary>
    public delegate void Product(double[] vr, double[] vi, double[] wr, double[] wi);

    /// <summary>The top Ritz value once its residual is at most <paramref name="tolerance"/>·θ (or the space is
    /// exhausted); null when <see cref="MaxSteps"/> steps do not get there.</summary>
    public static double? Top(double[] real, double[] imaginary, int n, double tolerance)
    {
        var run = Run((vr, vi, wr, wi) =>
        {
            for (int i = 0; i < n; i++)
            {
                var hr = real.AsSpan(i * n, n);
                var hi = imaginary.AsSpan(i * n, n);
                var (a, b) = DenseVectorLoops.Dot2(hr, hi, vr);
                var (d, e) = DenseVectorLoops.Dot2(hr, hi, vi);
                wr[i] = a - e;   // Re(H v) = Hr·vr − Hi·vi
                wi[i] = d + b;   // Im(H v) = Hr·vi + Hi·vr
            }
        }, n, tolerance, vector: false);
        return run.Settled ? run.Theta : null;
    }

    /// <summary>Lanczos on the operator <paramref name="product"/> until the top Ritz pair's residual is at most
    /// <paramref name="tolerance"/>·θ, the space is exhausted, or <see cref="MaxSteps"/> steps; the top Ritz value, whether
    /// it settled, and (when <paramref name="vector"/>) its unit Ritz vector.</summary>
    public static (double Theta, bool Settled, double[] Re, double[] Im) Run(Product product, int n, double tolerance, bool vector)
    {
        int steps = Math.Min(n, MaxSteps);
        var basisRe = new double[steps][];
        var basisIm = new double[steps][];
        var alpha = new double[steps];
        var beta = new double[steps];
        var wr = new double[n];
        var wi = new double[n];
        var vr = new double[n];
        var vi = new double[n];
        // A start with weight on every channel, as the power steps use.
        for (int i = 0; i < n; i++) (vr[i], vi[i]) = (1 + 0.1 * Math.Sin(i + 1), 0.1 * Math.Cos(3 * i + 1));
        Scale(vr, vi, 1 / Math.Sqrt(Dot(vr, vr) + Dot(vi, vi)));
        double theta = 0;
        double[] ritz = [];
        int k = 0;
        bool settled = false;
        for (; k < steps && !settled; k++)
        {
            basisRe[k] = (double[])vr.Clone();
            basisIm[k] = (double[])vi.Clone();
            product(vr, vi, wr, wi);
            alpha[k] = Dot(vr, wr) + Dot(vi, wi);
            // Full reorthogonalisation, twice (classical Gram–Schmidt: "twice is enough").
            for (int pass = 0; pass < 2; pass++)
                for (int l = 0; l <= k; l++)
                {
                    var (br, bi) = (basisRe[l], basisIm[l]);
                    double cr = Dot(br, wr) + Dot(bi, wi), ci = Dot(br, wi) - Dot(bi, wr);   // v_lᴴ·w
                    DenseVectorLoops.AddScaled(wr, -cr, br);
                    DenseVectorLoops.AddScaled(wr, ci, bi);
                    DenseVectorLoops.AddScaled(wi, -cr, bi);
                    DenseVectorLoops.AddScaled(wi, -ci, br);
                }
            double norm = Math.Sqrt(Dot(wr, wr) + Dot(wi, wi));
            beta[k] = norm;
            (theta, ritz) = TopRitz(alpha, beta, k + 1);
            settled = norm * Math.Abs(ritz[k]) <= tolerance * Math.Abs(theta) || k + 1 == n || norm == 0;
            if (norm == 0) break;
            wr.CopyTo(vr, 0);
            wi.CopyTo(vi, 0);
            Scale(vr, vi, 1 / norm);
        }
        if (!vector) return (theta, settled, [], []);
        var xr = new double[n];
        var xi = new double[n];
        for (int l = 0; l < ritz.Length; l++)
        {
            DenseVectorLoops.AddScaled(xr, ritz[l], basisRe[l]);
            DenseVectorLoops.AddScaled(xi, ritz[l], basisIm[l]);
        }
        return (theta, settled, xr, xi);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => DenseVectorLoops.Dot(a, b);

    private static void Scale(double[] re, double[] im, double s)
    {
        for (int i = 0; i < re.Length; i++) (re[i], im[i]) = (re[i] * s, im[i] * s);
    }

    /// <summary>The largest eigenvalue of the k × k tridiagonal (α, β) and its unit eigenvector.</summary>
    private static (double Theta, double[] Vector) TopRitz(double[] alpha, double[] beta, int k)
    {
        var t = Matrix<double>.Build.Dense(k, k);
        for (int i = 0; i < k; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < k) t[i, i + 1] = t[i + 1, i] = beta[i];
        }
        var evd = t.Evd(Symmetricity.Symmetric);
        int top = 0;
        for (int i = 1; i < k; i++)
            if (evd.EigenValues[i].Real > evd.EigenValues[top].Real) top = i;
        return (evd.EigenValues[top].Real, evd.EigenVectors.Column(top).ToArray());
    }
}
