namespace ConvAsMatrix.Solvers;

/// <summary>
/// The noise's standard deviation estimated from the data alone (Donoho &amp; Johnstone 1994): the median absolute
/// deviation of the finest Haar wavelet coefficients, divided by 0.6745 (the MAD of a unit normal). For an image, the
/// diagonal (HH) detail of each 2 × 2 block, (y₀₀ − y₀₁ − y₁₀ + y₁₁)/2; in general the all-high coefficient of each
/// 2^r block of an r-dimensional signal. An orthonormal transform keeps white noise's σ, while a smooth image leaves
/// little in these coefficients, so the median sees mostly noise; sharp edges and textures inflate it, and at very low
/// noise they dominate (the estimate is then an upper bound of the noise plus the image's own finest detail).
/// </summary>
public static class NoiseEstimate
{
    /// <summary>σ̂ for a signal of the given spatial shape (1 to 3 dimensions; several channels or samples are pooled when <paramref name="data"/> holds whole multiples of it).</summary>
    /// <param name="data">Row-major, a whole number of signals of <paramref name="shape"/>.</param>
    /// <param name="shape">Spatial sizes, each at least 2.</param>
    /// <exception cref="ArgumentException">The shape is empty, beyond three dimensions, has a size below 2, does not divide the data, or a value is not finite.</exception>
    public static double Haar(ReadOnlySpan<double> data, ReadOnlySpan<int> shape)
    {
        if (shape.Length is < 1 or > 3) throw new ArgumentException($"shape has {shape.Length} dimensions; 1 to 3 are supported", nameof(shape));
        long plane = 1;
        foreach (int s in shape)
        {
            if (s < 2) throw new ArgumentException($"shape {Check.List(shape.ToArray())} has a size below 2: no pair of neighbours to compare", nameof(shape));
            plane *= s;
        }
        if (data.Length == 0 || data.Length % plane != 0) throw new ArgumentException($"data has {data.Length} values, not a whole number of signals of shape {Check.List(shape.ToArray())}", nameof(data));
        foreach (var v in data) if (!double.IsFinite(v)) throw new ArgumentException($"data holds {v}; the noise of non-finite data cannot be estimated", nameof(data));
        var n = ConvGeometry.Pad3(shape.ToArray(), 1);
        int rank = shape.Length, corners = 1 << rank;
        double norm = Math.Pow(2, -rank / 2.0);
        var coefficients = new List<double>();
        int h0 = n[0] == 1 ? 1 : n[0] / 2, h1 = n[1] == 1 ? 1 : n[1] / 2, h2 = n[2] / 2;
        for (long offset = 0; offset < data.Length; offset += plane)
            for (int i0 = 0; i0 < h0; i0++)
                for (int i1 = 0; i1 < h1; i1++)
                    for (int i2 = 0; i2 < h2; i2++)
                    {
                        double sum = 0;
                        for (int corner = 0; corner < corners; corner++)
                        {
                            // Bit d of corner steps dimension (3 − rank + d); the sign is (−1)^(number of steps).
                            int b2 = corner & 1, b1 = rank >= 2 ? (corner >> 1) & 1 : 0, b0 = rank == 3 ? (corner >> 2) & 1 : 0;
                            int j0 = n[0] == 1 ? 0 : 2 * i0 + b0, j1 = n[1] == 1 ? 0 : 2 * i1 + b1, j2 = 2 * i2 + b2;
                            double value = data[(int)(offset + ((long)j0 * n[1] + j1) * n[2] + j2)];
                            sum += ((b0 + b1 + b2) & 1) == 0 ? value : -value;
                        }
                        coefficients.Add(Math.Abs(sum * norm));
                    }
        coefficients.Sort();
        int m = coefficients.Count;
        double median = m % 2 == 1 ? coefficients[m / 2] : 0.5 * (coefficients[m / 2 - 1] + coefficients[m / 2]);
        return median / 0.6744897501960817;
    }
}
