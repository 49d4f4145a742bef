namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The real, banded counterpart of <see cref="HermitianCholesky"/> for the Gram matrix of a small or mid-size V: a
/// Cholesky factorisation of τ·I − G that succeeds exactly when τ·I − G is positive definite (in floating point, see
/// <see cref="DenseNorm"/> for the margin). G is stored by rows of its lower band, row r holding columns r − b … r at
/// offsets 0 … b (b the half-bandwidth); the factor has the same band. Left-looking in blocks of rows, so that each
/// finished row is read once per block rather than once per row.
/// </summary>
internal static class BandCholesky
{
    private const int Block = 32;

    /// <summary>Factors τ·I − G (n × n, lower band of half-width <paramref name="bandwidth"/> in <paramref name="gram"/>)
    /// into <paramref name="factor"/> (same layout); ‖R‖²_F when every pivot is positive, null otherwise.</summary>
    public static double? FactorShifted(double[] gram, int n, int bandwidth, double tau, double[] factor)
    {
        int w = bandwidth + 1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = Parallelism.MaxDegreeOfParallelism };
        int parts = Math.Max(1, Parallelism.MaxDegreeOfParallelism);
        bool failed = false;
        for (int start = 0; start < n && !failed; start += Block)
        {
            int end = Math.Min(n, start + Block);
            // Columns j < start (rows j finished): each row of the block depends only on itself and those rows, so the
            // block's rows are split between the threads, each sweeping j with its rows (row j is read once per part).
            Parallel.For(0, parts, options, part =>
            {
                int first = start + (end - start) * part / parts, last = start + (end - start) * (part + 1) / parts;
                for (int j = Math.Max(0, first - bandwidth); j < start; j++)
                    for (int i = Math.Max(first, j); i < Math.Min(last, j + w); i++) Entry(i, j);
            });
            // The block's own triangle, in order: row j's diagonal before the entries below it.
            for (int j = start; j < end && !failed; j++)
                for (int i = j; i < Math.Min(end, j + w); i++)
                    if (!Entry(i, j))
                    {
                        failed = true;
                        break;
                    }
        }
        if (failed) return null;
        double frobenius2 = 0;
        for (int i = 0; i < n; i++)
            foreach (var x in factor.AsSpan(i * w + Math.Max(0, bandwidth - i), Math.Min(i, bandwidth) + 1)) frobenius2 += x * x;
        return frobenius2;

        // L_ij from A_ij and the rows' earlier columns; false for a pivot that is not positive.
        bool Entry(int i, int j)
        {
            int k0 = Math.Max(0, i - bandwidth); // columns k0 … j − 1 are in both rows' bands
            double dot = DenseVectorLoops.Dot(factor.AsSpan(i * w + k0 - i + bandwidth, j - k0), factor.AsSpan(j * w + k0 - j + bandwidth, j - k0));
            double a = (i == j ? tau : 0) - gram[(long)i * w + j - i + bandwidth] - dot;
            if (i != j) factor[(long)i * w + j - i + bandwidth] = a / factor[(long)j * w + bandwidth];
            else if (a > 0) factor[(long)i * w + bandwidth] = Math.Sqrt(a);
            else return false;
            return true;
        }
    }
}
