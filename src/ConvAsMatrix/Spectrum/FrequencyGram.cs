using System.Numerics;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// For one group of a convolution on a circular grid: the Gram matrix H(f) = P(f)ᴴP(f) of the symbol
/// P(f) = Σₜ B_t·e^{iφ_f(t)} at any frequency f, built from a table of tap-difference Gram matrices, so that one
/// frequency costs O(offsets·c²) instead of the O(taps·m·c + m·c²) of forming P(f) and its product.
/// </summary>
/// <remarks>
/// <para>B_t is the group's C_out/g × C_in/g weight slice at tap t, or its transpose when C_out/g &lt; C_in/g (Pᵀ has
/// the same singular values), so H is c × c with c the smaller side. φ_f(t) = 2π·Σ_d f_d·dilation_d·t_d / N_d.</para>
/// <para>H(f) = Σ_{t,t'} B_tᵀB_{t'}·e^{iφ_f(t' − t)} = Σ_δ G_δ·e^{iφ_f(δ)} with G_δ = Σ_{t' − t = δ} B_tᵀB_{t'} and
/// G_{−δ} = G_δᵀ. Pairing ±δ: Re H = G₀ + Σ_{δ &gt; 0} (G_δ + G_δᵀ)·cos φ_f(δ), Im H = Σ_{δ &gt; 0} (G_δ − G_δᵀ)·sin φ_f(δ).
/// For a 3×3 kernel that is 12 symmetric and 12 antisymmetric c × c matrices.</para>
/// </remarks>
internal sealed class FrequencyGram : IFrequencyGram
{
    private readonly double[] g0;
    private readonly double[][] symmetric, antisymmetric;
    private readonly int[][] offsets;   // per half offset: dilation·δ per dimension (three dimensions)
    private readonly int[] grid;

    private FrequencyGram(int size, double[] g0, double[][] symmetric, double[][] antisymmetric, int[][] offsets, int[] grid, double absoluteFrobenius2, int accumulation)
    {
        Size = size;
        this.g0 = g0;
        this.symmetric = symmetric;
        this.antisymmetric = antisymmetric;
        this.offsets = offsets;
        this.grid = grid;
        AbsoluteFrobenius2 = absoluteFrobenius2;
        Accumulation = accumulation;
    }

    /// <summary>c: the order of H.</summary>
    public int Size { get; }

    /// <summary>‖Σₜ |B_t|‖²_F: the scale of every rounding error in H (|H − fl(H)| ≤ γ·(Σ|B_t|)ᵀ(Σ|B_t|) entrywise).</summary>
    public double AbsoluteFrobenius2 { get; }

    /// <summary>The longest sum of products behind one entry of fl(H): taps·m for G_δ, then the offsets, plus the phase errors.</summary>
    public int Accumulation { get; }

    /// <summary>Bytes the table of a group of this size holds, to check before building it.</summary>
    public static long TableBytes(int c, int[] kernel) => 8L * c * c * OffsetCount(kernel);

    private static int OffsetCount(int[] kernel) => (2 * kernel[0] - 1) * (2 * kernel[1] - 1) * (2 * kernel[2] - 1);

    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    /// <param name="g">The geometry (channels, groups, kernel, dilation).</param>
    /// <param name="group">Which group.</param>
    /// <param name="grid">The circular grid N, three dimensions.</param>
    public static FrequencyGram Build(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] grid) =>
        Create(weight, g, group, grid, g.OutChannels < g.InChannels, [1, 1, 1]);

    /// <summary>The output-side Gram Q(g)·Q(g)ᴴ (order C_out/g, conjugated) of the strided circular convolution on the grid
    /// <paramref name="outGrid"/>·stride, at the frequencies g of the output grid (see <see cref="PolyphaseGram"/>).</summary>
    /// <remarks>Q(g)·Q(g)ᴴ = (1/S)·Σ_a P(g + a·M)·P(g + a·M)ᴴ = Σ_{t,t'} W_t·W_{t'}ᵀ·(1/S)·Σ_a e^{iφ_{g+aM}(t − t')}, and per
    /// dimension the alias sum (1/s)·Σ_a e^{2πi·a·o/s} of the dilated offset o is 1 when s divides o and 0 otherwise. So it is
    /// this table with B_t = W_tᵀ and only the offsets whose dilated δ is a multiple of the stride: 9 of 25 for a 3 × 3
    /// kernel with stride 2, instead of forming the C_out × C_in·S matrix Q(g) and its product at every frequency.</remarks>
    public static FrequencyGram Polyphase(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] outGrid)
    {
        var stride = ConvGeometry.Pad3(g.Stride, 1);
        return Create(weight, g, group, [outGrid[0] * stride[0], outGrid[1] * stride[1], outGrid[2] * stride[2]], true, stride);
    }

    private static FrequencyGram Create(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] grid, bool transpose, int[] stride)
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var dil = ConvGeometry.Pad3(g.Dilation, 1);
        int taps = k[0] * k[1] * k[2], cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        int c = transpose ? cog : cig, m = transpose ? cig : cog;
        // B[t][r·c + j]: the group's slice at tap t, transposed when that makes H smaller (or the output side is asked for).
        var b = new double[taps][];
        var absSum = new double[m * c];
        for (int t = 0; t < taps; t++)
        {
            b[t] = new double[m * c];
            for (int co = 0; co < cog; co++)
                for (int ci = 0; ci < cig; ci++)
                {
                    double w = weight[((group * cog + co) * cig + ci) * taps + t];
                    int at = transpose ? ci * c + co : co * c + ci;
                    b[t][at] = w;
                    absSum[at] += Math.Abs(w);
                }
        }

        // Offsets are enumerated in row-major order over δ ∈ [−(k−1), k−1]³, so index (count − 1)/2 is δ = 0 and
        // index count − 1 − i is −δ of index i: the upper half holds the positive offsets, and G_{−δ} = G_δᵀ needs no
        // products of its own. Each offset sums into its own matrix, so the offsets run in parallel.
        int count = OffsetCount(k), half = (count - 1) / 2;
        bool Kept(int index)
        {
            var delta = OffsetOf(index, k);
            return (delta[0] * dil[0]) % stride[0] == 0 && (delta[1] * dil[1]) % stride[1] == 0 && (delta[2] * dil[2]) % stride[2] == 0;
        }
        var gram = new double[count][];
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism.MaxDegreeOfParallelism };
        Parallel.ForEach(Enumerable.Range(half, count - half).Where(Kept), options, index =>
        {
            var target = new double[c * c];
            for (int t = 0; t < taps; t++)
                for (int u = 0; u < taps; u++)
                    if (OffsetIndex(t, u, k) == index) TransposeProduct.Add(b[t], b[u], m, c, target);
            gram[index] = target;
        });
        var g0 = gram[half];
        var sym = new List<double[]>();
        var anti = new List<double[]>();
        var offs = new List<int[]>();
        for (int h = 0; h < half; h++)
        {
            var pos = gram[half + 1 + h];
            if (pos is null) continue;
            var symmetricPart = new double[c * c];
            var antisymmetricPart = new double[c * c];
            for (int i = 0; i < c; i++)
                for (int j = 0; j < c; j++)
                {
                    symmetricPart[i * c + j] = pos[i * c + j] + pos[j * c + i];
                    antisymmetricPart[i * c + j] = pos[i * c + j] - pos[j * c + i];
                }
            sym.Add(symmetricPart);
            anti.Add(antisymmetricPart);
            var delta = OffsetOf(half + 1 + h, k);
            offs.Add([delta[0] * dil[0], delta[1] * dil[1], delta[2] * dil[2]]);
        }
        double abs2 = 0;
        foreach (var x in absSum) abs2 += x * x;
        return new FrequencyGram(c, g0, [.. sym], [.. anti], [.. offs], grid, abs2, taps * m + count + 16);
    }

    private static int OffsetIndex(int t, int u, int[] k)
    {
        int t0 = t / (k[1] * k[2]), t1 = t / k[2] % k[1], t2 = t % k[2];
        int u0 = u / (k[1] * k[2]), u1 = u / k[2] % k[1], u2 = u % k[2];
        return ((u0 - t0 + k[0] - 1) * (2 * k[1] - 1) + (u1 - t1 + k[1] - 1)) * (2 * k[2] - 1) + (u2 - t2 + k[2] - 1);
    }

    private static int[] OffsetOf(int index, int[] k)
    {
        int w2 = 2 * k[2] - 1, w1 = 2 * k[1] - 1;
        return [index / (w1 * w2) - (k[0] - 1), index / w2 % w1 - (k[1] - 1), index % w2 - (k[2] - 1)];
    }

    /// <summary>Writes Re H(f) and Im H(f) (c × c row-major) for the frequency (f0, f1, f2) of the grid.</summary>
    public void Build(int f0, int f1, int f2, Span<double> real, Span<double> imaginary)
    {
        g0.CopyTo(real);
        imaginary.Clear();
        for (int h = 0; h < offsets.Length; h++)
        {
            var (sin, cos) = Math.SinCos(Phase(f0, f1, f2, offsets[h]));
            DenseVectorLoops.AddScaled(real, cos, symmetric[h]);
            DenseVectorLoops.AddScaled(imaginary, sin, antisymmetric[h]);
        }
    }

    /// <summary>φ = 2π·Σ_d ((f_d·o_d) mod N_d) / N_d, each term reduced exactly in integers so that the angle stays below 6π.</summary>
    private double Phase(int f0, int f1, int f2, int[] o) =>
        2 * Math.PI * (Reduce(f0, o[0], grid[0]) + Reduce(f1, o[1], grid[1]) + Reduce(f2, o[2], grid[2]));

    internal static double Reduce(int f, int o, int n) => (double)(((long)f * o % n + n) % n) / n;

    /// <summary>The symbol P(f) itself, complex m' × c' in the orientation of the weight (C_out/g × C_in/g), for the start vector.</summary>
    public static Complex[,] Symbol(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] grid, int f0, int f1, int f2)
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var dil = ConvGeometry.Pad3(g.Dilation, 1);
        int taps = k[0] * k[1] * k[2], cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        var phase = new Complex[taps];
        for (int t = 0; t < taps; t++)
        {
            int t0 = t / (k[1] * k[2]), t1 = t / k[2] % k[1], t2 = t % k[2];
            double angle = 2 * Math.PI * (Reduce(f0, t0 * dil[0], grid[0]) + Reduce(f1, t1 * dil[1], grid[1]) + Reduce(f2, t2 * dil[2], grid[2]));
            phase[t] = Complex.FromPolarCoordinates(1, angle);
        }
        var p = new Complex[cog, cig];
        for (int co = 0; co < cog; co++)
            for (int ci = 0; ci < cig; ci++)
            {
                Complex sum = Complex.Zero;
                int baseIndex = ((group * cog + co) * cig + ci) * taps;
                for (int t = 0; t < taps; t++) sum += weight[baseIndex + t] * phase[t];
                p[co, ci] = sum;
            }
        return p;
    }
}
