namespace ConvAsMatrix.Tests.Validation;

/// <summary>Counterexamples found while testing issue 2, pinned.</summary>
public class CounterexampleTests
{
    [Fact]
    public void BatchedConvolveRejectsSpansThatOverlapAcrossSamples()
    {
        // 1x1 conv, weight 2, batch 2: input = buffer[0..2), output = buffer[1..3). No single sample's input
        // overlaps its own output, but writing sample 0's output destroys sample 1's input.
        var g = ConvGeometry.ForConv([2, 1, 1], [1, 1, 1]);
        var v = ConvolutionMatrix<long>.Compile(new long[] { 2 }, g);
        var buffer = new long[] { 1, 10, 0 };
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => v.Convolve(buffer.AsSpan(0, 2), buffer.AsSpan(1, 2))).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => v.ConvolveTranspose(buffer.AsSpan(0, 2), buffer.AsSpan(1, 2))).ParamName);
        Assert.Equal(new long[] { 1, 10, 0 }, buffer);
    }
}
