using System.Collections.Concurrent;
using System.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ConvAsMatrix.Spectrum;

/// <summary>The certified largest singular value of a circular convolution, and where it is attained.</summary>
/// <param name="Upper">A proven upper bound on σ_max(C_N)², round-off included.</param>
/// <param name="Best">The largest σ_max(P(f))² found, by a dense eigen-decomposition (within round-off of the true maximum when <see cref="Upper"/> is close to it).</param>
/// <param name="Group">The group of the maximum.</param>
/// <param name="Frequency">The frequency (three dimensions) of the maximum.</param>
/// <param name="Frequencies">Frequencies certified (each of f and −f once, per group).</param>
/// <param name="Estimates">λ_max(H(f)) estimated by Lanczos on H(f) (<see cref="HermitianLanczos"/>).</param>
/// <param name="Decompositions">Dense eigen-decompositions done (where Lanczos did not settle, or fell short of a failed certificate).</param>
internal sealed record CirculantPeak(double Upper, double Best, int Group, int[] Frequency, long Frequencies, int Estimates, int Decompositions);

/// <summary>
/// max_f σ_max(P(f))² over the frequencies of a grid — the squared 2-norm of the circular convolution C_N — as a
/// certified upper bound plus the best value found, by a two-pass branch-and-bound over the frequencies that needs
/// no SVD per frequency.
/// </summary>
/// <remarks>
/// <para>Pass 1, per frequency f (only one of f, −f: a real weight gives P(−f) = conj P(f), the same singular
/// values): H(f) = P(f)ᴴP(f) from the tap-difference table (<see cref="FrequencyGram"/>), and a few power steps on
/// H(f), warm-started from the neighbouring frequency, for an estimate. The best few frequencies get λ_max(H(f)) by
/// Lanczos on H(f) (<see cref="HermitianLanczos"/>; a dense Hermitian eigen-decomposition, about 9c³, where it does not
/// settle); τ is the largest value found, times 1 + <see cref="Slack"/>.</para>
/// <para>Pass 2, every frequency: a Cholesky factorisation of (τ + m)·I − H(f) (<see cref="HermitianCholesky"/>) proves
/// λ_max(H(f)) ≤ τ + m. Where it fails, the frequency gets Lanczos to a tighter residual (a dense eigen-decomposition if
/// that does not exceed τ), τ rises to the new best, and the failed frequencies are tried again: the bound is the exact maximum up to the slack, whichever frequency holds it.</para>
/// <para>Round-off, with u = 2⁻⁵³ and γ_n = n·u/(1 − n·u): every entry of fl(H) is a sum of at most
/// A = taps·m + offsets + 16 products (phases included), so |fl(H) − H| ≤ γ_{4A}·(Σₜ|B_t|)ᵀ(Σₜ|B_t|) and
/// ‖fl(H) − H‖₂ ≤ m_H = γ_{4A}·‖Σₜ|B_t|‖²_F (the 4 for complex arithmetic). Cholesky on fl(H) adds
/// γ_{4(c+1)}·c·(τ + 2m_H). So the certified bound is τ + 2m_H + 2γ_{4(c+1)}·c·(τ + 2m_H): relative 1e-11 or so for
/// 64 channels, well below the slack.</para>
/// </remarks>
internal static class CirculantSpectrum
{
    /// <summary>The relative margin of the Cholesky target above the best eigenvalue found: the bound's own looseness on σ² (half of it on σ).</summary>
    public const double Slack = 1e-10;

    private const int Candidates = 8, PowerSteps = 6, MaxRounds = 60;

    /// <summary>Lanczos residuals ‖H·x − θ·x‖/θ for the candidates, and for a frequency whose certificate failed.</summary>
    private const double CandidateResidual = 1e-8, PendingResidual = 1e-10;

    /// <summary>The largest table of tap-difference Gram matrices built, 1 GiB (beyond it each frequency costs seconds anyway).</summary>
    public const long MaxTableBytes = 1L << 30;

    public static CirculantPeak Max(ReadOnlySpan<double> weight, ConvGeometry g, int[] grid, CancellationToken cancel)
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups, c = Math.Min(cig, cog);
        long bytes = FrequencyGram.TableBytes(c, k) * g.Groups;
        if (bytes > MaxTableBytes)
            throw new ArgumentException($"the spectral bound of {g} needs {bytes} bytes of Gram tables (groups x channels^2 x tap offsets), more than {MaxTableBytes}", "geometry");
        var grams = new IFrequencyGram?[g.Groups];
        for (int group = 0; group < g.Groups; group++)
        {
            var gram = FrequencyGram.Build(weight, g, group, grid);
            grams[group] = gram.AbsoluteFrobenius2 > 0 ? gram : null; // a zero group contributes σ = 0 exactly
        }
        return Max(grams, grid, cancel);
    }

    /// <summary>The certified max over the grid's frequencies and the groups of λ_max(H(f)); null groups are zero.</summary>
    public static CirculantPeak Max(IFrequencyGram?[] grams, int[] grid, CancellationToken cancel)
    {
        long perGroup = (long)grid[0] * grid[1] * grid[2];
        int c = grams.Max(x => x?.Size ?? 1);
        var search = new Search(grams, grid, perGroup, c, cancel);
        if (grams.All(x => x is null)) return new CirculantPeak(0, 0, 0, [0, 0, 0], 0, 0, 0);

        // Pass 1: estimates, then exact values at the best few.
        var candidates = search.Estimate();
        double best = 0;
        long bestItem = candidates[0];
        foreach (var item in candidates)
        {
            double lambda = search.Exact(item, CandidateResidual, double.NegativeInfinity);
            if (lambda > best) (best, bestItem) = (lambda, item);
        }
        // Pass 2: certify every frequency below τ + m; raise τ where that fails.
        double tau = best * (1 + Slack);
        var pending = search.Certify(tau, null);
        for (int round = 0; pending.Count > 0; round++)
        {
            if (round == MaxRounds) throw new InvalidOperationException($"the spectral bound did not settle after {MaxRounds} rounds (tau {tau}, best {best})");
            foreach (var item in pending)
            {
                double lambda = search.Exact(item, PendingResidual, tau);
                if (lambda > best) (best, bestItem) = (lambda, item);
            }
            // If the decomposition itself falls short of what Cholesky sees, widen geometrically: the loop ends.
            tau = Math.Max(best * (1 + Slack), tau * (1 + 1e-9 * (1 << Math.Min(round, 20))));
            pending = search.Certify(tau, pending);
        }
        double upper = 0;
        foreach (var gram in grams)
        {
            if (gram is null) continue;
            double mH = Gamma(4L * gram.Accumulation) * gram.AbsoluteFrobenius2;
            double s = tau + 2 * mH;
            upper = Math.Max(upper, s + 2 * Gamma(4L * (gram.Size + 1)) * gram.Size * s);
        }
        var (bestGroup, f) = search.Decode(bestItem);
        return new CirculantPeak(upper, best, bestGroup, f, search.Frequencies * grams.Count(x => x is not null), search.Estimates, search.Decompositions);
    }

    /// <summary>γ_n = n·u / (1 − n·u), u = 2⁻⁵³ (Higham's constant for a sum of n rounded products).</summary>
    internal static double Gamma(long n)
    {
        double nu = n * Math.Pow(2, -53);
        return nu / (1 - nu);
    }

    /// <summary>The two passes over (group, frequency) items, in parallel blocks, each block with its own work space.</summary>
    private sealed class Search(IFrequencyGram?[] grams, int[] grid, long perGroup, int c, CancellationToken cancel)
    {
        private int decompositions, estimates;

        public int Decompositions => decompositions;

        public int Estimates => estimates;

        /// <summary>Frequencies visited per group: one of each pair f, −f.</summary>
        public long Frequencies { get; private set; }

        private long Items => perGroup * grams.Length;

        public (int Group, int[] Frequency) Decode(long item)
        {
            long idx = item % perGroup;
            return ((int)(item / perGroup), [(int)(idx / ((long)grid[1] * grid[2])), (int)(idx / grid[2] % grid[1]), (int)(idx % grid[2])]);
        }

        /// <summary>Whether the item is the representative of its pair f, −f (the smaller flat index) and its group is nonzero.</summary>
        private bool Visits(long item, out int[] f)
        {
            var (group, freq) = Decode(item);
            f = freq;
            if (grams[group] is null) return false;
            long neg = ((long)((grid[0] - f[0]) % grid[0]) * grid[1] + (grid[1] - f[1]) % grid[1]) * grid[2] + (grid[2] - f[2]) % grid[2];
            return neg >= item % perGroup;
        }

        private void Blocks(Action<long, long, Workspace> body)
        {
            int workers = Parallelism.MaxDegreeOfParallelism;
            long items = Items;
            int blocks = (int)Math.Min(items, Math.Max(1, workers * 16));
            var options = new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancel };
            Parallel.For(0, blocks, options, b => body(items * b / blocks, items * (b + 1) / blocks, new Workspace(c)));
            cancel.ThrowIfCancellationRequested();
        }

        /// <summary>Pass 1: a power-iteration estimate of λ_max(H(f)) at every frequency; the items of the largest few.</summary>
        public long[] Estimate()
        {
            var top = new List<(double Value, long Item)>();
            long visited = 0;
            Blocks((start, end, w) =>
            {
                var local = new List<(double, long)>();
                long count = 0;
                w.ResetVector();
                for (long item = start; item < end; item++)
                {
                    if (!Visits(item, out var f)) continue;
                    count++;
                    var gram = grams[(int)(item / perGroup)]!;
                    gram.Build(f[0], f[1], f[2], w.Real, w.Imaginary);
                    double theta = w.PowerSteps(gram.Size, PowerSteps);
                    Keep(local, (theta, item));
                }
                lock (top)
                {
                    foreach (var x in local) Keep(top, x);
                    visited += count;
                }
            });
            Frequencies = visited / Math.Max(1, grams.Count(x => x is not null));
            return [.. top.Select(x => x.Item)];
        }

        private static void Keep(List<(double Value, long Item)> list, (double Value, long Item) x)
        {
            if (list.Count == Candidates && x.Value <= list[^1].Value) return;
            int at = list.FindIndex(y => y.Value < x.Value);
            list.Insert(at < 0 ? list.Count : at, x);
            if (list.Count > Candidates) list.RemoveAt(list.Count - 1);
        }

        /// <summary>λ_max(H(f)) of one item: by Lanczos to the residual <paramref name="residual"/>, or by a dense Hermitian
        /// eigen-decomposition where Lanczos does not settle or its value is not above <paramref name="above"/>.</summary>
        public double Exact(long item, double residual, double above)
        {
            var (group, f) = Decode(item);
            var gram = grams[group]!;
            int n = gram.Size;
            var w = new Workspace(n);
            gram.Build(f[0], f[1], f[2], w.Real, w.Imaginary);
            if (n == 1) return w.Real[0];
            Interlocked.Increment(ref estimates);
            if (HermitianLanczos.Top(w.Real, w.Imaginary, n, residual) is double theta && theta > above) return theta;
            Interlocked.Increment(ref decompositions);
            var h = Matrix<Complex>.Build.Dense(n, n, (i, j) => new Complex(w.Real[i * n + j], w.Imaginary[i * n + j]));
            return h.Evd(Symmetricity.Hermitian).EigenValues.Max(z => z.Real);
        }

        /// <summary>Pass 2: the items (all when <paramref name="only"/> is null) whose Cholesky certificate at τ fails.</summary>
        public List<long> Certify(double tau, List<long>? only)
        {
            var failed = new ConcurrentBag<long>();
            if (only is not null)
            {
                foreach (var item in only)
                    if (!Certified(item, tau, new Workspace(c))) failed.Add(item);
                return [.. failed];
            }
            Blocks((start, end, w) =>
            {
                for (long item = start; item < end; item++)
                    if (Visits(item, out _) && !Certified(item, tau, w)) failed.Add(item);
            });
            return [.. failed];
        }

        private bool Certified(long item, double tau, Workspace w)
        {
            var (group, f) = Decode(item);
            var gram = grams[group]!;
            gram.Build(f[0], f[1], f[2], w.Real, w.Imaginary);
            double mH = Gamma(4L * gram.Accumulation) * gram.AbsoluteFrobenius2;
            return HermitianCholesky.IsBelow(tau + mH, w.Real, w.Imaginary, gram.Size, w.LowerReal, w.LowerImaginary);
        }
    }

    /// <summary>One thread's buffers: H(f), its Cholesky factor, and the power-iteration vector.</summary>
    private sealed class Workspace(int c)
    {
        public double[] Real { get; } = new double[c * c];
        public double[] Imaginary { get; } = new double[c * c];
        public double[] LowerReal { get; } = new double[c * c];
        public double[] LowerImaginary { get; } = new double[c * c];
        private readonly double[] vr = new double[c], vi = new double[c], wr = new double[c], wi = new double[c];

        /// <summary>A start with weight on every channel (so no eigenvector is missed by symmetry).</summary>
        public void ResetVector()
        {
            for (int i = 0; i < vr.Length; i++) (vr[i], vi[i]) = (1 + 0.1 * Math.Sin(i + 1), 0.1 * Math.Cos(3 * i + 1));
        }

        /// <summary>A few steps v ← H·v / ‖H·v‖ from the current v (the last frequency's); the last Rayleigh quotient.</summary>
        public double PowerSteps(int n, int steps)
        {
            double theta = 0;
            for (int s = 0; s < steps; s++)
            {
                for (int i = 0; i < n; i++)
                {
                    var hr = Real.AsSpan(i * n, n);
                    var hi = Imaginary.AsSpan(i * n, n);
                    var (a, b) = DenseVectorLoops.Dot2(hr, hi, vr.AsSpan(0, n));
                    var (d, e) = DenseVectorLoops.Dot2(hr, hi, vi.AsSpan(0, n));
                    wr[i] = a - e;   // Re(H v) = Hr·vr − Hi·vi
                    wi[i] = d + b;   // Im(H v) = Hr·vi + Hi·vr
                }
                double vv = 0, vw = 0, ww = 0;
                for (int i = 0; i < n; i++)
                {
                    vv += vr[i] * vr[i] + vi[i] * vi[i];
                    vw += vr[i] * wr[i] + vi[i] * wi[i];
                    ww += wr[i] * wr[i] + wi[i] * wi[i];
                }
                theta = vv > 0 ? vw / vv : 0;
                if (ww == 0)
                {
                    ResetVector();
                    return theta;
                }
                double scale = 1 / Math.Sqrt(ww);
                for (int i = 0; i < n; i++) (vr[i], vi[i]) = (wr[i] * scale, wi[i] * scale);
            }
            return theta;
        }
    }
}
