using BenchmarkDotNet.Attributes;
using ConvAsMatrix.Onnx;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// ONNX Runtime (Microsoft.ML.OnnxRuntime, its MLAS kernels, float32, one thread) on the same products as
/// <see cref="StructuredBenchmarks"/>: a one-node Conv model for <c>conv</c> (V·X) and a one-node ConvTranspose model
/// for <c>tconv</c> (Vᵀ·Y) of W2, W3, W5, W6 (CONVMAT_BENCH_ORT_WORKLOADS), batch 1 and 16. For W2 the Conv is the
/// forward convolution the DCGAN layer transposes, and the ConvTranspose is the layer itself.
/// </summary>
/// <remarks>
/// Only <c>session.Run</c> is timed, over OrtValues bound once to preallocated arrays
/// (<see cref="OnnxRuntimeConvolution"/>). The setup checks ONNX Runtime's output against the structured V's float32
/// product on the same data and refuses to time a model that disagrees.
/// </remarks>
[Config(typeof(BenchmarkConfig))]
public class OnnxRuntimeBenchmarks
{
    private OnnxRuntimeConvolution conv = null!, tconv = null!;

    /// <summary>The workloads: CONVMAT_BENCH_ORT_WORKLOADS or W2, W3, W5, W6.</summary>
    public static IEnumerable<string> Workloads => BenchmarkConfig.Listed("CONVMAT_BENCH_ORT_WORKLOADS") ?? ["W2", "W3", "W5", "W6"];

    [ParamsSource(nameof(Workloads))]
    public string Workload { get; set; } = "W2";

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        var g = w.Geometry(Batch);
        var weight = w.Weight<float>();
        float[] x = w.Input<float>(Batch), y = w.TransposeInput<float>(Batch);
        float[] vx = new float[y.Length], vty = new float[x.Length];
        conv = new OnnxRuntimeConvolution(g, weight, transpose: false, x, vx);
        tconv = new OnnxRuntimeConvolution(g, weight, transpose: true, y, vty);
        conv.Run();
        tconv.Run();
        var ours = StructuredConvolution<float>.Compile(weight, g);
        float[] oursVx = new float[vx.Length], oursVty = new float[vty.Length];
        ours.Convolve(x, oursVx);
        ours.ConvolveTranspose(y, oursVty);
        Agree(Workload, "conv", oursVx, vx);
        Agree(Workload, "tconv", oursVty, vty);
    }

    /// <summary>
    /// Throws unless ONNX Runtime's result is the structured V's to float32 rounding: |Δ| ≤ 1e-4 · max |ours| everywhere
    /// (sums of up to 2304 products in different orders differ by ~1e-6 of that; a wrong model by its whole size).
    /// </summary>
    internal static void Agree(string workload, string op, float[] ours, float[] ort)
    {
        float scale = ours.Max(MathF.Abs), worst = 0;
        for (int i = 0; i < ours.Length; i++) worst = MathF.Max(worst, MathF.Abs(ours[i] - ort[i]));
        if (!(worst <= 1e-4f * scale))
            throw new InvalidOperationException($"{workload} {op}: ONNX Runtime differs from the structured V by {worst:G3} (largest value {scale:G3}); not timing a wrong model");
        Console.WriteLine($"// {workload} {op}: ONNX Runtime agrees with the structured V to {worst / scale:G2} of the largest value");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        conv.Dispose();
        tconv.Dispose();
    }

    [Benchmark(Description = "ORT conv V·X")]
    public void Conv() => conv.Run();

    [Benchmark(Description = "ORT tconv Vᵀ·Y")]
    public void TConv() => tconv.Run();
}
