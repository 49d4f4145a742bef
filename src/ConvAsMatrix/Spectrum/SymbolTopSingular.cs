using System.Numerics;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The top right singular pair of one frequency's symbol P(f) (m × c complex) by Lanczos on PᴴP, applied as Pᴴ·(P·v)
/// (<see cref="HermitianLanczos"/>): O(m·c) a step, where MathNet's dense complex SVD of a 512 × 512 symbol took seconds.
/// Only for start vectors and for ranking aliases, never for a bound.
/// </summary>
internal static class SymbolTopSingular
{
    /// <summary>Ritz residual ‖PᴴP·x − θx‖ ≤ 1e-12·θ, or the steps run out (the vector is then still the best Ritz vector).</summary>
    private const double Tolerance = 1e-12;

    /// <summary>σ_max(P) from below and its right singular vector (unit).</summary>
    public static (double Sigma, Complex[] Right) Of(Complex[,] p)
    {
        int m = p.GetLength(0), c = p.GetLength(1);
        var pr = new double[m * c];
        var pi = new double[m * c];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < c; j++) (pr[i * c + j], pi[i * c + j]) = (p[i, j].Real, p[i, j].Imaginary);
        var yr = new double[m];
        var yi = new double[m];
        var run = HermitianLanczos.Run((vr, vi, wr, wi) =>
        {
            for (int i = 0; i < m; i++)
            {
                var rowR = pr.AsSpan(i * c, c);
                var rowI = pi.AsSpan(i * c, c);
                var (a, b) = DenseVectorLoops.Dot2(rowR, rowI, vr);
                var (d, e) = DenseVectorLoops.Dot2(rowR, rowI, vi);
                (yr[i], yi[i]) = (a - e, d + b);   // P·v
            }
            Array.Clear(wr);
            Array.Clear(wi);
            for (int i = 0; i < m; i++)
            {
                // Pᴴ·y += conj(P_i)·y_i, row by row.
                var rowR = pr.AsSpan(i * c, c);
                var rowI = pi.AsSpan(i * c, c);
                DenseVectorLoops.AddScaled(wr, yr[i], rowR);
                DenseVectorLoops.AddScaled(wr, yi[i], rowI);
                DenseVectorLoops.AddScaled(wi, yi[i], rowR);
                DenseVectorLoops.AddScaled(wi, -yr[i], rowI);
            }
        }, c, Tolerance, vector: true);
        var u = new Complex[c];
        double norm = 0;
        for (int j = 0; j < c; j++) norm += run.Re[j] * run.Re[j] + run.Im[j] * run.Im[j];
        norm = Math.Sqrt(norm);
        for (int j = 0; j < c; j++) u[j] = norm > 0 ? new Complex(run.Re[j] / norm, run.Im[j] / norm) : Complex.Zero;
        return (Math.Sqrt(Math.Max(0, run.Theta)), u);
    }
}
