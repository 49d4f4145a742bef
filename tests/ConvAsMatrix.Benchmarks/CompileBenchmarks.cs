using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra.Double;

namespace ConvAsMatrix.Benchmarks;

/// <summary>A workload's geometry (batch 1) and weight: what both ways of building V start from.</summary>
public abstract class BuildBenchmarks
{
    protected ConvGeometry Geometry { get; private set; } = null!;

    protected double[] Weight { get; private set; } = null!;

    [ParamsSource(typeof(BenchmarkConfig), nameof(BenchmarkConfig.Workloads))]
    public string Workload { get; set; } = "W1";

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        Geometry = w.Geometry(1);
        Weight = w.Weight();
    }
}

/// <summary>
/// Building V: <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/> on
/// 1 and 2 threads. Allocated bytes (MemoryDiagnoser) against V's own bytes give the compile-memory target;
/// <see cref="TripletBenchmarks"/> is the baseline.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class CompileBenchmarks : BuildBenchmarks
{
    [Benchmark(Description = "compile 1 thread")]
    public ConvolutionMatrix<double> CompileOneThread()
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        return ConvolutionMatrix<double>.Compile(Weight, Geometry);
    }

    [Benchmark(Description = "compile all threads")]
    public ConvolutionMatrix<double> CompileAllThreads()
    {
        Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        return ConvolutionMatrix<double>.Compile(Weight, Geometry);
    }
}

/// <summary>
/// The hand-written baseline for building V: triplets from loops + MathNet <c>SparseMatrix.OfIndexed</c>. It
/// takes seconds to a minute per call, so it runs alone with three single-call iterations
/// (<see cref="SlowBenchmarkConfig"/>). The first call also checks that the triplets count V's entries.
/// </summary>
[Config(typeof(SlowBenchmarkConfig))]
public class TripletBenchmarks : BuildBenchmarks
{
    [Benchmark(Description = "triplets + MathNet OfIndexed")]
    public SparseMatrix Triplets()
    {
        var v = SparseMatrix.OfIndexed(Geometry.OutputLength, Geometry.InputLength, HandWrittenTriplets.Of(Geometry, Weight));
        if (v.NonZerosCount != Geometry.NonZeroCount)
            throw new InvalidOperationException($"hand-written triplets give {v.NonZerosCount} entries, V has {Geometry.NonZeroCount}");
        return v;
    }
}
