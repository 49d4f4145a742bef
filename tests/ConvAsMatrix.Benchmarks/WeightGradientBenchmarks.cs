using BenchmarkDotNet.Attributes;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The weight gradient <c>Σ_n U(x_n)ᵀ·y_n</c> (issue 17) by its blocked kernel (<see cref="BlockedWeightGradient{T}"/>,
/// through <see cref="WeightGradient.Compute{T}"/>, the core of Functional.ConvWeightGrad and PatchMatrix.TransposeMultiply)
/// on W2, W3, W5 and W6, batch 1 and 16, float64 and float32, one thread, on <see cref="KernelPath.Best"/>, beside the
/// peak loops of the same run (<see cref="PeakLoopBenchmark"/>). PyTorch's side: pytorch_bench.py --ops wgrad
/// (<c>torch.nn.grad.conv2d_weight</c>; for W2, autograd's weight gradient of conv_transpose2d); run-wgrad.sh runs both.
/// </summary>
/// <remarks>
/// x is the workload's <see cref="Workload.Input{T}"/> and y its <see cref="Workload.TransposeInput{T}"/>: for the
/// convolutions the input and the output gradient, for W2 the gradient of the transposed convolution's output and its
/// input. GFLOP/s = <see cref="WorkloadTimer.Flops"/> / time, the multiply-adds of V·x, which the weight gradient performs too.
/// CONVMAT_BENCH_WORKLOADS and CONVMAT_BENCH_DTYPES narrow the parameters.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
public class WeightGradientBenchmarks
{
    private Action gradient = null!;

    /// <summary>The workloads: CONVMAT_BENCH_WORKLOADS or the targets of issue 17, W2, W3, W5 and W6.</summary>
    public static IEnumerable<string> Workloads => BenchmarkConfig.Listed("CONVMAT_BENCH_WORKLOADS") ?? ["W2", "W3", "W5", "W6"];

    /// <summary>The element types: CONVMAT_BENCH_DTYPES or float64 and float32.</summary>
    public static IEnumerable<string> Dtypes => BenchmarkConfig.Listed("CONVMAT_BENCH_DTYPES") ?? ["float64", "float32"];

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = "W3";

    [Params(1, 16)]
    public int Batch { get; set; }

    [ParamsSource(nameof(Dtypes))]
    public string Dtype { get; set; } = "float64";

    [GlobalSetup]
    public void Setup()
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        if (Dtype == "float32") Prepare<float>();
        else Prepare<double>();
    }

    private void Prepare<T>() where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var w = Benchmarks.Workload.Named(Workload);
        var geometry = w.Geometry(Batch);
        if (BlockedWeightGradient<T>.TryCreate(geometry) is null) throw new InvalidOperationException($"{Workload} has no blocked weight-gradient kernel");
        T[] x = w.Input<T>(Batch), y = w.TransposeInput<T>(Batch), gw = new T[geometry.WeightLength];
        gradient = () => WeightGradient.Compute<T>(geometry, x, y, gw);
    }

    [GlobalCleanup]
    public void Cleanup() => Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;

    [Benchmark(Description = "wgrad U(x)ᵀ·Y")]
    public void Gradient() => gradient();
}
