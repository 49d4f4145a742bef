using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The core's float64 FMA peak as a C# loop reaches it: 12 independent Vector512 accumulators, operands in
/// registers, no memory traffic. The structured kernels' rates are reported as a fraction of this, measured in the same run.
/// </summary>
public static class PeakFma
{
    /// <summary>Multiply-adds per <see cref="Run"/> iteration: 12 vectors × 8 lanes.</summary>
    public const int FmasPerIteration = 12 * 8;

    /// <summary>Runs <paramref name="iterations"/> iterations; returns a value that depends on all of them (so none is dropped).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static double Run(long iterations)
    {
        var m = Vector512.Create(0.999999);
        var c = Vector512.Create(1e-7);
        Vector512<double> a0 = Vector512.Create(1.0), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<double> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, c); a1 = Vector512.FusedMultiplyAdd(a1, m, c);
            a2 = Vector512.FusedMultiplyAdd(a2, m, c); a3 = Vector512.FusedMultiplyAdd(a3, m, c);
            a4 = Vector512.FusedMultiplyAdd(a4, m, c); a5 = Vector512.FusedMultiplyAdd(a5, m, c);
            a6 = Vector512.FusedMultiplyAdd(a6, m, c); a7 = Vector512.FusedMultiplyAdd(a7, m, c);
            a8 = Vector512.FusedMultiplyAdd(a8, m, c); a9 = Vector512.FusedMultiplyAdd(a9, m, c);
            a10 = Vector512.FusedMultiplyAdd(a10, m, c); a11 = Vector512.FusedMultiplyAdd(a11, m, c);
        }
        return Vector512.Sum(a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11);
    }

    /// <summary>GFLOP/s of the loop (2 flops per multiply-add), best of <paramref name="repeats"/> runs of about 5 ms.</summary>
    public static double GigaFlops(int repeats = 50)
    {
        const long iterations = 2_000_000;
        Run(1000);
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            Run(iterations);
            best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return 2.0 * FmasPerIteration * iterations / best / 1e9;
    }
}
