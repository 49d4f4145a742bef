using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Concurrency;

/// <summary>
/// One V shared by many threads at once (<see cref="Race"/>: threads released together by a barrier) gives, on every
/// thread, exactly what sequential use gives, and never a half-built lazy part: the lazily compiled
/// <see cref="ConvolutionMatrix{T}.Columns"/> and the geometry's sampling maps raced on first use, batched
/// Convolve/ConvolveTranspose, CSR Multiply/TransposeMultiply, and the solvers sharing one operator.
/// Exact long arithmetic (and bitwise doubles for the solvers), over the random geometries of <see cref="GeometryArbitraries"/>.
/// </summary>
public class SharedOperatorTests
{
    [ConvProperty]
    public void ColumnsRacedOnFirstUseAreBuiltOnceAndWhole(GeometrySpec s)
    {
        var (g, v, _, w, _) = ConvProperties.Compile(s);
        var sequential = ConvolutionMatrix<long>.Compile(w, g).Columns;
        var raced = Race.Run(_ => v.Columns);
        Assert.All(raced, c => Assert.Same(raced[0], c));
        AssertSameColumns(sequential, raced[0]);
    }

    [ConvProperty]
    public void ConvolveTransposeRacedOnFirstUseEqualsSequential(GeometrySpec s)
    {
        // The first ConvolveTranspose builds Columns: every thread's first call races that build.
        var (g, v, _, w, y) = ConvProperties.Compile(s);
        var expected = new long[g.Batch * g.InputLength];
        ConvolutionMatrix<long>.Compile(w, g).ConvolveTranspose(y, expected);
        var raced = Race.Run(_ =>
        {
            var z = new long[expected.Length];
            v.ConvolveTranspose(y, z);
            return z;
        });
        Assert.All(raced, z => Assert.Equal(expected, z));
    }

    [ConvProperty]
    public void CompilingFromOneGeometryRacesItsSamplingMapsSafely(GeometrySpec s)
    {
        // ConvGeometry builds its sampling maps on first use (maps ??= BuildMaps()): threads compiling V from one fresh geometry race it.
        var (_, expected, _, w, _) = ConvProperties.Compile(s);
        var shared = s.Build();
        var raced = Race.Run(_ => ConvolutionMatrix<long>.Compile(w, shared));
        Assert.All(raced, v => AssertSameRows(expected, v));
    }

    [ConvProperty]
    public void BatchedProductsFromManyThreadsEqualSequential(GeometrySpec s)
    {
        var (g, v, x, _, y) = ConvProperties.Compile(s);
        // Thread t convolves its own scaled copy of the batch, so the threads share V but not their data.
        long[] Scaled(long[] a, int t) => Array.ConvertAll(a, e => e * (t + 1));
        var forward = Enumerable.Range(0, Race.Threads).Select(t => Product(g.Batch * g.OutputLength, o => v.Convolve(Scaled(x, t), o))).ToArray();
        var backward = Enumerable.Range(0, Race.Threads).Select(t => Product(g.Batch * g.InputLength, o => v.ConvolveTranspose(Scaled(y, t), o))).ToArray();
        var single = Product(g.OutputLength, o => v.Multiply(x.AsSpan(0, g.InputLength), o));
        var singleT = Product(g.InputLength, o => v.TransposeMultiply(y.AsSpan(0, g.OutputLength), o));

        var raced = Race.Run(t => (
            Product(forward[t].Length, o => v.Convolve(Scaled(x, t), o)),
            Product(backward[t].Length, o => v.ConvolveTranspose(Scaled(y, t), o)),
            Product(g.OutputLength, o => v.Multiply(x.AsSpan(0, g.InputLength), o)),
            Product(g.InputLength, o => v.TransposeMultiply(y.AsSpan(0, g.OutputLength), o))));
        for (int t = 0; t < Race.Threads; t++)
        {
            Assert.Equal(forward[t], raced[t].Item1);
            Assert.Equal(backward[t], raced[t].Item2);
            Assert.Equal(single, raced[t].Item3);
            Assert.Equal(singleT, raced[t].Item4);
        }
    }

    [Fact]
    public void SolversSharingOneOperatorMatchSequentialRunsBitForBit()
    {
        // A 2-d conv with padding: Deconvolution (CGLS through V and Vᵀ) and the power-iteration norm on one V from 8 threads.
        var g = ConvGeometry.ForConv([1, 2, 12, 12], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Enumerable.Range(0, g.WeightLength).Select(i => Math.Sin(i + 1.0)).ToArray();
        var x = Enumerable.Range(0, g.InputLength).Select(i => Math.Cos(0.3 * i)).ToArray();
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var y = new double[g.OutputLength];
        v.Multiply(x, y);
        var options = new DeconvolutionOptions { Lambda = 1e-3 };

        (double[] X, DeconvolutionResult Result, NormEstimate Norm) SolveBoth()
        {
            var recovered = new double[g.InputLength];
            var result = Deconvolution.Solve(v, y, recovered, options);
            return (recovered, result, SpectralNorm.Estimate(v, seed: 3));
        }

        var expected = SolveBoth();
        var raced = Race.Run(_ => SolveBoth());
        Assert.All(raced, r =>
        {
            Assert.Equal(expected.X.Select(BitConverter.DoubleToInt64Bits), r.X.Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(expected.Result.Solver.Iterations, r.Result.Solver.Iterations);
            Assert.Equal(expected.Result.Solver.ResidualHistory, r.Result.Solver.ResidualHistory);
            Assert.Equal(expected.Norm, r.Norm);
        });
    }

    [Fact]
    public void ColumnsRaceRepeatedOnALargeVAlwaysYieldsOneWholeBuild()
    {
        // A V large enough (2^16+ entries) that CompileColumns itself runs in parallel and takes long enough for the
        // racing threads to meet inside it; 50 fresh matrices, each raced by 8 threads on first use.
        var g = ConvGeometry.ForConv([1, 4, 40, 40], [8, 4, 3, 3], new ConvOptions { Padding = 1, Stride = [2] });
        var w = Enumerable.Range(0, g.WeightLength).Select(i => (long)(i % 7 - 3)).ToArray();
        var reference = ConvolutionMatrix<long>.Compile(w, g).Columns;
        Assert.True(reference.NonZerosCount >= 1 << 16, $"{reference.NonZerosCount} entries");
        for (int repetition = 0; repetition < 50; repetition++)
        {
            var v = ConvolutionMatrix<long>.Compile(w, g);
            var raced = Race.Run(_ => v.Columns);
            Assert.All(raced, c => Assert.Same(raced[0], c));
            AssertSameColumns(reference, raced[0]);
        }
    }

    private static long[] Product(int length, Action<long[]> fill)
    {
        var result = new long[length];
        fill(result);
        return result;
    }

    private static void AssertSameColumns(CompressedColumnStorage<long> expected, CompressedColumnStorage<long> actual)
    {
        Assert.Equal(expected.ColumnPointers, actual.ColumnPointers);
        Assert.Equal(expected.RowIndices, actual.RowIndices);
        Assert.Equal(expected.Values, actual.Values);
    }

    private static void AssertSameRows(CompressedRowStorage<long> expected, CompressedRowStorage<long> actual)
    {
        Assert.Equal(expected.RowPointers, actual.RowPointers);
        Assert.Equal(expected.ColumnIndices, actual.ColumnIndices);
        Assert.Equal(expected.Values, actual.Values);
    }
}
