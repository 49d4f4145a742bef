namespace ConvAsMatrix.Solvers;

/// <summary>
/// Test images for deblurring, n × n row-major with values in [0, 1] (peak 1, so PSNR = 10·log10(1/MSE)): a smooth one
/// and a piecewise-constant one, the two kinds a regularisation rule must handle (Hansen, Discrete Inverse Problems, §7).
/// </summary>
public static class Phantoms
{
    /// <summary>
    /// Smooth: a sum of five Gaussian bumps of different widths and heights on a gentle ramp, scaled to [0, 1]. Every
    /// derivative is small, so a Tikhonov solution can come close to it.
    /// </summary>
    /// <param name="n">Side in pixels, ≥ 8.</param>
    public static double[] Smooth(int n)
    {
        CheckSize(n);
        // (row, column, width, height) as fractions of n.
        (double I, double J, double W, double H)[] bumps = [(0.3, 0.3, 0.12, 1.0), (0.7, 0.25, 0.08, 0.7), (0.55, 0.7, 0.18, 0.8), (0.2, 0.75, 0.05, 0.6), (0.8, 0.8, 0.1, 0.5)];
        var image = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double y = (i + 0.5) / n, x = (j + 0.5) / n, v = 0.15 * (x + y);
                foreach (var b in bumps) v += b.H * Math.Exp(-((y - b.I) * (y - b.I) + (x - b.J) * (x - b.J)) / (2 * b.W * b.W));
                image[i * n + j] = v;
            }
        return Scaled(image);
    }

    /// <summary>
    /// Piecewise constant: a background of 0.1 with a rectangle (0.9), a disc (0.6), a thin diagonal bar (1.0) and a small
    /// square (0.35), placed at fractions of n so every size shows the same scene. Its edges are what over-smoothing loses.
    /// </summary>
    /// <param name="n">Side in pixels, ≥ 8.</param>
    public static double[] PiecewiseConstant(int n)
    {
        CheckSize(n);
        var image = new double[n * n];
        double bar = Math.Max(1, n / 32.0);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double y = (i + 0.5) / n, x = (j + 0.5) / n, value = 0.1;
                if (y is >= 0.125 and < 0.44 && x is >= 0.16 and < 0.62) value = 0.9;
                if ((y - 0.69) * (y - 0.69) + (x - 0.31) * (x - 0.31) <= 0.16 * 0.16) value = 0.6;
                if (y is >= 0.72 and < 0.88 && x is >= 0.72 and < 0.88) value = 0.35;
                if (Math.Abs(i - (j - 0.0625 * n)) < bar / 2 + 0.25 && y is >= 0.44 and < 0.94) value = 1.0;
                image[i * n + j] = value;
            }
        return image;
    }

    private static double[] Scaled(double[] image)
    {
        double min = image.Min(), max = image.Max();
        for (int i = 0; i < image.Length; i++) image[i] = (image[i] - min) / (max - min);
        return image;
    }

    private static void CheckSize(int n)
    {
        if (n < 8) throw new ArgumentException($"phantom size {n} must be at least 8 pixels", nameof(n));
    }
}
