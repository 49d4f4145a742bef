using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The baselines on the same data: the library's direct reference loops (DirectCorrelation, DirectScatter) and
/// MathNet's SparseMatrix multiply / TransposeThisAndMultiply on the same V, sample by sample (one thread:
/// MathNet's managed sparse kernels are sequential).
/// </summary>
[Config(typeof(BenchmarkConfig))]
public class BaselineBenchmarks
{
    private ConvGeometry geometry = null!;
    private double[] weight = null!, x = null!, y = null!, vx = null!, vty = null!;
    private SparseMatrix mathNet = null!;
    private DenseVector[] xs = null!, ys = null!, vxs = null!, vtys = null!;

    [ParamsSource(typeof(BenchmarkConfig), nameof(BenchmarkConfig.Workloads))]
    public string Workload { get; set; } = "W1";

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup(Targets = [nameof(DirectConv), nameof(DirectTConv)])]
    public void SetupDirect()
    {
        var w = Benchmarks.Workload.Named(Workload);
        geometry = w.Geometry(Batch);
        weight = w.Weight();
        (x, y) = (w.Input(Batch), w.TransposeInput(Batch));
        (vx, vty) = (new double[y.Length], new double[x.Length]);
    }

    [GlobalSetup(Targets = [nameof(MathNetMultiply), nameof(MathNetTransposeMultiply)])]
    public void SetupMathNet()
    {
        SetupDirect();
        var v = ConvolutionMatrix<double>.Compile(weight, geometry);
        mathNet = new SparseMatrix(SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(
            v.RowCount, v.ColumnCount, v.NonZerosCount, v.RowPointers, v.ColumnIndices, v.Values));
        int rows = v.RowCount, cols = v.ColumnCount;
        xs = [.. Enumerable.Range(0, Batch).Select(s => DenseVector.OfArray(x[(s * cols)..((s + 1) * cols)]))];
        ys = [.. Enumerable.Range(0, Batch).Select(s => DenseVector.OfArray(y[(s * rows)..((s + 1) * rows)]))];
        vxs = [.. Enumerable.Range(0, Batch).Select(_ => new DenseVector(rows))];
        vtys = [.. Enumerable.Range(0, Batch).Select(_ => new DenseVector(cols))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        mathNet = null!;
        GC.Collect();
    }

    [Benchmark(Description = "direct conv (DirectCorrelation)")]
    public void DirectConv() => DirectCorrelation.Apply<double>(geometry, x, weight, vx);

    [Benchmark(Description = "direct tconv (DirectScatter)")]
    public void DirectTConv() => DirectScatter.Apply<double>(geometry, y, weight, vty);

    [Benchmark(Description = "MathNet Multiply")]
    public void MathNetMultiply()
    {
        for (int s = 0; s < Batch; s++) mathNet.Multiply(xs[s], vxs[s]);
    }

    [Benchmark(Description = "MathNet TransposeThisAndMultiply")]
    public void MathNetTransposeMultiply()
    {
        for (int s = 0; s < Batch; s++) mathNet.TransposeThisAndMultiply(ys[s], vtys[s]);
    }
}
