using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra.Double;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// Building V: <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/> on
/// 1 and 2 threads against the hand-written triplets + MathNet <c>SparseMatrix.OfIndexed</c>. Allocated bytes
/// (MemoryDiagnoser) against V's own bytes give the compile-memory target.
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class CompileBenchmarks
{
    private ConvGeometry geometry = null!;
    private double[] weight = null!;

    [ParamsSource(typeof(BenchmarkConfig), nameof(BenchmarkConfig.Workloads))]
    public string Workload { get; set; } = "W1";

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        geometry = w.Geometry(1);
        weight = w.Weight();
        long handWritten = HandWrittenTriplets.Of(geometry, weight).LongCount();
        if (handWritten != geometry.NonZeroCount)
            throw new InvalidOperationException($"hand-written triplets give {handWritten} entries, V has {geometry.NonZeroCount}");
    }

    [Benchmark(Description = "compile 1 thread")]
    public ConvolutionMatrix<double> CompileOneThread()
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        return ConvolutionMatrix<double>.Compile(weight, geometry);
    }

    [Benchmark(Description = "compile all threads")]
    public ConvolutionMatrix<double> CompileAllThreads()
    {
        Parallelism.MaxDegreeOfParallelism = Environment.ProcessorCount;
        return ConvolutionMatrix<double>.Compile(weight, geometry);
    }
}

/// <summary>
/// The hand-written baseline for building V: triplets from loops + MathNet <c>SparseMatrix.OfIndexed</c>. It
/// takes seconds to a minute per call, so it runs alone with three single-call iterations
/// (<see cref="SlowBenchmarkConfig"/>); its ratio to <see cref="CompileBenchmarks"/> is the compile target.
/// </summary>
[Config(typeof(SlowBenchmarkConfig))]
public class TripletBenchmarks
{
    private ConvGeometry geometry = null!;
    private double[] weight = null!;

    [ParamsSource(typeof(BenchmarkConfig), nameof(BenchmarkConfig.Workloads))]
    public string Workload { get; set; } = "W1";

    [GlobalSetup]
    public void Setup()
    {
        var w = Benchmarks.Workload.Named(Workload);
        geometry = w.Geometry(1);
        weight = w.Weight();
    }

    [Benchmark(Description = "triplets + MathNet OfIndexed")]
    public SparseMatrix Triplets() =>
        SparseMatrix.OfIndexed(geometry.OutputLength, geometry.InputLength, HandWrittenTriplets.Of(geometry, weight));
}
