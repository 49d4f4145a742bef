namespace ConvAsMatrix.Tests.Solvers;

/// <summary>Small random convolutions and vectors shared by the solver, spectrum and interop tests.</summary>
internal static class Problems
{
    public static double[] Gaussian(Random random, int length)
    {
        var a = new double[length];
        for (int i = 0; i < length; i++) a[i] = random.NextDouble() * 2 - 1;
        return a;
    }

    /// <summary>V of a random 2-D convolution with the given options (weights uniform in [−1, 1]).</summary>
    public static ConvolutionMatrix<double> Random2D(Random random, int cin, int cout, int n, int k, ConvOptions? options = null)
    {
        var g = ConvGeometry.ForConv([1, cin, n, n], [cout, cin / (options?.Groups ?? 1), k, k], options);
        return ConvolutionMatrix<double>.Compile(Gaussian(random, g.WeightLength), g);
    }

    /// <summary>A same-size 2-D convolution whose kernel is a unit centre tap plus small random neighbours: well conditioned.</summary>
    public static ConvolutionMatrix<double> WellConditioned(Random random, int channels, int n, PaddingMode mode)
    {
        var g = ConvGeometry.ForConv([1, channels, n, n], [channels, channels, 3, 3], new ConvOptions { Padding = 1, PaddingMode = mode });
        var w = Gaussian(random, g.WeightLength);
        for (int i = 0; i < w.Length; i++) w[i] *= 0.05;
        for (int c = 0; c < channels; c++) w[(c * channels + c) * 9 + 4] = 1;
        return ConvolutionMatrix<double>.Compile(w, g);
    }

    public static double Norm(ReadOnlySpan<double> a)
    {
        double s = 0;
        foreach (var v in a) s += v * v;
        return Math.Sqrt(s);
    }

    public static double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return Math.Sqrt(s);
    }

    /// <summary>‖V·x − y‖₂ computed afresh.</summary>
    public static double Misfit(CompressedRowStorage<double> v, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var vx = new double[v.RowCount];
        v.Multiply(x, vx);
        return Distance(vx, y);
    }
}
