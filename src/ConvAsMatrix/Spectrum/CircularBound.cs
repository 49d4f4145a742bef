using System.Numerics;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The upper end of <see cref="SpectralNorm"/>'s interval from a circular convolution that contains V: the strided
/// one by its polyphase spectrum where V is strided (<see cref="CirculantEmbedding.Strided"/>), else the stride-1 one
/// (<see cref="CirculantEmbedding.Of"/>); and the start vector of the lower end, its top singular vector as a plane wave.
/// </summary>
/// <param name="Upper">F·‖C‖₂ rounded up: a certified upper bound on ‖V‖₂.</param>
/// <param name="Best">F·σ found at the peak: ‖V‖₂ itself when the embedding is exact.</param>
/// <param name="Embedding">How V sits in C.</param>
/// <param name="Start">The unit start vector of the lower bound.</param>
/// <param name="Method">The upper end in words.</param>
internal sealed record CircularBound(double Upper, double Best, CirculantEmbedding Embedding, double[] Start, string Method)
{
    public static CircularBound Of(ReadOnlySpan<double> weight, ConvGeometry g, CancellationToken cancel)
    {
        var strided = CirculantEmbedding.Strided(g);
        var embedding = strided ?? CirculantEmbedding.Of(g);
        CirculantPeak peak;
        int[] f;
        if (strided is null)
        {
            peak = CirculantSpectrum.Max(weight, g, embedding.Grid, cancel);
            f = peak.Frequency;
        }
        else
        {
            var grams = new IFrequencyGram?[g.Groups];
            for (int group = 0; group < g.Groups; group++)
            {
                var gram = PolyphaseGram.For(weight, g, group, strided.OutputGrid!, CirculantSpectrum.MaxTableBytes / g.Groups);
                grams[group] = gram.AbsoluteFrobenius2 > 0 ? gram : null;
            }
            peak = CirculantSpectrum.Max(grams, strided.OutputGrid!, cancel);
            f = StrongestAlias(weight, g, peak, embedding.Grid, strided.OutputGrid!);
        }
        double unit = Math.Pow(2, -53);
        double upper = Math.Sqrt(peak.Upper * embedding.FactorSquared) * (1 + 4 * unit);
        double best = Math.Sqrt(peak.Best * embedding.FactorSquared);
        string grid = string.Join("x", embedding.Grid.Skip(ConvGeometry.MaxRank - g.Rank));
        string method = strided is null
            ? $"circular embedding on the {grid} grid ({Certified(peak)})"
            : $"polyphase spectrum of the strided circular embedding on the {grid} grid ({Certified(peak)})";
        if (peak.Upper == 0) return new CircularBound(0, 0, embedding, [], method);
        // Circular V has no border to taper towards: its plane wave stays unwindowed.
        var x = PlaneWave.Create(weight, g, embedding.Grid, peak.Group, f, window: g.PaddingMode != PaddingMode.Circular);
        SpectralNorm.Normalize(x);
        // A little of every direction unless V is the circular operator itself (then the wave attains ‖V‖₂): the wave lives
        // in one group, and V's largest singular value may belong to another (the circular bound's order of the groups need
        // not be V's), which a Krylov space from the wave alone never reaches. A 1e-3 share costs the first Rayleigh
        // quotient about 1e-6 of itself.
        if (embedding.Exact) return new CircularBound(upper, best, embedding, x, method);
        var noise = new double[x.Length];
        Solvers.VectorMath.FillGaussian(new Random(1), noise);
        SpectralNorm.Normalize(noise);
        Solvers.VectorMath.AddScaled(x, 1e-3, noise);
        SpectralNorm.Normalize(x);
        return new CircularBound(upper, best, embedding, x, method);
    }

    private static string Certified(CirculantPeak peak) =>
        $"{peak.Frequencies} frequencies certified, {peak.Estimates} Lanczos estimates, {peak.Decompositions} eigen-decompositions";

    /// <summary>The alias f = g + a·M of the peak output frequency g whose symbol P(f) is largest: the plane wave the
    /// strided operator's top singular vector leans on most.</summary>
    private static int[] StrongestAlias(ReadOnlySpan<double> weight, ConvGeometry g, CirculantPeak peak, int[] grid, int[] outGrid)
    {
        var stride = ConvGeometry.Pad3(g.Stride, 1);
        int aliases = g.Stride.Aggregate(1, (p, s) => p * s);
        int[] best = peak.Frequency;
        double largest = -1;
        for (int a = 0; a < aliases; a++)
        {
            var f = PolyphaseGram.Alias(peak.Frequency, a, stride, outGrid);
            var p = FrequencyGram.Symbol(weight, g, peak.Group, grid, f[0], f[1], f[2]);
            double s = SymbolTopSingular.Of(p).Sigma;
            if (s > largest) (largest, best) = (s, f);
        }
        return best;
    }
}
