namespace ConvAsMatrix.Spectrum;

/// <summary>
/// The real counterpart of <see cref="HermitianCholesky"/> for the dense Gram of a small V: a Cholesky factorisation of
/// τ·I − G that succeeds exactly when τ·I − G is positive definite (in floating point, see <see cref="DenseNorm"/> for
/// the margin), left-looking in blocks of rows so that each finished row is read once per block, not once per row.
/// </summary>
internal static class RealCholesky
{
    private const int Block = 32;

    /// <summary>Factors τ·I − G (G symmetric n × n, row-major; only its lower triangle is read) into the lower triangle of
    /// <paramref name="factor"/>; ‖R‖²_F when every pivot is positive, null otherwise.</summary>
    public static double? FactorShifted(double[] gram, int n, double tau, double[] factor)
    {
        for (int start = 0; start < n; start += Block)
        {
            int end = Math.Min(n, start + Block);
            // Rows j < start are finished; within the block, row j's diagonal comes before the entries below it.
            for (int j = 0; j < end; j++)
            {
                var rowJ = factor.AsSpan(j * n, j);
                for (int i = Math.Max(start, j); i < end; i++)
                {
                    double a = (i == j ? tau : 0) - gram[(long)i * n + j] - DenseVectorLoops.Dot(factor.AsSpan(i * n, j), rowJ);
                    if (i != j) factor[i * n + j] = a / factor[j * n + j];
                    else if (a > 0) factor[i * n + i] = Math.Sqrt(a);
                    else return null;
                }
            }
        }
        double frobenius2 = 0;
        for (int i = 0; i < n; i++)
            foreach (var x in factor.AsSpan(i * n, i + 1)) frobenius2 += x * x;
        return frobenius2;
    }
}
