namespace ConvAsMatrix.Tests.Performance;

/// <summary>The README's advice for a V that does not fit, checked: the refusal names the size, and V can be built in pieces by output channel.</summary>
public class ScaleTests
{
    [Fact]
    public void TooLargeVIsRefusedWithTheEntriesItWouldNeed()
    {
        var g = ConvGeometry.ForConv([1, 256, 112, 112], [256, 256, 3, 3], new ConvOptions { Padding = 1 });
        var e = Assert.Throws<ArgumentException>(() => ConvolutionMatrix<double>.Compile(new double[g.WeightLength], g));
        Assert.Contains(g.NonZeroCount.ToString(), e.Message);
        Assert.True(g.NonZeroCount > Array.MaxLength);
    }

    [Fact]
    public void OutputChannelSlicesOfTheWeightAreRowBlocksOfV()
    {
        var g = ConvGeometry.ForConv([1, 3, 6, 5], [4, 3, 3, 2], new ConvOptions { Padding = 1, Stride = [2, 1] });
        var weight = Tensor.Arange<long>(g.WeightShape).Data;
        var v = ConvolutionMatrix<long>.Compile(weight, g);
        int positions = g.OutputLength / g.OutChannels, perChannel = g.WeightLength / g.OutChannels;
        var rows = new List<(int, int, long)>();
        for (int a = 0; a < 4; a += 2)
        {
            var gBlock = ConvGeometry.ForConv([1, 3, 6, 5], [2, 3, 3, 2], new ConvOptions { Padding = 1, Stride = [2, 1] });
            var block = ConvolutionMatrix<long>.Compile(weight.AsSpan(a * perChannel, 2 * perChannel), gBlock);
            rows.AddRange(block.EnumerateNonZeros().Select(t => (t.Row + a * positions, t.Column, t.Value)));
        }
        Assert.Equal(v.EnumerateNonZeros(), rows);
    }
}
