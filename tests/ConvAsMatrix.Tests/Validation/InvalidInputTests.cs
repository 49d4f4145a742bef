using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Validation;

/// <summary>
/// Bad input (issue 2, item 6): every kind of invalid geometry or tensor throws ArgumentException (or a subtype)
/// naming the parameter and quoting the offending value, never anything else; and sizes beyond int32 or memory
/// are refused before anything large is allocated.
/// </summary>
public class InvalidInputTests
{
    /// <summary>More than the usual 300 cases: enough for every kind of invalid input to be drawn about eight times.</summary>
    private const int InvalidCases = 400;

    [ConvProperty(MaxTest = InvalidCases)]
    public void InvalidInputThrowsArgumentExceptionNamingTheParameter(InvalidCase invalid)
    {
        var (attempt, parameters, offending) = invalid.Make();
        var ex = Record.Exception(attempt);
        Assert.NotNull(ex);
        var argument = Assert.IsAssignableFrom<ArgumentException>(ex);
        if (parameters.Length > 0) Assert.Contains(argument.ParamName, parameters);
        Assert.Contains(offending, argument.Message);
    }

    [Fact]
    public void EveryInvalidKindIsGenerated()
    {
        // The property's cases are drawn uniformly from the kinds: with 400 cases each of the 39 kinds appears ~10 times.
        var kinds = Enum.GetValues<InvalidKind>();
        Assert.True(InvalidCases >= 8 * kinds.Length, "too few cases per invalid kind");
        var sample = FsCheck.Fluent.Gen.Sample(InvalidArbitraries.Invalid().Generator, 2000, new FsCheck.Rnd(2026UL), 50);
        Assert.All(kinds, k => Assert.Contains(sample, c => c.Kind == k));
    }

    [Fact]
    public void NnzBeyondInt32IsRefusedBeforeAllocating()
    {
        // 40000 x 40000 input (1.6e9 elements, within int32), 3 x 3 kernel: V would store ~1.44e10 entries.
        var g = ConvGeometry.ForConv([1, 1, 40000, 40000], [1, 1, 3, 3]);
        Assert.True(g.NonZeroCount > int.MaxValue);
        var weight = new double[9];
        AssertRefusedCheaply(() => ConvolutionMatrix<double>.Compile(weight, g), g.NonZeroCount.ToString());
    }

    [Fact]
    public void VBeyondAvailableMemoryIsRefusedBeforeAllocating()
    {
        // nnz ~1.8e9 fits int32 indices, but decimal values (16 bytes) + indices need ~36 GB.
        var g = ConvGeometry.ForConv([1, 1, 30000, 30000], [1, 1, 1, 2]);
        Assert.InRange(g.NonZeroCount, 1L << 30, Array.MaxLength);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        Assert.True(g.NonZeroCount * 20 > available, $"this machine has {available} bytes: the test needs a V larger than that");
        var weight = new decimal[2];
        AssertRefusedCheaply(() => ConvolutionMatrix<decimal>.Compile(weight, g), "bytes");
    }

    [Fact]
    public void TransposedConvolutionBeyondInt32IsRefusedBeforeAllocating()
    {
        // 100 x 100 input, stride 2^20: each output dimension (~1.04e8) fits int32, their product does not.
        var input = Tensor.Zeros<double>(1, 1, 100, 100);
        var weight = Tensor.Zeros<double>(1, 1, 4, 4);
        AssertRefusedCheaply(() => Functional.ConvTranspose(input, weight, options: new ConvTransposeOptions { Stride = [1 << 20] }), "int32");
    }

    /// <summary>The call throws ArgumentException quoting <paramref name="quoted"/>, having allocated under 16 MB on this thread.</summary>
    [Fact]
    public void WorkingBytesCountInTheMemoryCheck()
    {
        // A small V (a few hundred entries) that fits alone is refused when the operation's own arrays would not fit beside it.
        var g = ConvGeometry.ForConv([1, 2, 8, 8], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var weight = new double[g.WeightLength];
        Assert.Equal(g.NonZeroCount, ConvolutionMatrix<double>.Compile(weight, g, workingBytes: 1 << 20).NonZerosCount);
        long huge = long.MaxValue / 4;
        AssertRefusedCheaply(() => ConvolutionMatrix<double>.Compile(weight, g, huge), $"work arrays ({huge} bytes)");
        var negative = Assert.Throws<ArgumentException>(() => ConvolutionMatrix<double>.Compile(weight, g, workingBytes: -1));
        Assert.Equal("workingBytes", negative.ParamName);
    }

    private static void AssertRefusedCheaply(Action call, string quoted)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.ThrowsAny<ArgumentException>(call);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains(quoted, ex.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes before refusing");
    }
}
