namespace ConvAsMatrix.Solvers;

/// <summary>
/// Point-spread functions of the standard deblurring test problems (as in IR Tools' PRblur and Hansen's
/// Regularization Tools), each a square kernel of odd size, non-negative, summing to 1, returned as a
/// (1, 1, k, k) weight for <see cref="ConvGeometry.ForConv"/>.
/// </summary>
public static class BlurKernels
{
    /// <summary>The isotropic Gaussian <c>exp(−(i² + j²)/(2σ²))</c> on a size × size grid centred on the middle element, normalised.</summary>
    /// <param name="size">Odd, ≥ 1.</param>
    /// <param name="sigma">Standard deviation in pixels, &gt; 0.</param>
    /// <exception cref="ArgumentException">size is even or below 1, or sigma is not positive and finite.</exception>
    public static Tensor<double> Gaussian(int size, double sigma)
    {
        CheckSize(size);
        CheckPositive(sigma, nameof(sigma));
        var profile = Profile(size, i => Math.Exp(-i * i / (2 * sigma * sigma)));
        return Separable(profile, profile);
    }

    /// <summary>The outer product of a column profile and a row profile, normalised: a separable blur (e.g. different widths across and along).</summary>
    /// <param name="columnProfile">Odd length k, non-negative, not all zero: the kernel's variation down the rows.</param>
    /// <param name="rowProfile">Length k too, along each row.</param>
    /// <exception cref="ArgumentException">The profiles differ in length, have an even length, or a negative or non-finite value, or sum to 0.</exception>
    public static Tensor<double> Separable(ReadOnlySpan<double> columnProfile, ReadOnlySpan<double> rowProfile)
    {
        int k = columnProfile.Length;
        CheckSize(k);
        if (rowProfile.Length != k)
            throw new ArgumentException($"the row profile has {rowProfile.Length} values but the column profile {k}; a square kernel needs both of one length", nameof(rowProfile));
        var w = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                w[i * k + j] = columnProfile[i] * rowProfile[j];
        return Normalised(w, k, "profiles");
    }

    /// <summary>
    /// Defocus: the disc of radius <paramref name="radius"/> pixels, each element weighted by the fraction of its pixel
    /// the disc covers (sampled on a 16 × 16 subgrid), normalised; size 2·⌈radius⌉ + 1.
    /// </summary>
    /// <exception cref="ArgumentException">radius is not positive and finite.</exception>
    public static Tensor<double> Defocus(double radius)
    {
        CheckPositive(radius, nameof(radius));
        int half = (int)Math.Ceiling(radius), k = 2 * half + 1;
        var w = Covered(k, (x, y) => x * x + y * y <= radius * radius);
        return Normalised(w, k, nameof(radius));
    }

    /// <summary>
    /// Linear motion: a segment of <paramref name="length"/> pixels through the centre at <paramref name="angleDegrees"/>
    /// (0 = along a row, counter-clockwise, rows growing downwards), each element weighted by the length of the segment
    /// within one pixel of it (a tent filter along the segment, 64 samples a pixel), normalised; size the odd number that holds it.
    /// </summary>
    /// <exception cref="ArgumentException">length is not positive and finite, or the angle is not finite.</exception>
    public static Tensor<double> Motion(double length, double angleDegrees)
    {
        CheckPositive(length, nameof(length));
        if (!double.IsFinite(angleDegrees)) throw new ArgumentException($"angleDegrees is {angleDegrees}; it must be finite", nameof(angleDegrees));
        double angle = angleDegrees * Math.PI / 180, dx = Math.Cos(angle), dy = -Math.Sin(angle);
        int half = (int)Math.Ceiling(length / 2) + 1, k = 2 * half + 1;
        var w = new double[k * k];
        int samples = (int)Math.Ceiling(length * 64) + 1;
        for (int s = 0; s < samples; s++)
        {
            double t = (s / (double)(samples - 1) - 0.5) * length, x = t * dx, y = t * dy;
            // Bilinear splat of the sample onto its four neighbours: the tent filter.
            int j0 = (int)Math.Floor(x), i0 = (int)Math.Floor(y);
            double fx = x - j0, fy = y - i0;
            Add(w, k, half + i0, half + j0, (1 - fy) * (1 - fx));
            Add(w, k, half + i0, half + j0 + 1, (1 - fy) * fx);
            Add(w, k, half + i0 + 1, half + j0, fy * (1 - fx));
            Add(w, k, half + i0 + 1, half + j0 + 1, fy * fx);
        }
        return Normalised(w, k, nameof(length));
    }

    private static void Add(double[] w, int k, int i, int j, double value)
    {
        if (i >= 0 && i < k && j >= 0 && j < k) w[i * k + j] += value;
    }

    /// <summary>A profile of odd length, value f(i) at offset i from the centre.</summary>
    private static double[] Profile(int size, Func<int, double> f)
    {
        var p = new double[size];
        for (int i = 0; i < size; i++) p[i] = f(i - size / 2);
        return p;
    }

    /// <summary>For each element of a k × k grid centred on 0, the fraction of its unit pixel where <paramref name="inside"/> holds (16 × 16 samples).</summary>
    private static double[] Covered(int k, Func<double, double, bool> inside)
    {
        const int Sub = 16;
        var w = new double[k * k];
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                int hits = 0;
                for (int a = 0; a < Sub; a++)
                    for (int b = 0; b < Sub; b++)
                        if (inside(j - k / 2 + (b + 0.5) / Sub - 0.5, i - k / 2 + (a + 0.5) / Sub - 0.5)) hits++;
                w[i * k + j] = hits / (double)(Sub * Sub);
            }
        return w;
    }

    private static Tensor<double> Normalised(double[] w, int k, string parameter)
    {
        double sum = 0;
        foreach (var v in w)
        {
            if (!(v >= 0) || !double.IsFinite(v)) throw new ArgumentException($"a blur kernel must be non-negative and finite; it has {v}", parameter);
            sum += v;
        }
        if (!(sum > 0)) throw new ArgumentException("a blur kernel must not be all zero", parameter);
        for (int i = 0; i < w.Length; i++) w[i] /= sum;
        return new Tensor<double>(w, 1, 1, k, k);
    }

    private static void CheckSize(int size)
    {
        if (size < 1 || size % 2 == 0) throw new ArgumentException($"kernel size {size} must be odd and at least 1, so that the blur has a centre", nameof(size));
    }

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw new ArgumentException($"{name} is {value}; it must be positive and finite", name);
    }
}
