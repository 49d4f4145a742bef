using BenchmarkDotNet.Attributes;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The machine's memory bandwidth in the same run (STREAM-style copy and triad over arrays far beyond the
/// L3 cache), on 1 and 2 threads: the bound V·x and Vᵀ·y are held to is the bytes they must read ÷ this rate.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BandwidthBenchmarks
{
    /// <summary>32 Mi doubles = 256 MiB per array, eight times the 32 MiB L3.</summary>
    public const int Length = 1 << 25;

    private double[] a = null!, b = null!, c = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (a, b, c) = (new double[Length], new double[Length], new double[Length]);
        Array.Fill(b, 1.0);
        Array.Fill(c, 2.0);
    }

    /// <summary>a = b: 16 bytes per element (read b, write a).</summary>
    [Benchmark(Description = "copy 2x256 MiB")]
    public void Copy() => Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
    {
        var (start, end) = Part(t);
        b.AsSpan(start, end - start).CopyTo(a.AsSpan(start, end - start));
    });

    /// <summary>a = b + 3·c: 24 bytes per element (read b and c, write a).</summary>
    [Benchmark(Description = "triad 3x256 MiB")]
    public void Triad() => Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
    {
        var (start, end) = Part(t);
        for (int i = start; i < end; i++) a[i] = b[i] + 3.0 * c[i];
    });

    private (int Start, int End) Part(int t) => ((int)((long)Length * t / Threads), (int)((long)Length * (t + 1) / Threads));
}
