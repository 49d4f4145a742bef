namespace ConvAsMatrix.Tests.Performance;

/// <summary>Random CSR arrays and the bound on floating-point reordering the fast kernels are held to.</summary>
internal static class RandomSparse
{
    /// <summary>A rows × cols CSR matrix with 0..maxPerRow entries per row at random (possibly repeated) columns; values from <paramref name="value"/>.</summary>
    public static (int[] Ptr, int[] Idx, T[] Val) Csr<T>(Random random, int rows, int cols, int maxPerRow, Func<Random, T> value)
    {
        var ptr = new int[rows + 1];
        for (int i = 0; i < rows; i++) ptr[i + 1] = ptr[i] + (cols == 0 ? 0 : random.Next(maxPerRow + 1));
        var idx = new int[ptr[rows]];
        var val = new T[ptr[rows]];
        for (int k = 0; k < idx.Length; k++)
        {
            idx[k] = random.Next(cols);
            val[k] = value(random);
        }
        return (ptr, idx, val);
    }

    public static T[] Vector<T>(Random random, int length, Func<Random, T> value) =>
        Enumerable.Range(0, length).Select(_ => value(random)).ToArray();

    public static long Long(Random r) => r.NextInt64(-1_000_000_007, 1_000_000_007);

    public static double Double(Random r) => (r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-8, 9));

    public static float Single(Random r) => (float)Double(r);

    /// <summary>
    /// Asserts |actual − expected| ≤ 2·n·ε·Σ|v·x| per element, the bound for any order of summing n products
    /// (Higham, Accuracy and Stability, §3.1): sums reordered by the fast kernels differ at most that much.
    /// </summary>
    public static void Close(double[] expected, double[] actual, double[] magnitude, int terms, double epsilon)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = 2 * Math.Max(terms, 1) * epsilon * magnitude[i];
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound,
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R}, allowed {bound:R}");
        }
    }
}
