using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Concurrency;

/// <summary>
/// One V shared by many threads at once (<see cref="Race"/>: threads released together by a barrier) gives, on every
/// thread, exactly what sequential use gives, and never a half-built lazy part: the lazily compiled
/// <see cref="ConvolutionMatrix{T}.Columns"/> and the geometry's sampling maps raced on first use, batched
/// Convolve/ConvolveTranspose, Multiply/TransposeMultiply (plain and α·V·x + β·y), and the solvers sharing one operator —
/// for the explicit V and for <see cref="StructuredConvolution{T}"/>.
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
        var (_, v, x, _, y) = ConvProperties.Compile(s);
        AssertRacedProductsEqualSequential(v, x, y);
    }

    [ConvProperty]
    public void StructuredProductsFromManyThreadsEqualTheExplicitV(GeometrySpec s)
    {
        // The structured form computes through pooled buffers and parallel gathers: shared by 8 threads, each must still
        // get exactly what the explicit V gives sequentially.
        var (g, explicitV, x, w, y) = ConvProperties.Compile(s);
        var structured = StructuredConvolution<long>.Compile(w, g);
        AssertRacedProductsEqualSequential(structured, x, y, reference: explicitV);
    }

    /// <summary>
    /// Thread t applies <paramref name="v"/> to its own scaled copy of the batch (so the threads share V but not their
    /// data): Convolve, ConvolveTranspose, Multiply and TransposeMultiply plain and as α·V·x + β·y; each result must
    /// equal <paramref name="reference"/> (V itself if null) applied sequentially.
    /// </summary>
    private static void AssertRacedProductsEqualSequential(IConvolutionOperator<long> v, long[] x, long[] y, IConvolutionOperator<long>? reference = null)
    {
        reference ??= v;
        int rows = v.RowCount, columns = v.ColumnCount;
        long[] Scaled(long[] a, int t) => Array.ConvertAll(a, e => e * (t + 1));
        long[][] Products(IConvolutionOperator<long> op, int t) =>
        [
            Product(x.Length / columns * rows, o => op.Convolve(Scaled(x, t), o)),
            Product(y.Length / rows * columns, o => op.ConvolveTranspose(Scaled(y, t), o)),
            Product(rows, o => op.Multiply(Scaled(x, t).AsSpan(0, columns), o)),
            Product(columns, o => op.TransposeMultiply(Scaled(y, t).AsSpan(0, rows), o)),
            Product(rows, o => { Array.Fill(o, 5L + t); op.Multiply(2, Scaled(x, t).AsSpan(0, columns), -3, o); }),
            Product(columns, o => { Array.Fill(o, 5L + t); op.TransposeMultiply(-2, Scaled(y, t).AsSpan(0, rows), 3, o); }),
        ];
        var expected = Enumerable.Range(0, Race.Threads).Select(t => Products(reference, t)).ToArray();
        var raced = Race.Run(t => Products(v, t));
        for (int t = 0; t < Race.Threads; t++)
            for (int k = 0; k < expected[t].Length; k++)
                Assert.Equal(expected[t][k], raced[t][k]);
    }

    [Fact]
    public void SolversSharingOneOperatorMatchSequentialRunsBitForBit()
    {
        // A 2-d conv with padding: Deconvolution (CGLS through V and Vᵀ) and the power-iteration norm on one V from 8 threads, for each form of V.
        var g = ConvGeometry.ForConv([1, 2, 12, 12], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Enumerable.Range(0, g.WeightLength).Select(i => Math.Sin(i + 1.0)).ToArray();
        var x = Enumerable.Range(0, g.InputLength).Select(i => Math.Cos(0.3 * i)).ToArray();
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var y = new double[g.OutputLength];
        v.Multiply(x, y);
        var options = new DeconvolutionOptions { Lambda = 1e-3 };
        // Both forms of V, each shared by every thread: the explicit CSR and the structured operator.
        var forms = new[] { LinearOperator.From(v), LinearOperator.From(StructuredConvolution<double>.Compile(w, g)) };

        (double[] X, DeconvolutionResult Result, NormEstimate Norm) SolveBoth(LinearOperator a)
        {
            var recovered = new double[g.InputLength];
            var result = Deconvolution.Solve(a, y, recovered, options);
            return (recovered, result, SpectralNorm.Estimate(a, seed: 3));
        }

        foreach (var form in forms)
        {
            var expected = SolveBoth(form);
            var raced = Race.Run(_ => SolveBoth(form));
            Assert.All(raced, r =>
            {
                Assert.Equal(expected.X.Select(BitConverter.DoubleToInt64Bits), r.X.Select(BitConverter.DoubleToInt64Bits));
                Assert.Equal(expected.Result.Solver.Iterations, r.Result.Solver.Iterations);
                Assert.Equal(expected.Result.Solver.ResidualHistory, r.Result.Solver.ResidualHistory);
                Assert.Equal(expected.Norm, r.Norm);
            });
        }
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
