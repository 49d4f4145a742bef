using System.Numerics;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The start vector of the lower bound: the circular operator's top right singular vector — a plane wave at the
/// peak frequency carrying the top right singular vector of P(f) on its channels — optionally under a sine window.
/// </summary>
/// <remarks>
/// <para>For C_N, x[c, i] = u_c·e^{i θ·i} (θ_d = 2π f_d / N_d) gives C_N·x = e^{i θ·o}·P(f)·u, so with u the top right
/// singular vector of P(f) it attains ‖C_N‖. A real weight makes the real part (the sum of the f and −f waves) a real
/// singular vector too; u is rotated so that its largest entry is real, which keeps the real part away from zero
/// when f = −f (P(f) real).</para>
/// <para>V is C_N restricted to a window of the grid. A plane wave cut off sharply at the window's edge loses
/// O(1/n) of its Rayleigh quotient; under the sine window ∏_d sin(π(i_d + 1)/(n_d + 1)), the discrete Dirichlet
/// ground state, the loss is O(1/n²) — near the peak σ(θ)² ≈ σ*² − (θ − θ*)ᵀK(θ − θ*), and the window's
/// spectrum has spread π/(n + 1) per dimension. A few power steps then take it further.</para>
/// </remarks>
internal static class PlaneWave
{
    public static double[] Create(ReadOnlySpan<double> weight, ConvGeometry g, int[] grid, int group, int[] f, bool window)
    {
        var u = TopRightSingularVector(FrequencyGram.Symbol(weight, g, group, grid, f[0], f[1], f[2]));
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        int spatial = n[0] * n[1] * n[2], cig = g.InChannels / g.Groups;
        var wave = new Complex[spatial];
        for (int i0 = 0, at = 0; i0 < n[0]; i0++)
            for (int i1 = 0; i1 < n[1]; i1++)
                for (int i2 = 0; i2 < n[2]; i2++, at++)
                {
                    double angle = 2 * Math.PI * (Fraction(f[0], i0, grid[0]) + Fraction(f[1], i1, grid[1]) + Fraction(f[2], i2, grid[2]));
                    double amplitude = window ? Window(i0, n[0]) * Window(i1, n[1]) * Window(i2, n[2]) : 1;
                    wave[at] = Complex.FromPolarCoordinates(amplitude, angle);
                }
        var x = new double[g.InputLength];
        for (int c = 0; c < cig; c++)
        {
            var uc = u[c];
            var row = x.AsSpan((group * cig + c) * spatial, spatial);
            for (int i = 0; i < spatial; i++) row[i] = (uc * wave[i]).Real;
        }
        return x;
    }

    private static double Fraction(int f, int i, int n) => (double)((long)f * i % n) / n;

    private static double Window(int i, int n) => n == 1 ? 1 : Math.Sin(Math.PI * (i + 1) / (n + 1));

    /// <summary>The right singular vector of σ_max(P) (by Lanczos, <see cref="SymbolTopSingular"/>), with its largest entry rotated to the positive real axis.</summary>
    private static Complex[] TopRightSingularVector(Complex[,] p)
    {
        var u = SymbolTopSingular.Of(p).Right;
        var largest = u.MaxBy(z => z.Magnitude);
        if (largest.Magnitude > 0)
        {
            var rotation = Complex.Conjugate(largest) / largest.Magnitude;
            for (int i = 0; i < u.Length; i++) u[i] *= rotation;
        }
        return u;
    }
}
