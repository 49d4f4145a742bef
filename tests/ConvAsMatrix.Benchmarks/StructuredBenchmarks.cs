using BenchmarkDotNet.Attributes;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The blocked kernels of the structured V (<see cref="BlockedConvolution{T}"/>): V·X (<c>conv</c>) and Vᵀ·Y
/// (<c>tconv</c>) on W1–W6, batch 1 and 16, 1 and 2 threads, float64 and float32, on <see cref="KernelPath.Best"/>
/// (the Path column), beside the peak loops of the same run (<see cref="PeakLoopBenchmark"/>).
/// </summary>
/// <remarks>
/// GFLOP/s = <see cref="WorkloadTimer.Flops"/> / time: 2·C_out·(C_in/groups)·∏k·∏out per sample, the nominal count PyTorch's
/// im2col + GEMM performs too (taps in the zero padding included). CONVMAT_BENCH_WORKLOADS, CONVMAT_BENCH_DTYPES
/// (<c>float64,float32</c>) and CONVMAT_BENCH_THREADS (<c>1,2</c>) narrow the parameters.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
public class StructuredBenchmarks
{
    private Action conv = null!, tconv = null!;

    /// <summary>The workloads: CONVMAT_BENCH_WORKLOADS or W1–W6.</summary>
    public static IEnumerable<string> Workloads => BenchmarkConfig.Listed("CONVMAT_BENCH_WORKLOADS") ?? Benchmarks.Workload.Structured.Select(w => w.Name);

    /// <summary>The element types: CONVMAT_BENCH_DTYPES or float64 and float32.</summary>
    public static IEnumerable<string> Dtypes => BenchmarkConfig.Listed("CONVMAT_BENCH_DTYPES") ?? ["float64", "float32"];

    /// <summary>The thread counts: CONVMAT_BENCH_THREADS or 1 and 2.</summary>
    public static IEnumerable<int> ThreadCounts => BenchmarkConfig.Listed("CONVMAT_BENCH_THREADS")?.Select(int.Parse) ?? [1, 2];

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = "W1";

    [Params(1, 16)]
    public int Batch { get; set; }

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    [ParamsSource(nameof(Dtypes))]
    public string Dtype { get; set; } = "float64";

    [GlobalSetup]
    public void Setup()
    {
        if (Dtype == "float32") Prepare<float>();
        else Prepare<double>();
        Parallelism.MaxDegreeOfParallelism = Threads;
    }

    private void Prepare<T>() where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var w = Benchmarks.Workload.Named(Workload);
        var kernel = BlockedConvolution<T>.TryCreate(w.Geometry(Batch), w.Weight<T>())!;
        T[] x = w.Input<T>(Batch), y = w.TransposeInput<T>(Batch), vx = new T[y.Length], vty = new T[x.Length];
        int batch = Batch;
        conv = () => kernel.Forward(x, vx, batch);
        tconv = () => kernel.Adjoint(y, vty, batch);
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;

    [Benchmark(Description = "conv V·X")]
    public void Conv() => conv();

    [Benchmark(Description = "tconv Vᵀ·Y")]
    public void TConv() => tconv();
}

/// <summary>
/// The peak loop (<see cref="PeakLoop"/>) of every path this process runs (<see cref="KernelPath.Best"/> first), float64
/// and float32: <see cref="PeakLoop.MultiplyAddsPerCall"/> multiply-adds per call on every path, 1.92 GFLOP, so
/// GFLOP/s = 1.92 / seconds.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class PeakLoopBenchmark
{
    private KernelPath path = KernelPath.Best;

    /// <summary>The names of <c>KernelPath.Supported()</c>, widest first.</summary>
    public static IEnumerable<string> Paths => KernelPath.Supported().Select(p => p.Name);

    [ParamsSource(nameof(Paths))]
    public string Path { get; set; } = KernelPath.Best.Name;

    [Params("float64", "float32")]
    public string Dtype { get; set; } = "float64";

    [GlobalSetup]
    public void Setup() => path = KernelPath.Supported().Single(p => p.Name == Path);

    [Benchmark(Description = "peak loop (1.92 GFLOP)")]
    public double Peak() => Dtype == "float32" ? PeakLoop.Run<float>(path, PeakLoop.MultiplyAddsPerCall) : PeakLoop.Run<double>(path, PeakLoop.MultiplyAddsPerCall);
}
