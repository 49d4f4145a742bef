namespace ConvAsMatrix.Spectrum;

/// <summary>
/// For one group of a strided circular convolution on a grid N = M·s (per dimension): the Gram matrix of its polyphase
/// symbol at each frequency g of the M-point output grid, whose largest eigenvalue over g is the operator's squared norm.
/// </summary>
/// <remarks>
/// <para>The stride-1 circular C_N maps the plane wave e^{2πi f·i/N}·u to e^{2πi f·o/N}·P(f)·u. Keeping the rows o·s,
/// the output index o' = o/s sees e^{2πi f·o'/M}, which is the same for the s aliases f = g + a·M, a = 0 … s − 1 (per
/// dimension; S = ∏ s_d of them). In the unitary DFT bases of the input (N points) and output (M points) the strided
/// operator is therefore block-diagonal over g with blocks Q(g) = (1/√S)·[P(g + a·M)]_a, a C_out × (C_in·S) matrix
/// (√M/√N = 1/√S), so σ(C_N^{(s)}) = ∪_g σ(Q(g)): the polyphase decomposition of filter-bank theory. A shift of the
/// input (the padding offset) is unitary and changes nothing.</para>
/// <para>H(g) = R·Rᴴ with R = Q(g) (order C_out/g) or R = Q(g)ᵀ (order C_in/g·S), whichever is smaller; Rᵀ gives
/// conj(QᴴQ), which has QᴴQ's eigenvalues. A real weight gives P(−f) = conj P(f), and the aliases of −g are the
/// negatives of those of g, so H(−g) has H(g)'s eigenvalues.</para>
/// <para>Round-off: |fl(P(f))| ≤ B = Σₜ|B_t| entrywise up to γ_{taps + 8} (phases by SinCos, within a few ulps), so
/// |fl(H) − H| ≤ γ·|R||R|ᴴ, and ‖|R||R|ᴴ‖₂ ≤ ‖B‖²_F on either side ((1/S)·S copies of B·Bᵀ, or the S × S block
/// matrix of (1/S)·BᵀB). <see cref="Accumulation"/> = taps + S·(C_in/g + C_out/g) + 16 covers both sums.</para>
/// </remarks>
internal sealed class PolyphaseGram : IFrequencyGram
{
    private readonly double[] weight;   // B_t[co, ci] at ((co·cig + ci)·taps + t), the group's slice
    private readonly int[] kernel, dilation, stride, outGrid, grid;
    private readonly int taps, cig, cog, aliases;
    private readonly bool outputSide;   // H = Q·Qᴴ (order cog) rather than Qᵀ·conj(Qᵀ)ᴴ (order cig·S)
    [ThreadStatic] private static double[]? qr, qi;   // Q (or Qᵀ) of the frequency being built, per thread

    private PolyphaseGram(double[] weight, int[] kernel, int[] dilation, int[] stride, int[] outGrid, int cig, int cog)
    {
        this.weight = weight;
        this.kernel = kernel;
        this.dilation = dilation;
        this.stride = stride;
        this.outGrid = outGrid;
        grid = [outGrid[0] * stride[0], outGrid[1] * stride[1], outGrid[2] * stride[2]];
        taps = kernel[0] * kernel[1] * kernel[2];
        this.cig = cig;
        this.cog = cog;
        aliases = stride[0] * stride[1] * stride[2];
        outputSide = cog <= cig * aliases;
        Size = outputSide ? cog : cig * aliases;
        Accumulation = taps + aliases * (cig + cog) + 16;
        var absSum = new double[cog * cig];
        for (int i = 0; i < absSum.Length; i++)
            for (int t = 0; t < taps; t++) absSum[i] += Math.Abs(weight[i * taps + t]);
        AbsoluteFrobenius2 = absSum.Sum(x => x * x);
    }

    public int Size { get; }

    public double AbsoluteFrobenius2 { get; }

    public int Accumulation { get; }

    /// <summary>The Gram family of one group: the output-side one from a tap-difference table
    /// (<see cref="FrequencyGram.Polyphase"/>, O(offsets·C_out²) per frequency) where H is C_out/g × C_out/g and that table
    /// takes at most <paramref name="tableBytes"/>; otherwise this class, which forms Q(g) and its product per frequency
    /// (O(C_out·C_in·S·min(C_out, C_in·S))).</summary>
    public static IFrequencyGram For(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] outGrid, long tableBytes)
    {
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        long aliases = g.Stride.Aggregate(1L, (p, s) => p * s);
        if (cog <= cig * aliases && FrequencyGram.TableBytes(cog, ConvGeometry.Pad3(g.KernelSize, 1)) <= tableBytes)
            return FrequencyGram.Polyphase(weight, g, group, outGrid);
        return Build(weight, g, group, outGrid);
    }

    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    /// <param name="g">The geometry (channels, groups, kernel, dilation, stride).</param>
    /// <param name="group">Which group.</param>
    /// <param name="outGrid">The output grid M, three dimensions; the input grid is M·stride.</param>
    public static PolyphaseGram Build(ReadOnlySpan<double> weight, ConvGeometry g, int group, int[] outGrid)
    {
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        int slice = cog * cig * (g.WeightLength / (g.OutChannels * cig));
        return new PolyphaseGram(weight.Slice(group * slice, slice).ToArray(), ConvGeometry.Pad3(g.KernelSize, 1),
            ConvGeometry.Pad3(g.Dilation, 1), ConvGeometry.Pad3(g.Stride, 1), outGrid, cig, cog);
    }

    /// <summary>The input-grid frequency of alias <paramref name="a"/> (flat over ∏ s_d) of output frequency g.</summary>
    public static int[] Alias(int[] g, int a, int[] stride, int[] outGrid) =>
        [g[0] + a / (stride[1] * stride[2]) * outGrid[0], g[1] + a / stride[2] % stride[1] * outGrid[1], g[2] + a % stride[2] * outGrid[2]];

    public void Build(int f0, int f1, int f2, Span<double> real, Span<double> imaginary)
    {
        int entries = cog * cig * aliases;
        if (qr is null || qr.Length < entries) (qr, qi) = (new double[entries], new double[entries]);
        qi ??= new double[entries];
        int width = cig * aliases;
        double scale = 1 / Math.Sqrt(aliases);
        var phaseRe = new double[taps];
        var phaseIm = new double[taps];
        for (int a = 0; a < aliases; a++)
        {
            var f = Alias([f0, f1, f2], a, stride, outGrid);
            for (int t = 0; t < taps; t++)
            {
                int t0 = t / (kernel[1] * kernel[2]), t1 = t / kernel[2] % kernel[1], t2 = t % kernel[2];
                double angle = 2 * Math.PI * (FrequencyGram.Reduce(f[0], t0 * dilation[0], grid[0])
                    + FrequencyGram.Reduce(f[1], t1 * dilation[1], grid[1]) + FrequencyGram.Reduce(f[2], t2 * dilation[2], grid[2]));
                (phaseIm[t], phaseRe[t]) = Math.SinCos(angle);
            }
            for (int co = 0; co < cog; co++)
                for (int ci = 0; ci < cig; ci++)
                {
                    var (re, im) = DenseVectorLoops.Dot2(phaseRe, phaseIm, weight.AsSpan((co * cig + ci) * taps, taps));
                    // Q[co, a·cig + ci] (output side) or its transpose Q[a·cig + ci, co].
                    int at = outputSide ? co * width + a * cig + ci : (a * cig + ci) * cog + co;
                    (qr[at], qi[at]) = (re * scale, im * scale);
                }
        }
        int n = Size, length = outputSide ? width : cog;
        for (int i = 0; i < n; i++)
        {
            var ri = qr.AsSpan(i * length, length);
            var ii = qi.AsSpan(i * length, length);
            for (int j = 0; j <= i; j++)
            {
                // H_ij = Σ_k R_ik·conj(R_jk)
                var (rr, ir) = DenseVectorLoops.Dot2(ri, ii, qr.AsSpan(j * length, length));
                var (iiSum, riSum) = DenseVectorLoops.Dot2(ii, ri, qi.AsSpan(j * length, length));
                real[i * n + j] = real[j * n + i] = rr + iiSum;
                imaginary[i * n + j] = ir - riSum;
                imaginary[j * n + i] = riSum - ir;
            }
        }
    }
}
