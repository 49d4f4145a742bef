using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The core's multiply-add peak as a C# loop reaches it on one <see cref="KernelPath"/>: 12 independent
/// accumulators, operands in registers, no memory traffic, written once over the kernels' own
/// <see cref="IVectorOps{TNum, TVec}"/> so it runs exactly the instructions the structured V's kernels do (fused
/// multiply-adds where the path fuses them, else a multiply and an add). The structured kernels' rates are
/// reported as a fraction of this, measured in the same run (<c>convmat bench</c>, the BenchmarkDotNet suite).
/// </summary>
/// <remarks>
/// Each multiply-add counts 2 flops, fused or not. 12 chains hide the latency of a fused multiply-add (4 cycles) or
/// of a multiply then an add (6) on two pipes; fewer left the loop latency-bound, and without
/// <c>AggressiveOptimization</c> the JIT's first tier kept the accumulators on the stack (16 GFLOP/s where 58 were
/// due; shared/REFERENCE.md).
/// </remarks>
public static class PeakLoop
{
    private const int Accumulators = 12;

    /// <summary>Multiply-adds one <see cref="Run{T}"/> call of the BenchmarkDotNet suite performs on any path: 1.92 GFLOP.</summary>
    public const long MultiplyAddsPerCall = 960_000_000;

    /// <summary>
    /// Runs about <paramref name="multiplyAdds"/> multiply-adds (rounded down to whole iterations of 12 vectors) of
    /// <typeparamref name="T"/> on <paramref name="path"/>; returns a value that depends on all of them, so none is dropped.
    /// </summary>
    /// <typeparam name="T">double or float.</typeparam>
    /// <param name="path">The path: <see cref="KernelPath.Best"/> or another this process runs. A width the process
    /// does not accelerate runs emulated, far below any peak.</param>
    /// <param name="multiplyAdds">Multiply-adds to perform, at least one iteration's (12 × lanes).</param>
    /// <exception cref="ArgumentException"><typeparamref name="T"/> is neither double nor float, or too few multiply-adds.</exception>
    public static T Run<T>(KernelPath path, long multiplyAdds) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        RequireFloatingPoint<T>();
        long iterations = multiplyAdds / MultiplyAddsPerIteration<T>(path);
        if (iterations < 1)
            throw new ArgumentOutOfRangeException(nameof(multiplyAdds), multiplyAdds, $"multiplyAdds must be >= {MultiplyAddsPerIteration<T>(path)} (one iteration on {path.Name}), got {multiplyAdds}");
        return path.VectorBits switch
        {
            512 => Loop<T, Vector512<T>, Vector512Ops<T>>(iterations),
            256 => Loop<T, Vector256<T>, Vector256Ops<T>>(iterations),
            128 => Loop<T, Vector128<T>, Vector128Ops<T>>(iterations),
            _ => Loop<T, T, ScalarOps<T>>(iterations),
        };
    }

    /// <summary>Multiply-adds per iteration of the loop on <paramref name="path"/>: 12 × the lanes of one vector of <typeparamref name="T"/>.</summary>
    public static long MultiplyAddsPerIteration<T>(KernelPath path) where T : unmanaged =>
        (long)Accumulators * path.Lanes<T>();

    /// <summary>
    /// GFLOP/s of the loop on <paramref name="path"/> (2 flops per multiply-add): the best of <paramref name="repeats"/>
    /// runs of about 5 ms each (the best, since the peak is a ceiling and a busy machine only slows a run down).
    /// </summary>
    /// <typeparam name="T">double or float.</typeparam>
    /// <param name="path">The path; typically <see cref="KernelPath.Best"/> or an operator's <see cref="StructuredConvolution{T}.KernelPath"/>.</param>
    /// <param name="repeats">Timed runs, at least 1.</param>
    public static double GigaFlops<T>(KernelPath path, int repeats = 20) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        Check.AtLeast(repeats, 1, nameof(repeats));
        RequireFloatingPoint<T>();
        // Sized from a first timed run so every path (16 lanes of float32 to one scalar lane) runs ~5 ms per repeat.
        long multiplyAdds = MultiplyAddsPerIteration<T>(path) * 10_000;
        double probe = Time<T>(path, multiplyAdds);
        multiplyAdds = Math.Max(multiplyAdds, (long)(multiplyAdds * 0.005 / Math.Max(probe, 1e-7)));
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++) best = Math.Min(best, Time<T>(path, multiplyAdds));
        long done = multiplyAdds / MultiplyAddsPerIteration<T>(path) * MultiplyAddsPerIteration<T>(path);
        return 2.0 * done / best / 1e9;
    }

    private static double Time<T>(KernelPath path, long multiplyAdds) where T : unmanaged, INumberBase<T>
    {
        long start = Stopwatch.GetTimestamp();
        Run<T>(path, multiplyAdds);
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static void RequireFloatingPoint<T>()
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float))
            throw new ArgumentException($"the peak loop runs double or float, not {typeof(T).Name}", nameof(T));
    }

    /// <summary>The loop: one instantiation per width, so the 12 accumulators are registers of that width.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static TNum Loop<TNum, TVec, TOps>(long iterations)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        // a ← a·m + c converges to c / (1 − m) = 0.1 from 1: no overflow, no denormals, for any count.
        TVec m = TOps.Create(TNum.CreateTruncating(0.999999)), c = TOps.Create(TNum.CreateTruncating(1e-7));
        TVec a0 = TOps.Create(TNum.One), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        TVec a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = TOps.MultiplyAdd(a0, m, c); a1 = TOps.MultiplyAdd(a1, m, c);
            a2 = TOps.MultiplyAdd(a2, m, c); a3 = TOps.MultiplyAdd(a3, m, c);
            a4 = TOps.MultiplyAdd(a4, m, c); a5 = TOps.MultiplyAdd(a5, m, c);
            a6 = TOps.MultiplyAdd(a6, m, c); a7 = TOps.MultiplyAdd(a7, m, c);
            a8 = TOps.MultiplyAdd(a8, m, c); a9 = TOps.MultiplyAdd(a9, m, c);
            a10 = TOps.MultiplyAdd(a10, m, c); a11 = TOps.MultiplyAdd(a11, m, c);
        }
        var sum = TOps.Add(TOps.Add(TOps.Add(a0, a1), TOps.Add(a2, a3)), TOps.Add(TOps.Add(a4, a5), TOps.Add(a6, a7)));
        return TOps.Sum(TOps.Add(sum, TOps.Add(TOps.Add(a8, a9), TOps.Add(a10, a11))));
    }
}
