namespace ConvAsMatrix.Tests.Structured;

/// <summary>
/// Issue 8, "refuse honestly": the explicit V's memory check counts everything the operation will hold (the
/// compressed-column copy Vᵀ batches build) against 80 % of the memory available, and names the structured form.
/// </summary>
public class ExplicitMemoryRuleTests
{
    /// <summary>nnz ≈ 9e8 fits int32 indices, but decimal values (16 bytes) + indices need ≈ 18 GB, twice that with the Vᵀ copy.</summary>
    private static readonly ConvGeometry Large = ConvGeometry.ForConv([1, 1, 30000, 30000], [1, 1, 1, 2]);

    [Fact]
    public void RefusalCountsTheTransposeCopyAndNamesTheStructuredForm()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        long v = Large.NonZeroCount * 20, copy = Large.NonZeroCount * 20 + 4L * (Large.InputLength + 1);
        Assert.True(v + copy > 0.8 * available, $"this machine has {available} bytes: the test needs V and its copy to exceed 80 % of that");
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<ArgumentException>(() => ConvolutionMatrix<decimal>.CompileUnchecked(new decimal[2], Large, withColumns: true, progress: null));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "refused after allocating");
        Assert.Contains($"compressed-column copy for Vᵀ ({copy} bytes)", e.Message);
        Assert.Contains("80", e.Message);
        Assert.Contains("StructuredConvolution<T>.Compile", e.Message);
        Assert.Contains("--form structured", e.Message);
        Assert.Equal("geometry", e.ParamName);
    }

    [Fact]
    public void TheSameLayerRunsStructured()
    {
        var v = StructuredConvolution<decimal>.Compile(new decimal[] { 1, 2 }, Large);
        // The maps and their inverses, a few ints per (output, tap) and per input index of each dimension: about 2.6 MB here.
        Assert.True(v.StoredBytes < 4 << 20, $"stores {v.StoredBytes} bytes");
        Assert.Equal(Large.NonZeroCount, v.NonZeroCount);
    }
}
