using BenchmarkDotNet.Attributes;

namespace ConvAsMatrix.Benchmarks;

/// <summary>The library's V·X (<c>conv</c>) and Vᵀ·Y (<c>tconv</c>) on a batch, on 1 and 2 threads.</summary>
[Config(typeof(BenchmarkConfig))]
public class ApplyBenchmarks
{
    private ConvolutionMatrix<double> v = null!;
    private double[] x = null!, y = null!, vx = null!, vty = null!;

    [ParamsSource(typeof(BenchmarkConfig), nameof(BenchmarkConfig.Workloads))]
    public string Workload { get; set; } = "W1";

    [Params(1, 16)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        v = ConvolutionMatrix<double>.Compile(w.Weight(), w.Geometry(Batch));
        (x, y) = (w.Input(Batch), w.TransposeInput(Batch));
        (vx, vty) = (new double[y.Length], new double[x.Length]);
        _ = v.Columns;
        Parallelism.MaxDegreeOfParallelism = Threads;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        v = null!;
        GC.Collect();
    }

    [Benchmark(Description = "conv V·X")]
    public void Conv() => v.Convolve(x, vx);

    [Benchmark(Description = "tconv Vᵀ·Y")]
    public void TConv() => v.ConvolveTranspose(y, vty);
}
