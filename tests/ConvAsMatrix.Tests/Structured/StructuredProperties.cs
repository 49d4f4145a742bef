using System.Numerics;
using ConvAsMatrix.Tests.Blocked;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Structured;

/// <summary>
/// Issue 8's properties of the structured V over random valid geometries (every rank, groups, stride, dilation,
/// padding style and mode, output_padding, conv and conv_transpose), in exact long arithmetic: it is the explicit V
/// entry for entry, its products are the explicit products, its row blocks are V's rows, and V and Vᵀ are adjoint.
/// </summary>
public class StructuredProperties
{
    [ConvProperty]
    public void MaterialisedIsTheExplicitCsrBitForBit(GeometrySpec s)
    {
        var (_, v, structured, _, _) = Compile(s);
        var materialised = structured.ToConvolutionMatrix();
        Assert.Equal(v.RowPointers, materialised.RowPointers);
        Assert.Equal(v.ColumnIndices, materialised.ColumnIndices);
        Assert.Equal(v.Values, materialised.Values);
        Assert.Equal(v.NonZerosCount, structured.NonZeroCount);
        Assert.Equal((v.RowCount, v.ColumnCount), (structured.RowCount, structured.ColumnCount));
    }

    [ConvProperty]
    public void ProductsEqualTheExplicitProductsAndTheDirectLoops(GeometrySpec s)
    {
        var (g, v, structured, x, y) = Compile(s);
        var w = s.Data().Weight;
        Assert.Equal(Apply(y.Length, r => v.Convolve(x, r)), Apply(y.Length, r => structured.Convolve(x, r)));
        Assert.Equal(Apply(y.Length, r => DirectCorrelation.Apply<long>(g, x, w, r)), Apply(y.Length, r => structured.Convolve(x, r)));
        Assert.Equal(Apply(x.Length, r => v.ConvolveTranspose(y, r)), Apply(x.Length, r => structured.ConvolveTranspose(y, r)));
        Assert.Equal(Apply(x.Length, r => DirectScatter.Apply<long>(g, y, w, r)), Apply(x.Length, r => structured.ConvolveTranspose(y, r)));
        // One sample through Multiply / TransposeMultiply: the scatter of CompressedRowStorage against the structured gather.
        var x0 = x.AsSpan(0, g.InputLength).ToArray();
        var y0 = y.AsSpan(0, g.OutputLength).ToArray();
        Assert.Equal(Apply(v.RowCount, r => v.Multiply(x0, r)), Apply(v.RowCount, r => structured.Multiply(x0, r)));
        Assert.Equal(Apply(v.ColumnCount, r => v.TransposeMultiply(y0, r)), Apply(v.ColumnCount, r => structured.TransposeMultiply(y0, r)));
    }

    [ConvProperty]
    public void ScaledProductsFollowAlphaAndBeta(GeometrySpec s)
    {
        var (g, v, structured, x, y) = Compile(s);
        var rng = new Random(s.DataSeed);
        long alpha = rng.Next(-3, 4), beta = rng.Next(-3, 4);
        var x0 = x.AsSpan(0, g.InputLength).ToArray();
        var y0 = y.AsSpan(0, g.OutputLength).ToArray();
        // Start from y0 / x0 as the destinations' old content; with β = 0 a garbage start must be ignored.
        var start = beta == 0 ? Enumerable.Repeat(long.MinValue / 3, y0.Length).ToArray() : (long[])y0.Clone();
        var expected = (long[])start.Clone();
        v.Multiply(alpha, x0, beta, expected);
        var actual = (long[])start.Clone();
        structured.Multiply(alpha, x0, beta, actual);
        Assert.Equal(expected, actual);

        var startT = beta == 0 ? Enumerable.Repeat(long.MinValue / 3, x0.Length).ToArray() : (long[])x0.Clone();
        var expectedT = (long[])startT.Clone();
        v.TransposeMultiply(alpha, y0, beta, expectedT);
        var actualT = (long[])startT.Clone();
        structured.TransposeMultiply(alpha, y0, beta, actualT);
        Assert.Equal(expectedT, actualT);
    }

    [ConvProperty]
    public void AdjointIdentityHoldsExactly(GeometrySpec s)
    {
        var (_, _, structured, x, y) = Compile(s);
        var vx = Apply(y.Length, r => structured.Convolve(x, r));
        var vty = Apply(x.Length, r => structured.ConvolveTranspose(y, r));
        Assert.Equal(Dot(vx, y), Dot(x, vty));
    }

    [ConvProperty]
    public void RowBlocksAreTheRowsOfV(GeometrySpec s)
    {
        var (_, v, structured, _, _) = Compile(s);
        var rng = new Random(s.DataSeed);
        int a = rng.Next(0, v.RowCount + 1), b = rng.Next(0, v.RowCount + 1);
        var (r0, r1) = (Math.Min(a, b), Math.Max(a, b));
        var block = structured.ToCompressedRows(r0, r1);
        Assert.Equal((r1 - r0, v.ColumnCount), (block.RowCount, block.ColumnCount));
        Assert.Equal(v.RowPointers[r0..(r1 + 1)].Select(p => p - v.RowPointers[r0]), block.RowPointers);
        Assert.Equal(v.ColumnIndices[v.RowPointers[r0]..v.RowPointers[r1]], block.ColumnIndices[..block.NonZerosCount]);
        Assert.Equal(v.Values[v.RowPointers[r0]..v.RowPointers[r1]], block.Values[..block.NonZerosCount]);
        // The whole range is V itself.
        Assert.Equal(v.ColumnIndices, structured.ToCompressedRows(0, v.RowCount).ColumnIndices);
    }

    [ConvProperty]
    public void BlockSparseRowsArePermutedV(GeometrySpec s)
    {
        var (g, v, structured, _, _) = Compile(s);
        var bsr = structured.ToBlockSparseRows();
        int rb = bsr.BlockRows, cb = bsr.BlockColumns;
        Assert.Equal((g.OutChannels, g.InChannels, v.RowCount, v.ColumnCount), (rb, cb, bsr.RowCount, bsr.ColumnCount));
        Assert.Equal(v.RowCount / rb + 1, bsr.Indptr.Length);
        Assert.Equal((long)bsr.BlockCount * rb * cb, bsr.Data.Length);
        var entries = v.EnumerateNonZeros().ToDictionary(e => (e.Row, e.Column), e => e.Value);
        var rowPermutation = bsr.RowPermutation;
        var columnPermutation = bsr.ColumnPermutation;
        Assert.Equal(Enumerable.Range(0, v.RowCount), rowPermutation.Order());
        Assert.Equal(Enumerable.Range(0, v.ColumnCount), columnPermutation.Order());
        int covered = 0;
        for (int blockRow = 0; blockRow + 1 < bsr.Indptr.Length; blockRow++)
            for (int b = bsr.Indptr[blockRow]; b < bsr.Indptr[blockRow + 1]; b++)
            {
                if (b > bsr.Indptr[blockRow]) Assert.True(bsr.Indices[b] > bsr.Indices[b - 1], $"block row {blockRow}: block columns not ascending");
                for (int j = 0; j < rb; j++)
                    for (int k = 0; k < cb; k++)
                    {
                        var at = (rowPermutation[blockRow * rb + j], columnPermutation[bsr.Indices[b] * cb + k]);
                        bool stored = entries.TryGetValue(at, out long expected);
                        if (stored) covered++;
                        Assert.Equal(expected, bsr.Data[((long)b * rb + j) * cb + k]);
                    }
            }
        // Every entry of V lies in some block: the blocks hold V entirely, with zeros only off the groups.
        Assert.Equal(entries.Count, covered);
    }

    /// <summary>
    /// Double and float run the SIMD kernels: on every path this process runs natively (<see cref="KernelChecks.Native"/>),
    /// over geometries with up to 9 channels per group so that both tile shapes run (<see cref="GeometryArbitraries.KernelSpec"/>).
    /// </summary>
    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) })]
    [Trait("Category", "Kernel")]
    public void EveryElementTypeAgreesWithLong(GeometrySpec s)
    {
        // Integer-valued data small enough to be exact in float: every type's path gives long's products.
        var (g, v, _, x, y) = Compile(s);
        var w = s.Data().Weight;
        var vx = Apply(y.Length, r => v.Convolve(x, r));
        var vty = Apply(x.Length, r => v.ConvolveTranspose(y, r));
        foreach (var path in KernelChecks.Native)
        {
            AgreesWithLong(g, w, x, y, vx, vty, l => (double)l, d => checked((long)d), path);
            AgreesWithLong(g, w, x, y, vx, vty, l => (float)l, f => checked((long)f), path);
        }
        AgreesWithLong(g, w, x, y, vx, vty, l => (decimal)l, m => (long)m, KernelPath.Best);
        AgreesWithLong(g, w, x, y, vx, vty, l => (BigInteger)l, b => (long)b, KernelPath.Best);
    }

    /// <param name="path">The kernels' path for double and float (asserted); the other types take the generic path (no kernel path).</param>
    private static void AgreesWithLong<T>(ConvGeometry g, long[] w, long[] x, long[] y, long[] vx, long[] vty, Func<long, T> from, Func<T, long> back, KernelPath path)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        var v = StructuredConvolution<T>.Compile(w.Select(from).ToArray(), g, path);
        bool kernels = typeof(T) == typeof(double) || typeof(T) == typeof(float);
        string on = $"{typeof(T).Name} on {(kernels ? KernelChecks.Label(path) : "the generic path")}";
        Assert.True(v.KernelPath == (kernels ? path : null), $"{on}: the operator runs {v.KernelPath?.ToString() ?? "the generic path"}");
        var forward = new T[vx.Length];
        var adjoint = new T[vty.Length];
        v.Convolve(x.Select(from).ToArray(), forward);
        v.ConvolveTranspose(y.Select(from).ToArray(), adjoint);
        Assert.True(vx.SequenceEqual(forward.Select(back)), $"{on}: V·x differs");
        Assert.True(vty.SequenceEqual(adjoint.Select(back)), $"{on}: Vᵀ·y differs");
    }

    internal static (ConvGeometry G, ConvolutionMatrix<long> V, StructuredConvolution<long> Structured, long[] X, long[] Y) Compile(GeometrySpec s)
    {
        var (g, v, x, w, y) = ConvProperties.Compile(s);
        return (g, v, StructuredConvolution<long>.Compile(w, g), x, y);
    }

    /// <summary>A fresh array pre-filled with garbage that an overwriting product must not keep, after <paramref name="fill"/>.</summary>
    internal static long[] Apply(int length, Action<long[]> fill)
    {
        var result = Enumerable.Repeat(long.MinValue / 3, length).ToArray();
        fill(result);
        return result;
    }

    private static long Dot(long[] a, long[] b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
