namespace ConvAsMatrix.Tests;

/// <summary>The seed's worked example (d2l lecture 37), exactly.</summary>
public class SeedExampleTests
{
    private static readonly Tensor<long> K = Tensor.From(new long[] { 1, 2, 3, 4 }, 1, 1, 2, 2);

    [Fact]
    public void Kernel2MatrixIsTheSeedsW()
    {
        var g = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        var v = ConvolutionMatrix<long>.Compile(K, g);
        long[,] expected =
        {
            { 1, 2, 0, 3, 4, 0, 0, 0, 0 },
            { 0, 1, 2, 0, 3, 4, 0, 0, 0 },
            { 0, 0, 0, 1, 2, 0, 3, 4, 0 },
            { 0, 0, 0, 0, 1, 2, 0, 3, 4 },
        };
        Assert.Equal(expected, v.ToDense());
        Assert.Equal(16, v.NonZerosCount);
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);
    }

    [Fact]
    public void CorrAndTransConvOfTheSeed()
    {
        var x = Tensor.Arange<long>(1, 1, 3, 3);
        var y = Functional.Conv(x, K);
        Assert.Equal(new long[] { 27, 37, 57, 67 }, y.Data);
        Assert.Equal(y.Data, Functional.Conv(x, K, method: ConvMethod.Direct).Data);
        var z = Functional.ConvTranspose(y, K);
        Assert.Equal(new[] { 1, 1, 3, 3 }, z.Shape);
        Assert.Equal(z.Data, Functional.ConvTranspose(y, K, method: ConvMethod.Direct).Data);
        // trans_conv(Y, K) of the seed: Y = [[27,37],[57,67]] scattered with K, worked by hand.
        Assert.Equal(new long[] { 27, 91, 74, 138, 400, 282, 171, 429, 268 }, z.Data);
    }

    [Fact]
    public void TransConvOfTheSeedsX()
    {
        // X = [[0,1],[2,3]], K = [[0,1],[2,3]] gives [[0,0,1],[0,4,6],[4,12,9]] in the seed.
        var x = Tensor.From(new long[] { 0, 1, 2, 3 }, 1, 1, 2, 2);
        var k = Tensor.From(new long[] { 0, 1, 2, 3 }, 1, 1, 2, 2);
        Assert.Equal(new long[] { 0, 0, 1, 0, 4, 6, 4, 12, 9 }, Functional.ConvTranspose(x, k).Data);
        Assert.Equal(new long[] { 4 }, Functional.ConvTranspose(x, k, options: new() { Padding = 1 }).Data);
        var strided = Functional.ConvTranspose(x, k, options: new() { Stride = [2] });
        Assert.Equal(new long[] { 0, 0, 0, 1, 0, 0, 2, 3, 0, 2, 0, 3, 4, 6, 6, 9 }, strided.Data);
    }

    [Fact]
    public void RandomGeometriesAgreeWithTheReferences()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 400; trial++)
        {
            int rank = rng.Next(1, 4), groups = rng.Next(1, 3);
            int cin = groups * rng.Next(1, 3), cout = groups * rng.Next(1, 3);
            var mode = (PaddingMode)rng.Next(4);
            var k = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 4)).ToArray();
            var inSize = Enumerable.Range(0, rank).Select(_ => rng.Next(3, 7)).ToArray();
            var pads = Enumerable.Range(0, rank).Select(_ => (rng.Next(0, 3), rng.Next(0, 3))).ToArray();
            var opts = new ConvOptions
            {
                Stride = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 3)).ToArray(),
                Dilation = Enumerable.Range(0, rank).Select(_ => rng.Next(1, 3)).ToArray(),
                Padding = Padding.Asymmetric(pads),
                Groups = groups,
                PaddingMode = mode,
            };
            ConvGeometry g;
            try { g = ConvGeometry.ForConv([2, cin, .. inSize], [cout, cin / groups, .. k], opts); }
            catch (ArgumentException) { continue; }
            var x = Enumerable.Range(0, g.Batch * g.InputLength).Select(_ => (long)rng.Next(-5, 6)).ToArray();
            var w = Enumerable.Range(0, g.WeightLength).Select(_ => (long)rng.Next(-5, 6)).ToArray();
            var yv = new long[g.Batch * g.OutputLength];
            var yd = new long[yv.Length];
            var v = ConvolutionMatrix<long>.Compile(w, g);
            Assert.Equal(g.NonZeroCount, v.NonZerosCount);
            v.Convolve(x, yv);
            DirectCorrelation.Apply<long>(g, x, w, yd);
            Assert.True(yd.SequenceEqual(yv), g.ToString());
            var zv = new long[x.Length];
            var zd = new long[x.Length];
            v.ConvolveTranspose(yd, zv);
            DirectScatter.Apply<long>(g, yd, w, zd);
            Assert.True(zd.SequenceEqual(zv), "T " + g.ToString());
        }
    }
}
