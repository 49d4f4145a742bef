namespace ConvAsMatrix.Solvers;

/// <summary>The few dense vector operations the Krylov loops need, on spans (BLAS level 1).</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>y += α·x.</summary>
    public static void AddScaled(Span<double> y, double alpha, ReadOnlySpan<double> x)
    {
        for (int i = 0; i < y.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>Fills <paramref name="a"/> with independent standard normal draws (Box–Muller) from <paramref name="random"/>.</summary>
    public static void FillGaussian(Random random, Span<double> a)
    {
        for (int i = 0; i < a.Length; i += 2)
        {
            double u = 1.0 - random.NextDouble(), v = random.NextDouble();
            double r = Math.Sqrt(-2 * Math.Log(u));
            a[i] = r * Math.Cos(2 * Math.PI * v);
            if (i + 1 < a.Length) a[i + 1] = r * Math.Sin(2 * Math.PI * v);
        }
    }
}
