using BenchmarkDotNet.Attributes;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The blocked kernels of the structured V (<see cref="BlockedConvolution{T}"/>): V·X (<c>conv</c>) and Vᵀ·Y
/// (<c>tconv</c>) on W1–W6, batch 1 and 16, 1 and 2 threads, float64, beside the FMA peak loop of the same run.
/// </summary>
/// <remarks>
/// GFLOP/s = <see cref="Flops"/> / time: 2·C_out·(C_in/groups)·∏k·∏out per sample, the nominal count PyTorch's
/// im2col + GEMM performs too (taps in the zero padding included).
/// </remarks>
[Config(typeof(BenchmarkConfig))]
public class StructuredBenchmarks
{
    private BlockedConvolution<double> kernel = null!;
    private double[] x = null!, y = null!, vx = null!, vty = null!;

    /// <summary>The workloads: CONVMAT_BENCH_WORKLOADS or W1–W6.</summary>
    public static IEnumerable<string> Workloads =>
        Environment.GetEnvironmentVariable("CONVMAT_BENCH_WORKLOADS")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        ?? Benchmarks.Workload.Structured.Select(w => w.Name);

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = "W1";

    [Params(1, 16)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Nominal floating-point operations of one V·X (equally Vᵀ·Y) over the geometry's batch.</summary>
    public static double Flops(ConvGeometry g) => 2.0 * g.Batch * g.WeightLength * g.OutputSize.Aggregate(1.0, (p, o) => p * o);

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        kernel = BlockedConvolution<double>.TryCreate(w.Geometry(Batch), w.Weight())!;
        (x, y) = (w.Input(Batch), w.TransposeInput(Batch));
        (vx, vty) = (new double[y.Length], new double[x.Length]);
        Parallelism.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;

    [Benchmark(Description = "conv V·X")]
    public void Conv() => kernel.Forward(x, vx, Batch);

    [Benchmark(Description = "tconv Vᵀ·Y")]
    public void TConv() => kernel.Adjoint(y, vty, Batch);
}

/// <summary>The FMA peak loop (<see cref="PeakFma"/>), 10⁷ iterations per call: 1.92 GFLOP; GFLOP/s = 1.92 / seconds.</summary>
[Config(typeof(BenchmarkConfig))]
public class PeakFmaBenchmark
{
    /// <summary>Iterations per call.</summary>
    public const long Iterations = 10_000_000;

    [Benchmark(Description = "FMA peak loop (1.92 GFLOP)")]
    public double Peak() => PeakFma.Run(Iterations);
}
