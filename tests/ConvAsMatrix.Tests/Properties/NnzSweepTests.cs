namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// Every small 1-D geometry, exhaustively: the library's NonZeroCount (a closed form per output position) equals
/// the number of distinct input indices the taps read, counted one tap at a time.
/// </summary>
public class NnzSweepTests
{
    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Replicate)]
    [InlineData(PaddingMode.Circular)]
    public void NonZeroCountEqualsTapByTapCount(PaddingMode mode)
    {
        int checkedGeometries = 0;
        for (int n = 1; n <= 7; n++)
        for (int k = 1; k <= 8; k++)
        for (int d = 1; d <= 4; d++)
        for (int s = 1; s <= 3; s++)
        for (int before = 0; before <= 4; before++)
        for (int after = 0; after <= 4; after++)
        {
            if (mode == PaddingMode.Reflect && Math.Max(before, after) >= n) continue;
            if (mode == PaddingMode.Circular && Math.Max(before, after) > n) continue;
            int extent = d * (k - 1) + 1;
            if (n + before + after < extent) continue;
            var g = ConvGeometry.ForConv([1, 1, n], [1, 1, k],
                new ConvOptions { Stride = [s], Dilation = [d], Padding = Padding.Asymmetric((before, after)), PaddingMode = mode });
            long expected = 0;
            for (int o = 0; o < g.OutputSize[0]; o++)
                expected += Enumerable.Range(0, k).Select(t => DefinitionOfV.Source((long)o * s - before + (long)t * d, n, mode))
                    .Where(i => i >= 0).Distinct().Count();
            Assert.True(expected == g.NonZeroCount, $"{g}: expected {expected}, NonZeroCount {g.NonZeroCount}");
            checkedGeometries++;
        }
        Assert.True(checkedGeometries > 1000, $"only {checkedGeometries} geometries");
    }
}
