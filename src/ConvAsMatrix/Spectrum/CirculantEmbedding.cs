namespace ConvAsMatrix.Spectrum;

/// <summary>
/// How V sits inside a circular convolution C_N whose spectrum the closed form gives: the grid N per dimension,
/// and the factor F with ‖V‖₂ ≤ F·‖C_N‖₂ (F = 1 and equality when V is C_N with its rows permuted).
/// </summary>
/// <remarks>
/// <para>Per dimension, with input n, padding b before and a after, kernel k, dilation d, stride s, m output rows
/// (m ≤ the natural size: a transposed convolution's output_padding may crop rows):</para>
/// <para>Zeros, reflect, replicate: V = S·C_valid·P. P (N × n, N = n + b + a) pads the input; C_valid (stride 1) maps
/// the padded signal to the N − d(k − 1) positions that read only it, o ↦ Σₜ w_t·z[o + d·t]; S keeps the rows o·s,
/// o &lt; m. Since o + d·t ≤ N − 1, C_valid is rows [0, N − d(k − 1)) of the circular C_N, unchanged: a row subset.
/// So ‖V‖ ≤ ‖C_N‖·‖P‖. P has one 1 per row, so PᵀP is diagonal with the column counts: ‖P‖ = √(max count);
/// 1 for zeros (P = [0; I; 0]), √2 for reflect, √(1 + max(b, a)) for replicate. Across dimensions P is a Kronecker
/// product, so the factors multiply.</para>
/// <para>Circular: V = R·C_n, where row o of V is row (o·s − b) mod n of C_n (taps wrap modulo n already). R selects
/// rows with repetition, RᵀR is diagonal with the multiplicities, so ‖V‖ ≤ √(max multiplicity)·‖C_n‖; with every
/// residue hit exactly once (m = n and gcd(s, n) = 1, e.g. stride 1 with b + a = d(k − 1)) R is a permutation and
/// ‖V‖ = ‖C_n‖ exactly. The circular norm on the unpadded n is NOT a bound for zero padding: the grid must hold the
/// padding, so that no tap wraps.</para>
/// </remarks>
internal sealed class CirculantEmbedding
{
    private CirculantEmbedding(int[] grid, long factorSquared, bool exact, int[]? outputGrid = null)
    {
        Grid = grid;
        OutputGrid = outputGrid;
        FactorSquared = factorSquared;
        Exact = exact;
    }

    /// <summary>Grid sizes N per dimension, padded to three dimensions with leading 1s.</summary>
    public int[] Grid { get; }

    /// <summary>For the strided embedding (<see cref="Strided"/>): the output grid M = N / s of the strided circular
    /// convolution C_N^{(s)} whose polyphase spectrum bounds V; null for the stride-1 embedding.</summary>
    public int[]? OutputGrid { get; }

    /// <summary>F²: ∏ over dimensions of the largest column count of P (or row multiplicity of R), an integer.</summary>
    public long FactorSquared { get; }

    /// <summary>Whether ‖V‖ = ‖C_N‖ exactly (circular, every output row a distinct circular row, all rows present).</summary>
    public bool Exact { get; }

    public static CirculantEmbedding Of(ConvGeometry g)
    {
        int lead = ConvGeometry.MaxRank - g.Rank;
        var grid = new int[ConvGeometry.MaxRank];
        long factor = 1;
        bool exact = g.PaddingMode == PaddingMode.Circular;
        for (int d = 0; d < ConvGeometry.MaxRank; d++)
        {
            if (d < lead)
            {
                grid[d] = 1;
                continue;
            }
            int i = d - lead, n = g.InputSize[i], b = g.PaddingBefore[i], a = g.PaddingAfter[i];
            if (g.PaddingMode == PaddingMode.Circular)
            {
                var (count, allOnce) = RowMultiplicity(n, g.OutputSize[i], g.Stride[i], b);
                grid[d] = n;
                factor *= count;
                exact &= allOnce;
            }
            else
            {
                grid[d] = checked(n + b + a);
                factor *= PaddingColumnCount(n, b, a, g.PaddingMode);
            }
        }
        return new CirculantEmbedding(grid, factor, exact);
    }

    /// <summary>
    /// V inside the strided circular convolution C_N^{(s)} (rows o·s of C_N, N a multiple of s per dimension), whose
    /// norm the polyphase decomposition gives exactly (<see cref="PolyphaseGram"/>); null when no dimension is strided,
    /// or for circular padding when a stride does not divide n.
    /// </summary>
    /// <remarks>
    /// <para>Zeros, reflect, replicate: N = n + b + a rounded up to a multiple of s. The rows o·s (o &lt; m) of V's
    /// stride-1 operator on that grid read no wrapped tap (a larger grid only moves the wrap further out), so V = S·C_valid·P
    /// is a row subset of C_N^{(s)}·P: ‖V‖ ≤ ‖P‖·‖C_N^{(s)}‖, with the same ‖P‖ as the stride-1 embedding, and
    /// ‖C_N^{(s)}‖ ≤ ‖C_N‖ on the same grid (a row subset again).</para>
    /// <para>Circular with s | n: row o of V is row (o·s − b) mod n of C_n, and these all have the residue r = (−b) mod s,
    /// so V = R·C_n^{(s)}·T with T the unitary shift by r and R selecting rows j = ((o·s − b) mod n − r)/s of the M = n/s
    /// strided rows, with repetition: ‖V‖ ≤ √(max multiplicity)·‖C_n^{(s)}‖, with equality when every j occurs exactly once.</para>
    /// </remarks>
    public static CirculantEmbedding? Strided(ConvGeometry g)
    {
        if (g.Stride.All(s => s == 1)) return null;
        int lead = ConvGeometry.MaxRank - g.Rank;
        int[] grid = [1, 1, 1], output = [1, 1, 1];
        long factor = 1;
        bool exact = g.PaddingMode == PaddingMode.Circular;
        for (int i = 0; i < g.Rank; i++)
        {
            int d = i + lead, n = g.InputSize[i], b = g.PaddingBefore[i], a = g.PaddingAfter[i], s = g.Stride[i];
            if (g.PaddingMode == PaddingMode.Circular)
            {
                if (n % s != 0) return null;
                var (count, _) = RowMultiplicity(n, g.OutputSize[i], g.Stride[i], b);
                grid[d] = n;
                factor *= count;
                exact &= count == 1 && g.OutputSize[i] == n / s;
            }
            else
            {
                long padded = (long)n + b + a;
                grid[d] = checked((int)((padded + s - 1) / s * s));
                factor *= PaddingColumnCount(n, b, a, g.PaddingMode);
            }
            output[d] = grid[d] / s;
        }
        return new CirculantEmbedding(grid, factor, exact, output);
    }

    /// <summary>The most padded positions p ∈ [−b, n + a) that read one input index: ‖P‖² of one dimension.</summary>
    internal static int PaddingColumnCount(int n, int before, int after, PaddingMode mode)
    {
        var count = new int[n];
        for (long p = -before; p < (long)n + after; p++)
        {
            int source = SamplingMap.SourceIndex(p, n, mode);
            if (source >= 0) count[source]++;
        }
        return count.Max();
    }

    /// <summary>How often the most-read circular row (o·s − b) mod n occurs over o &lt; m, and whether every residue occurs exactly once.</summary>
    internal static (int Count, bool AllOnce) RowMultiplicity(int n, int m, int stride, int before)
    {
        var count = new int[n];
        for (long o = 0; o < m; o++) count[(int)(((o * stride - before) % n + n) % n)]++;
        int max = count.Max();
        return (max, max == 1 && count.Min() == 1);
    }
}
