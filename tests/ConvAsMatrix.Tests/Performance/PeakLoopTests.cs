using ConvAsMatrix.Benchmarks;

namespace ConvAsMatrix.Tests.Performance;

/// <summary>
/// The peak loop (<see cref="PeakLoop"/>) on every path this process runs: it performs exactly the multiply-adds it
/// counts (its result has a closed form), and its rate is a positive number.
/// </summary>
public class PeakLoopTests
{
    public static TheoryData<int> Paths => [.. Enumerable.Range(0, KernelPath.Supported().Length)];

    /// <summary>
    /// The loop's sum: a ← a·m + c from 1 (m = 0.999999, c = 1e-7, rounded to T; fused where the path fuses), n times,
    /// in each of 12 × lanes accumulators. In float64 close to 0.1 + 0.9·mⁿ; float32's steps are near its rounding unit,
    /// so the recurrence is replayed in T rather than taken from the closed form.
    /// </summary>
    private static double Expected<T>(KernelPath path, long iterations, long multiplyAddsPerIteration) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        T a = T.One, m = T.CreateTruncating(0.999999), c = T.CreateTruncating(1e-7);
        for (long i = 0; i < iterations; i++) a = path.FusedMultiplyAdd ? T.FusedMultiplyAdd(a, m, c) : a * m + c;
        return multiplyAddsPerIteration * double.CreateTruncating(a);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void EveryAccumulatorOfEveryLaneRunsEveryIterationInFloat64(int index)
    {
        var path = KernelPath.Supported()[index];
        long perIteration = PeakLoop.MultiplyAddsPerIteration<double>(path);
        Assert.Equal(12L * (path.VectorBits == 0 ? 1 : path.VectorBits / 64), perIteration);
        const long iterations = 200_000;
        // A stray half iteration is dropped, not run.
        double sum = PeakLoop.Run<double>(path, iterations * perIteration + perIteration / 2);
        Assert.Equal(Expected<double>(path, iterations, perIteration), sum, 1e-12 * sum);
        Assert.Equal(perIteration * (0.1 + 0.9 * Math.Pow(0.999999, iterations)), sum, 1e-6 * sum);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Float32RunsTwiceTheLanesOfFloat64(int index)
    {
        var path = KernelPath.Supported()[index];
        long perIteration = PeakLoop.MultiplyAddsPerIteration<float>(path);
        Assert.Equal(path.VectorBits == 0 ? 12 : 2 * PeakLoop.MultiplyAddsPerIteration<double>(path), perIteration);
        const long iterations = 20_000;
        float sum = PeakLoop.Run<float>(path, iterations * perIteration);
        Assert.Equal(Expected<float>(path, iterations, perIteration), sum, 1e-5 * sum);
    }

    [Fact]
    public void TheRateOfTheBestPathIsPositiveAndFinite()
    {
        foreach (var rate in new[] { PeakLoop.GigaFlops<double>(KernelPath.Best, repeats: 2), PeakLoop.GigaFlops<float>(KernelPath.Best, repeats: 2) })
            Assert.True(double.IsFinite(rate) && rate > 0, $"{rate} GFLOP/s");
    }

    [Fact]
    public void RefusesOtherTypesAndLessThanOneIteration()
    {
        Assert.Throws<ArgumentException>(() => PeakLoop.Run<long>(KernelPath.Best, 1_000_000));
        Assert.Throws<ArgumentException>(() => PeakLoop.GigaFlops<decimal>(KernelPath.Best));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakLoop.Run<double>(KernelPath.Best, PeakLoop.MultiplyAddsPerIteration<double>(KernelPath.Best) - 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PeakLoop.GigaFlops<double>(KernelPath.Best, repeats: 0));
    }
}
