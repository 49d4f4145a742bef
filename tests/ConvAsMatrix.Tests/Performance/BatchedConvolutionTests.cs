using System.Numerics;

namespace ConvAsMatrix.Tests.Performance;

/// <summary>
/// <see cref="ConvolutionMatrix{T}.Convolve"/> and <see cref="ConvolutionMatrix{T}.ConvolveTranspose"/> (fast
/// paths) against the sequential row gather and the storage's scatter TransposeMultiply, sample by sample. A batch
/// adds each sample's products in the sequential order (one SIMD lane per sample, no fused multiply-add) and the
/// compressed-column gather adds a column's entries in the order the scatter does, so even double and float
/// must match exactly.
/// </summary>
public class BatchedConvolutionTests
{
    [Fact]
    public void LongMatchesSampleBySampleForEverySizeAndBatch()
    {
        var random = new Random(21);
        for (int n = 1; n <= 40; n++)
        {
            var g = ConvGeometry.ForConv([1, 2, n], [3, 2, Math.Min(n, 3)], new ConvOptions { Padding = 1, Stride = [1 + n % 2] });
            var v = ConvolutionMatrix<long>.Compile(RandomSparse.Vector(random, g.WeightLength, RandomSparse.Long), g);
            foreach (int batch in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 16, 17 })
                AssertBatchMatches(v, batch, random, RandomSparse.Long, (e, a) => Assert.Equal(e, a));
        }
    }

    [Fact]
    public void DoubleBatchesMatchSampleBySampleExactly()
    {
        var random = new Random(22);
        var g = ConvGeometry.ForConvTranspose([1, 4, 5, 6], [4, 3, 4, 3], new ConvTransposeOptions { Stride = [2, 1], Padding = 1 });
        var v = ConvolutionMatrix<double>.Compile(RandomSparse.Vector(random, g.WeightLength, RandomSparse.Double), g);
        for (int batch = 2; batch <= 17; batch++)
            AssertBatchMatches(v, batch, random, RandomSparse.Double, (e, a) => Assert.Equal(e, a));
    }

    [Fact]
    public void FloatBatchesMatchSampleBySampleExactly()
    {
        var random = new Random(23);
        var g = ConvGeometry.ForConv([1, 3, 9, 7], [2, 3, 3, 2], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect });
        var v = ConvolutionMatrix<float>.Compile(RandomSparse.Vector(random, g.WeightLength, RandomSparse.Single), g);
        for (int batch = 2; batch <= 17; batch++)
            AssertBatchMatches(v, batch, random, RandomSparse.Single, (e, a) => Assert.Equal(e, a));
    }

    [Fact]
    public void GenericTypesKeepThePlainKernels()
    {
        var random = new Random(24);
        var g = ConvGeometry.ForConv([1, 2, 6, 5], [2, 1, 3, 3], new ConvOptions { Padding = 1, Groups = 2, PaddingMode = PaddingMode.Circular });
        var vd = ConvolutionMatrix<decimal>.Compile(RandomSparse.Vector(random, g.WeightLength, r => (decimal)r.Next(-50, 50) / 7), g);
        var vb = ConvolutionMatrix<BigInteger>.Compile(RandomSparse.Vector(random, g.WeightLength, r => new BigInteger(RandomSparse.Long(r)) << 70), g);
        foreach (int batch in new[] { 1, 5, 17 })
        {
            AssertBatchMatches(vd, batch, random, r => (decimal)r.Next(-50, 50) / 3, (e, a) => Assert.Equal(e, a));
            AssertBatchMatches(vb, batch, random, r => new BigInteger(RandomSparse.Long(r)) << 40, (e, a) => Assert.Equal(e, a));
        }
    }

    public static TheoryData<string> ColumnGeometries() =>
    [
        "conv 1,2,7,7 3,2,3,3 stride=2",
        "conv 1,1,9 1,1,4 padding=2 dilation=2",
        "conv 1,4,6,5 6,2,3,2 padding=1 groups=2",
        "conv 1,3,5,4 2,3,3,3 padding=2 mode=reflect",
        "conv 1,2,5,6 3,2,4,3 padding=3 mode=replicate",
        "conv 1,2,4,5 2,2,3,5 padding=2 mode=circular stride=2",
        "conv 1,2,4,3,5 4,1,2,3,3 padding=1 groups=2 mode=circular",
        "conv 1,2,3,4,5 2,2,3,2,3 padding=1 stride=2 dilation=1",
        "tconv 1,4,3,3 4,3,4,4 padding=1 stride=2",
        "tconv 1,2,5 2,3,3 padding=1 stride=3 output_padding=2",
    ];

    [Theory]
    [MemberData(nameof(ColumnGeometries))]
    public void ColumnsAreCompiledOnceAndEqualTheSortedCopy(string spec)
    {
        var g = Parse(spec);
        var v = ConvolutionMatrix<long>.Compile(RandomSparse.Vector(new Random(spec.Length), g.WeightLength, RandomSparse.Long), g);
        var columns = v.Columns;
        Assert.Same(columns, v.Columns);
        var copy = v.ToCompressedColumns();
        Assert.Equal(copy.ColumnPointers, columns.ColumnPointers);
        Assert.Equal(copy.RowIndices, columns.RowIndices);
        Assert.Equal(copy.Values, columns.Values);
    }

    /// <summary>"conv|tconv inputShape weightShape [padding=P] [stride=S] [dilation=D] [groups=G] [mode=M] [output_padding=O]".</summary>
    private static ConvGeometry Parse(string spec)
    {
        var parts = spec.Split(' ');
        int[] Ints(string s) => s.Split(',').Select(int.Parse).ToArray();
        var options = parts.Skip(3).Select(p => p.Split('=')).ToDictionary(p => p[0], p => p[1]);
        string Get(string key, string fallback) => options.TryGetValue(key, out var v) ? v : fallback;
        var mode = Enum.Parse<PaddingMode>(Get("mode", "zeros"), ignoreCase: true);
        return parts[0] == "conv"
            ? ConvGeometry.ForConv(Ints(parts[1]), Ints(parts[2]), new ConvOptions
            {
                Padding = int.Parse(Get("padding", "0")), Stride = Ints(Get("stride", "1")), Dilation = Ints(Get("dilation", "1")),
                Groups = int.Parse(Get("groups", "1")), PaddingMode = mode,
            })
            : ConvGeometry.ForConvTranspose(Ints(parts[1]), Ints(parts[2]), new ConvTransposeOptions
            {
                Padding = int.Parse(Get("padding", "0")), Stride = Ints(Get("stride", "1")), OutputPadding = Ints(Get("output_padding", "0")),
                Groups = int.Parse(Get("groups", "1")),
            });
    }

    [Fact]
    public void OverlappingSpansAreRefused()
    {
        var g = ConvGeometry.ForConv([1, 1, 4], [1, 1, 1]);
        var v = ConvolutionMatrix<double>.Compile(new[] { 2.0 }, g);
        var buffer = new double[8];
        Assert.Throws<ArgumentException>(() => v.Convolve(buffer.AsSpan(0, 4), buffer.AsSpan(2, 4)));
        Assert.Throws<ArgumentException>(() => v.ConvolveTranspose(buffer.AsSpan(0, 4), buffer.AsSpan(3, 4)));
    }

    private static void AssertBatchMatches<T>(ConvolutionMatrix<T> v, int batch, Random random, Func<Random, T> value, Action<T[], T[]> equal)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        int rows = v.RowCount, cols = v.ColumnCount;
        var x = RandomSparse.Vector(random, batch * cols, value);
        var y = RandomSparse.Vector(random, batch * rows, value);
        var vx = new T[batch * rows];
        var vty = new T[batch * cols];
        var expectedVx = new T[batch * rows];
        var expectedVty = new T[batch * cols];
        for (int s = 0; s < batch; s++)
        {
            SparseKernels.GatherSequential(v.RowPointers, v.ColumnIndices, v.Values, default!, x.AsSpan(s * cols, cols), default!, expectedVx.AsSpan(s * rows, rows), scaled: false);
            v.TransposeMultiply(y.AsSpan(s * rows, rows), expectedVty.AsSpan(s * cols, cols));
        }
        v.Convolve(x, vx);
        v.ConvolveTranspose(y, vty);
        equal(expectedVx, vx);
        equal(expectedVty, vty);
    }
}
