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

    [Fact]
    public void DirectReferencesRefuseAPaddedInputBeyondInt32()
    {
        // A valid geometry (one input element, output 3) whose padded input, 1 + 2 x 1.1e9 elements, is beyond int32.
        var g = ConvGeometry.ForConv([1, 1, 1], [1, 1, 1], new ConvOptions { Padding = 1_100_000_000, Stride = [1_000_000_000] });
        Assert.Equal(new[] { 1, 1, 3 }, g.OutputShape);
        var output = new long[3];
        var correlation = Assert.ThrowsAny<ArgumentException>(() => DirectCorrelation.Apply<long>(g, new long[] { 5 }, new long[] { 2 }, output));
        Assert.Contains("int32", correlation.Message);
        var scatter = Assert.ThrowsAny<ArgumentException>(() => DirectScatter.Apply<long>(g, new long[] { 1, 2, 3 }, new long[] { 2 }, new long[1]));
        Assert.Contains("int32", scatter.Message);
        // V handles it: only the middle output reads the input element.
        var v = ConvolutionMatrix<long>.Compile(new long[] { 2 }, g);
        v.Convolve(new long[] { 5 }, output);
        Assert.Equal(new long[] { 0, 0, 0 }, output);
    }

    [Fact]
    public void SpatialProductsThatWrapAroundLongAreRefused()
    {
        // 2^22 x 2^21 x 2^21 = 2^64 input elements: each size is a valid int, their long product wraps to 0.
        var input = Assert.ThrowsAny<ArgumentException>(() => ConvGeometry.ForConv([1, 1, 1 << 22, 1 << 21, 1 << 21], [1, 1, 1, 1, 1]));
        Assert.Contains("int32", input.Message);
        // A kernel of 2^64 taps over one input element zero-padded enough to hold it: the output is 2 x 2 x 2.
        var kernel = Assert.ThrowsAny<ArgumentException>(() => ConvGeometry.ForConv([1, 1, 1, 1, 1], [1, 1, 1 << 22, 1 << 21, 1 << 21],
            new ConvOptions { Padding = Padding.Symmetric(1 << 21, 1 << 20, 1 << 20) }));
        Assert.Contains("int32", kernel.Message);
        // conv_transpose: an output of (2^22 + 1) x (2^21 + 1) x (2^21 + 1) elements from a 2 x 2 x 2 input with a large stride.
        var transpose = Assert.ThrowsAny<ArgumentException>(() =>
            ConvGeometry.ForConvTranspose([1, 1, 2, 2, 2], [1, 1, 1, 1, 1], new ConvTransposeOptions { Stride = [1 << 22, 1 << 21, 1 << 21] }));
        Assert.Contains("int32", transpose.Message);
    }

    [Fact]
    public void WidelyDilatedKernelCompilesInTimeProportionalToNnz()
    {
        // Kernel 46341 with dilation 46341 over 46341 inputs, zero-padded by ~1.07e9 on each side: each output reads at
        // most one input, so V has ~46k entries. Compile used to refuse it ("capacity" < 0: output x kernel passes int32)
        // and, once past that, spent 2e9 steps visiting taps that land in the padding.
        const int n = 46341, k = 46341, d = 46341;
        int pad = (int)(((long)d * (k - 1) + 1 - n + 46340) / 2 + 1);
        var g = ConvGeometry.ForConv([1, 1, n], [1, 1, k], new ConvOptions { Padding = pad, Dilation = [d] });
        var weight = Enumerable.Range(1, k).Select(t => (long)t).ToArray();
        var v = ConvolutionMatrix<long>.Compile(weight, g);
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);

        // Output o reads input i = o − pad + t·d for the one tap t (if any) that puts i inside [0, n).
        var x = Enumerable.Range(0, n).Select(i => (long)(i % 7 - 3)).ToArray();
        var expected = new long[g.OutputLength];
        long entries = 0;
        for (int o = 0; o < expected.Length; o++)
        {
            long t = (pad - o + d - 1) / d; // smallest t with o − pad + t·d >= 0 (pad > o here)
            long i = o - pad + t * d;
            if (t < k && i < n) { expected[o] = weight[t] * x[i]; entries++; }
        }
        Assert.Equal(entries, v.NonZerosCount);
        var y = new long[g.OutputLength];
        v.Convolve(x, y);
        Assert.Equal(expected, y);
    }

    [Fact]
    public void ReplicatePaddingCountsEntriesWithoutVisitingEveryTap()
    {
        // Replicate padding has no bound: one input element padded by 1e9 on each side, kernel 2e9 taps, output 2.
        // Every tap reads the one element, so V has 2 entries; counting them used to visit 2 x 2e9 taps.
        var g = ConvGeometry.ForConv([1, 1, 1], [1, 1, 2_000_000_000],
            new ConvOptions { Padding = 1_000_000_000, PaddingMode = PaddingMode.Replicate });
        Assert.Equal(new[] { 1, 1, 2 }, g.OutputShape);
        Assert.Equal(2, g.NonZeroCount);
        // Two elements, kernel 2e9, padding 1e9 − 1 before and 1e9 after: both outputs read both elements.
        var two = ConvGeometry.ForConv([1, 1, 2], [1, 1, 2_000_000_000],
            new ConvOptions { Padding = Padding.Asymmetric((999_999_999, 1_000_000_000)), PaddingMode = PaddingMode.Replicate });
        Assert.Equal(new[] { 1, 1, 2 }, two.OutputShape);
        Assert.Equal(4, two.NonZeroCount);
    }

    [Fact]
    public void ReflectAndCircularPaddingCountEntriesWithoutVisitingEveryTap()
    {
        // Windows that cover a whole period read every input element: circular with kernel >= n, reflect with kernel
        // >= 2(n − 1). Counting used to visit all output x kernel taps (~5e9 here, minutes) just to refuse the size.
        var circular = ConvGeometry.ForConv([1, 1, 100_000], [1, 1, 150_000], new ConvOptions { Padding = 100_000, PaddingMode = PaddingMode.Circular });
        Assert.Equal(150_001, circular.OutputSize[0]);
        Assert.Equal(150_001L * 100_000, circular.NonZeroCount);
        var reflect = ConvGeometry.ForConv([1, 1, 50_000], [1, 1, 99_998], new ConvOptions { Padding = 49_999, PaddingMode = PaddingMode.Reflect });
        Assert.Equal(50_001, reflect.OutputSize[0]);
        Assert.Equal(50_001L * 50_000, reflect.NonZeroCount);
        Assert.Contains("entries", Assert.ThrowsAny<ArgumentException>(() => ConvolutionMatrix<double>.Compile(new double[99_998], reflect)).Message);
    }

    [Fact]
    public void TensorShapesWhoseProductWrapsAroundLongAreRefused()
    {
        // 2^22 x 2^21 x 2^21 = 2^64 elements wraps to 0 in long, which matched an empty data array.
        var ex = Assert.ThrowsAny<ArgumentException>(() => new Tensor<double>([], 1 << 22, 1 << 21, 1 << 21));
        Assert.Contains("int32", ex.Message);
        // A zero dimension is still an empty tensor, however large the others.
        Assert.Equal(0, new Tensor<double>([], 0, int.MaxValue, int.MaxValue).Length);
    }
}
