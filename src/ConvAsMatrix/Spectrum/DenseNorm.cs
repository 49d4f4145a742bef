namespace ConvAsMatrix.Spectrum;

/// <summary>
/// A certified upper bound on ‖V‖₂ that meets the lower one for small V: the Gram matrix G of V's smaller side
/// (VᵀV or VVᵀ, per group) formed densely from the weight, and a Cholesky factorisation of τ·I − G that proves
/// λ_max(G) ≤ τ for τ just above the Lanczos value σ².
/// </summary>
/// <remarks>
/// <para><b>Forming G.</b> For VᵀV, output position o reads input position i through the taps t of its incidence list
/// L_o = {(t, i)} (the padding's sampling map per dimension). G's (i, j) block is Σ_o Σ_{(t,i),(t',j) ∈ L_o} W_tᵀW_{t'},
/// with the C_in/g × C_in/g products W_tᵀW_{t'} tabulated once. VVᵀ is the same with the roles of input and output
/// and W_t ↦ W_tᵀ exchanged. Groups make V block-diagonal: ‖V‖ is the largest group's.</para>
/// <para><b>Round-off, rigorous.</b> Each entry of fl(G) is a nested sum of at most A = c_other + R·M products
/// (c_other = the summed channel count; R the most (position, tap) pairs that read one position, M the most taps of one
/// list that land on one position: R ≤ taps and M = 1 for zero padding), so |fl(G) − G| ≤ γ_A·|V|ᵀ|V| entrywise (Higham, Accuracy and Stability,
/// §3.1) and ‖fl(G) − G‖₂ ≤ γ_A·‖V‖²_F, with ‖V‖²_F ≤ Σ_o |L_o|·Σ_{(t,i) ∈ L_o} ‖W_t‖²_F (Cauchy–Schwarz over the
/// taps that land on one input). A Cholesky factorisation of an n × n A = τI − fl(G) that completes in floating point
/// gives RᵀR = A + E with |E| ≤ γ_{n+1}·|Rᵀ||R| (Higham, Thm 10.3), so λ_min(A) ≥ −‖E‖₂ ≥ −γ_{n+1}·‖R‖²_F, and
/// ‖R‖²_F is summed from the computed factor (rounded up by γ_{n²}). Hence
/// λ_max(G) ≤ τ + γ_{n+1}·‖R‖²_F·(1 + γ_{n²}) + γ_A·‖V‖²_F, and ‖V‖₂ is at most its square root, rounded up by 4u.
/// For n = 4096 and τ ≈ σ² the Cholesky term is about n²·u·τ ≈ 2e-9·σ²: the interval is 1e-9 wide on σ.</para>
/// </remarks>
internal static class DenseNorm
{
    /// <summary>The most multiply-adds a banded Cholesky may take, n·(b + 1)²/2 ≤ 5·10¹⁰: ResNet-18's layer1 at 64²
    /// (64 channels on 16², 4.1·10¹⁰) is inside, at about 10 s of one core here; 224²'s layer4 (8.4·10¹¹) is not.</summary>
    public const double MaxWork = 5e10;

    /// <summary>The largest band stored, 512 MiB (the factor takes as much again).</summary>
    public const long MaxBandBytes = 512L << 20;

    /// <summary>The largest table of tap products W_tᵀW_{t'} built, 256 MiB.</summary>
    public const long MaxTableBytes = 256L << 20;

    /// <summary>Relative margins of τ above the Lanczos σ², tried in turn (a failure means the Lanczos value was not the top).</summary>
    private static readonly double[] Margins = [1e-9, 1e-7, 1e-5, 1e-3];

    /// <summary>Whether a group's Gram matrix is small enough: its band's bytes, its Cholesky's work and its tap table.</summary>
    public static bool Applies(ConvGeometry g)
    {
        var (order, c, taps, inputSide) = Shape(g);
        if (order > 1 << 24 || 8L * taps * taps * c * c > MaxTableBytes) return false;
        long w = Bandwidth(g, inputSide, c) + 1L;
        return 8 * order * w <= MaxBandBytes && order * (double)w * w / 2 <= MaxWork;
    }

    /// <summary>The half-bandwidth of G in the site-major order: (the largest |i − j| of two positions one position reads, or
    /// is read by) · c + c − 1. For a k × k kernel with stride 1 on an n × n map, (k − 1)(n + 1)·c + c − 1.</summary>
    private static int Bandwidth(ConvGeometry g, bool inputSide, int c)
    {
        long sites = 0;
        foreach (var list in Incidence.Lists(g, inputSide))
        {
            if (list.Count == 0) continue;
            int min = int.MaxValue, max = int.MinValue;
            foreach (var (_, p) in list) (min, max) = (Math.Min(min, p), Math.Max(max, p));
            sites = Math.Max(sites, max - min);
        }
        return (int)Math.Min(int.MaxValue / 2, sites * c + c - 1);
    }

    private static (int Order, int Channels, int Taps, bool InputSide) Shape(ConvGeometry g)
    {
        long inSpatial = g.InputSize.Aggregate(1L, (p, n) => p * n), outSpatial = g.OutputSize.Aggregate(1L, (p, n) => p * n);
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        long inOrder = cig * inSpatial, outOrder = cog * outSpatial;
        int taps = g.KernelSize.Aggregate(1, (p, k) => p * k);
        return inOrder <= outOrder ? ((int)Math.Min(inOrder, int.MaxValue), cig, taps, true) : ((int)Math.Min(outOrder, int.MaxValue), cog, taps, false);
    }

    /// <summary>A certified upper bound on ‖V‖₂ from τ = σ²·(1 + margin) for the first margin whose certificate succeeds;
    /// null when none does. <paramref name="sigma"/> is the best lower value found.</summary>
    public static double? Upper(ReadOnlySpan<double> weight, ConvGeometry g, double sigma, CancellationToken cancel)
    {
        var grams = new List<(double[] G, int N, int Band, double FormError)>();
        for (int group = 0; group < g.Groups; group++) grams.Add(Gram(weight, g, group));
        var factor = new double[grams.Max(x => x.G.Length)];
        foreach (double margin in Margins)
        {
            double tau = sigma * sigma * (1 + margin), bound = 0;
            foreach (var (gram, n, band, formError) in grams)
            {
                cancel.ThrowIfCancellationRequested();
                double? r2 = BandCholesky.FactorShifted(gram, n, band, tau, factor);
                if (r2 is null)
                {
                    bound = double.NaN;
                    break;
                }
                // Every inner product of the factorisation has at most band + 1 terms: γ_{band+2} in Higham's Thm 10.3.
                double lambda = tau + CirculantSpectrum.Gamma(band + 2L) * r2.Value * (1 + CirculantSpectrum.Gamma((long)n * (band + 1))) + formError;
                bound = Math.Max(bound, lambda);
            }
            if (!double.IsNaN(bound)) return Math.Sqrt(bound) * (1 + 4 * Math.Pow(2, -53));
        }
        return null;
    }

    private static double[] TransposeProduct(double[] bt, double[] bu, int other, int c)
    {
        var target = new double[c * c];
        Spectrum.TransposeProduct.Add(bt, bu, other, c, target);
        return target;
    }

    /// <summary>fl(G) of one group (n × n row-major) and the bound γ_A·‖V‖²_F on its error.</summary>
    private static (double[] G, int N, int Band, double FormError) Gram(ReadOnlySpan<double> weight, ConvGeometry g, int group)
    {
        var (order, c, taps, inputSide) = Shape(g);
        int bandwidth = Bandwidth(g, inputSide, c), width = bandwidth + 1;
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        int other = inputSide ? cog : cig;
        // B_t: other × c, the group's slice at tap t (W_t for VᵀV, W_tᵀ for VVᵀ).
        var b = new double[taps][];
        var frob = new double[taps];
        for (int t = 0; t < taps; t++)
        {
            b[t] = new double[other * c];
            for (int co = 0; co < cog; co++)
                for (int ci = 0; ci < cig; ci++)
                {
                    double w = weight[((group * cog + co) * cig + ci) * taps + t];
                    b[t][inputSide ? co * c + ci : ci * c + co] = w;
                    frob[t] += w * w;
                }
        }
        var lists = Incidence.Lists(g, inputSide);
        // Only the lower block triangle (i ≥ j) is formed: the Cholesky reads no more. B_uᵀB_t = (B_tᵀB_u)ᵀ, so one table
        // per unordered pair of taps, computed in parallel before the (cheap) accumulation.
        var table = new double[taps * taps][];
        var needed = new HashSet<int>();
        foreach (var list in lists)
            foreach (var (t, i) in list)
                foreach (var (u, j) in list)
                    if (i >= j) needed.Add(Math.Min(t, u) * taps + Math.Max(t, u));
        Parallel.ForEach(needed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.MaxDegreeOfParallelism },
            pair => table[pair] = TransposeProduct(b[pair / taps], b[pair % taps], other, c));
        var gram = new double[(long)order * width];
        double frobenius2 = 0;
        // The T-terms summed into one entry of block (i, j) come from the pairs (o, t), (o, u) with o reading i through t
        // and j through u: at most R·M, R the most (o, t) reading one position, M the most taps of one list on one position.
        var reads = new int[lists.Length == 0 ? 0 : lists.Max(l => l.Count == 0 ? 0 : l.Max(x => x.Position)) + 1];
        int most = 0;
        foreach (var list in lists)
        {
            double rowFrob = 0;
            foreach (var (t, _) in list) rowFrob += frob[t];
            frobenius2 += list.Count * rowFrob;
            foreach (var (_, i) in list) reads[i]++;
            most = Math.Max(most, list.Count == 0 ? 0 : list.GroupBy(x => x.Position).Max(x => x.Count()));
            foreach (var (t, i) in list)
                foreach (var (u, j) in list)
                {
                    if (i < j) continue;
                    var block = table[Math.Min(t, u) * taps + Math.Max(t, u)];
                    for (int r = 0; r < c; r++)
                    {
                        // Row i·c + r of the band, columns j·c … j·c + c − 1 (only up to the diagonal in a diagonal block).
                        int row = i * c + r, length = i == j ? r + 1 : c;
                        var target = gram.AsSpan(row * width + j * c - row + bandwidth, length);
                        if (t <= u) DenseVectorLoops.AddScaled(target, 1, block.AsSpan(r * c, length));
                        else
                            for (int q = 0; q < length; q++) target[q] += block[q * c + r];
                    }
                }
        }
        long terms = (long)(reads.Length == 0 ? 0 : reads.Max()) * most;
        double formError = CirculantSpectrum.Gamma(other + terms + 1) * frobenius2;
        return (gram, order, bandwidth, formError);
    }
}
