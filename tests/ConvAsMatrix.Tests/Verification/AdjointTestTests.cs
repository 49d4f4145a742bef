using ConvAsMatrix.Solvers;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Verification;

/// <summary>
/// The dot-product test catches hand-written transposed convolutions that are subtly wrong, and the
/// comparison with V tells which half of the pair is to blame.
/// </summary>
public class AdjointTestTests
{
    // A 1-D convolution (PyTorch semantics: cross-correlation) of length 9 with kernel size 3, padding 1.
    private static readonly double[] Kernel = [1, 2, 3];
    private const int N = 9, Pad = 1;
    private static readonly ConvGeometry Geometry = ConvGeometry.ForConv([1, 1, N], [1, 1, Kernel.Length], new ConvOptions { Padding = Pad });

    /// <summary>output[o] = Σₜ kernel[t]·input[o + t − before], zero outside: the textbook loop a user writes.</summary>
    private static void Correlate(ReadOnlySpan<double> input, double[] kernel, int before, Span<double> output)
    {
        for (int o = 0; o < output.Length; o++)
        {
            double sum = 0;
            for (int t = 0; t < kernel.Length; t++)
            {
                int i = o + t - before;
                if (i >= 0 && i < input.Length) sum += kernel[t] * input[i];
            }
            output[o] = sum;
        }
    }

    private static void UserConv(ReadOnlySpan<double> x, Span<double> y) => Correlate(x, Kernel, Pad, y);

    /// <summary>Right: the transposed convolution is a full correlation with the flipped kernel and padding k − 1 − p.</summary>
    private static void RightTranspose(ReadOnlySpan<double> y, Span<double> x) => Correlate(y, [.. Kernel.Reverse()], Kernel.Length - 1 - Pad, x);

    /// <summary>Wrong: the kernel is not flipped.</summary>
    private static void UnflippedTranspose(ReadOnlySpan<double> y, Span<double> x) => Correlate(y, Kernel, Kernel.Length - 1 - Pad, x);

    /// <summary>Wrong: padding k − p instead of k − 1 − p (everything shifted by one).</summary>
    private static void OffByOneTranspose(ReadOnlySpan<double> y, Span<double> x) => Correlate(y, [.. Kernel.Reverse()], Kernel.Length - Pad, x);

    [Fact]
    public void CorrectPairPassesBothChecks()
    {
        var dot = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, RightTranspose, tolerance: 1e-12);
        Assert.True(dot.Passed, dot.ToString());
        Assert.True(dot.RelativeDifference < 1e-15, dot.ToString());
        var versusV = AdjointTest.CompareWith(Kernel, Geometry, UserConv, RightTranspose, tolerance: 1e-12);
        Assert.True(versusV.Passed, versusV.ToString());
        // The user's loop and V's row-parallel gather sum in different orders: equal to rounding.
        Assert.True(versusV.ForwardDifference < 1e-15, versusV.ToString());
    }

    [Fact]
    public void UnflippedKernelIsCaught()
    {
        var dot = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, UnflippedTranspose, tolerance: 1e-12);
        Assert.False(dot.Passed);
        Assert.True(dot.RelativeDifference > 1e-3, dot.ToString());
        Assert.StartsWith("FAILED", dot.ToString());
        var versusV = AdjointTest.CompareWith(Kernel, Geometry, UserConv, UnflippedTranspose, tolerance: 1e-12);
        Assert.True(versusV.ForwardPassed);
        Assert.False(versusV.AdjointPassed);
        Assert.Contains("adjoint vs V^T", versusV.ToString());
    }

    [Fact]
    public void OffByOnePaddingIsCaught()
    {
        var dot = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, OffByOneTranspose, tolerance: 1e-12);
        Assert.False(dot.Passed, dot.ToString());
        var versusV = AdjointTest.CompareWith(Kernel, Geometry, UserConv, OffByOneTranspose, tolerance: 1e-12);
        Assert.True(versusV.ForwardPassed);
        Assert.False(versusV.AdjointPassed, versusV.ToString());
    }

    [Fact]
    public void AWrongForwardIsBlamedOnTheForward()
    {
        // The dot-product test alone cannot see this (flipping both halves keeps them adjoint); the comparison with V can.
        SpanMap convolution = (x, y) => Correlate(x, [.. Kernel.Reverse()], Pad, y);
        SpanMap transpose = (y, x) => Correlate(y, Kernel, Kernel.Length - 1 - Pad, x);
        Assert.True(AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, convolution, transpose).Passed);
        var versusV = AdjointTest.CompareWith(Kernel, Geometry, convolution, transpose);
        Assert.False(versusV.ForwardPassed);
        Assert.False(versusV.AdjointPassed);
    }

    [Fact]
    public void CompiledVPassesAtRoundOff()
    {
        var random = new Random(1);
        foreach (var mode in Enum.GetValues<PaddingMode>())
        {
            var v = Solvers.Problems.Random2D(random, 2, 4, 7, 3, new ConvOptions { Padding = 2, Stride = [2], Dilation = [2], Groups = 2, PaddingMode = mode });
            var result = AdjointTest.Run(LinearOperator.From(v), tolerance: 1e-14, seed: 3);
            Assert.True(result.Passed, $"{mode}: {result}");
        }
    }

    [Fact]
    public void SeedReproducesTheDraw()
    {
        var a = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, UnflippedTranspose, seed: 42);
        var b = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, UnflippedTranspose, seed: 42);
        var c = AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, UnflippedTranspose, seed: 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a.ForwardProduct, c.ForwardProduct);
    }

    [Fact]
    public void NaNFromTheUserNeverPasses()
    {
        SpanMap broken = (y, x) => x.Fill(double.NaN);
        Assert.False(AdjointTest.Run(Geometry.OutputLength, Geometry.InputLength, UserConv, broken).Passed);
        Assert.False(AdjointTest.CompareWith(Kernel, Geometry, UserConv, broken).AdjointPassed);
    }

    [Fact]
    public void BadArgumentsNameTheParameter()
    {
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => AdjointTest.Run(7, 9, UserConv, RightTranspose, tolerance: 0)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => AdjointTest.CompareWith(Kernel, Geometry, UserConv, RightTranspose, tolerance: double.NaN)).ParamName);
        Assert.Equal("rowCount", Assert.Throws<ArgumentOutOfRangeException>(() => AdjointTest.Run(0, 9, UserConv, RightTranspose)).ParamName);
        Assert.Equal("adjoint", Assert.Throws<ArgumentNullException>(() => AdjointTest.Run(9, 9, UserConv, null!)).ParamName);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => AdjointTest.CompareWith(new double[2], Geometry, UserConv, RightTranspose)).ParamName);
        // A delegate that writes the wrong length is the user's bug; the operator's own length checks name the span.
        var op = new LinearOperator(9, 9, UserConv, RightTranspose);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => op.Apply(new double[8], new double[9])).ParamName);
    }
}
