namespace ConvAsMatrix.Tests.Performance;

/// <summary>
/// The fast gathers (parallel over lines, SIMD across a batch) against the sequential kernel, for every small
/// size around the vector widths: exactly in long, within the reordering bound in double and float.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public class FastGatherTests
{
    private static readonly int[] Sizes = [.. Enumerable.Range(0, 41)];

    [Fact]
    public void SingleVectorLongIsExactForEverySize()
    {
        var random = new Random(11);
        foreach (int rows in Sizes)
        {
            int cols = random.Next(1, 41);
            var (ptr, idx, val) = RandomSparse.Csr(random, rows, cols, 12, RandomSparse.Long);
            var x = RandomSparse.Vector(random, cols, RandomSparse.Long);
            foreach (bool scaled in new[] { false, true })
            {
                var expected = RandomSparse.Vector(random, rows, RandomSparse.Long);
                var actual = (long[])expected.Clone();
                SparseKernels.GatherSequential(ptr, idx, val, 3L, x, -5L, expected, scaled);
                SparseKernels.Gather(ptr, idx, val, 3L, x, -5L, actual, scaled);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void BatchLongIsExactForEverySizeAndBatch()
    {
        var random = new Random(12);
        foreach (int rows in Sizes)
            for (int batch = 1; batch <= 17; batch++)
                AssertBatchIsSequential(random, rows, batch, RandomSparse.Long);
    }

    [Fact]
    public void BatchDoubleIsSequentialSumPerSample()
    {
        // Each SIMD lane adds the same products in the same order as the sequential loop, with no fused multiply-add.
        var random = new Random(13);
        foreach (int rows in Sizes)
            for (int batch = 2; batch <= 17; batch++)
                AssertBatchIsSequential(random, rows, batch, RandomSparse.Double);
    }

    [Fact]
    public void BatchFloatIsSequentialSumPerSample()
    {
        var random = new Random(15);
        foreach (int rows in new[] { 1, 7, 8, 9, 31, 33 })
            for (int batch = 2; batch <= 17; batch++)
                AssertBatchIsSequential(random, rows, batch, RandomSparse.Single);
    }

    private static void AssertBatchIsSequential<T>(Random random, int rows, int batch, Func<Random, T> value)
        where T : System.Numerics.IAdditionOperators<T, T, T>, System.Numerics.IMultiplyOperators<T, T, T>, System.Numerics.IAdditiveIdentity<T, T>
    {
        int cols = random.Next(0, 41);
        var (ptr, idx, val) = RandomSparse.Csr(random, rows, cols, 10, value);
        var x = RandomSparse.Vector(random, batch * cols, value);
        var expected = new T[batch * rows];
        var actual = RandomSparse.Vector(random, batch * rows, value);
        for (int s = 0; s < batch; s++)
            SparseKernels.GatherSequential(ptr, idx, val, default!, x.AsSpan(s * cols, cols), default!, expected.AsSpan(s * rows, rows), scaled: false);
        SparseKernels.GatherBatch(ptr, idx, val, batch, x, actual);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void SingleVectorDoubleAndFloatAreWithinTheReorderingBound()
    {
        var random = new Random(14);
        foreach (int rows in Sizes)
        {
            int cols = random.Next(1, 41);
            var (ptr, idx, val) = RandomSparse.Csr(random, rows, cols, 40, RandomSparse.Double);
            var x = RandomSparse.Vector(random, cols, RandomSparse.Double);
            var magnitude = new double[rows];
            SparseKernels.GatherSequential(ptr, idx, val.Select(Math.Abs).ToArray(), 0.0, x.Select(Math.Abs).ToArray(), 0.0, magnitude, scaled: false);

            var expected = new double[rows];
            var actual = new double[rows];
            SparseKernels.GatherSequential(ptr, idx, val, 0.0, x, 0.0, expected, scaled: false);
            SparseKernels.Gather(ptr, idx, val, 0.0, x, 0.0, actual, scaled: false);
            RandomSparse.Close(expected, actual, magnitude, 40, Math.Pow(2, -53));

            var valF = val.Select(v => (float)v).ToArray();
            var xF = x.Select(v => (float)v).ToArray();
            var expectedF = new float[rows];
            var actualF = new float[rows];
            SparseKernels.GatherSequential(ptr, idx, valF, 0f, xF, 0f, expectedF, scaled: false);
            SparseKernels.Gather(ptr, idx, valF, 0f, xF, 0f, actualF, scaled: false);
            RandomSparse.Close(expectedF.Select(v => (double)v).ToArray(), actualF.Select(v => (double)v).ToArray(), magnitude, 40, Math.Pow(2, -24));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ResultsDoNotDependOnThreadsAcrossTheParallelThreshold(int threads)
    {
        // Row counts whose work (rows × entries per row) lands just below and just above the sequential threshold.
        const int perRow = 8;
        int threshold = (int)(ParallelRows.SequentialWork / perRow);
        foreach (int rows in new[] { threshold - 1, threshold, threshold + 1, 3 * threshold + 5 })
        {
            var random = new Random(rows);
            var ptr = Enumerable.Range(0, rows + 1).Select(i => i * perRow).ToArray();
            var idx = Enumerable.Range(0, rows * perRow).Select(_ => random.Next(rows)).ToArray();
            var val = RandomSparse.Vector(random, idx.Length, RandomSparse.Double);
            var x = RandomSparse.Vector(random, 3 * rows, RandomSparse.Double);
            Assert.Equal(threads > 1 && rows * perRow >= ParallelRows.SequentialWork, ParallelRows.IsParallel(threads, rows, perRow));

            var one = new double[3 * rows];
            var many = new double[3 * rows];
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = 1;
                SparseKernels.GatherBatch(ptr, idx, val, 3, x, one);
                SparseKernels.Gather(ptr, idx, val, 0.0, x.AsSpan(0, rows), 0.0, one.AsSpan(0, rows), scaled: false);
                Parallelism.MaxDegreeOfParallelism = threads;
                SparseKernels.GatherBatch(ptr, idx, val, 3, x, many);
                SparseKernels.Gather(ptr, idx, val, 0.0, x.AsSpan(0, rows), 0.0, many.AsSpan(0, rows), scaled: false);
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
            Assert.Equal(one, many);
        }
    }

    [Fact]
    public void ParallelismRejectsZeroThreads()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MaxDegreeOfParallelism = 0);
        Assert.Contains("MaxDegreeOfParallelism", e.Message);
    }
}
