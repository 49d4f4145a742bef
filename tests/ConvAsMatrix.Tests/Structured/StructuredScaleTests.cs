namespace ConvAsMatrix.Tests.Structured;

/// <summary>Issue 8's memory target: the structured V of a real layer holds the weight and almost nothing else.</summary>
public class StructuredScaleTests
{
    /// <summary>W6, VGG-16 conv1_2: 1×64×224×224 → 64, k3, pad 1. Its explicit V would have 1.85e9 entries (about 22 GB in double).</summary>
    private static readonly ConvGeometry W6 = ConvGeometry.ForConv([1, 64, 224, 224], [64, 64, 3, 3], new ConvOptions { Padding = 1 });

    /// <summary>A ResNet-style 256 -> 256 layer on 112²: its explicit V is beyond int32 indices on any machine.</summary>
    private static readonly ConvGeometry Resnet256 = ConvGeometry.ForConv([1, 256, 112, 112], [256, 256, 3, 3], new ConvOptions { Padding = 1 });

    [Fact]
    public void W6CompilesHoldingAtMostOneMegabyteBeyondTheWeight()
    {
        var weight = new double[W6.WeightLength];
        Assert.True(W6.NonZeroCount > 1_800_000_000L);
        var fresh = ConvGeometry.ForConv([1, 64, 224, 224], [64, 64, 3, 3], new ConvOptions { Padding = 1 });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var v = StructuredConvolution<double>.Compile(weight, fresh);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long weightBytes = W6.WeightLength * sizeof(double);
        Assert.True(v.StoredBytes <= weightBytes + (1 << 20), $"stores {v.StoredBytes} bytes for a {weightBytes}-byte weight");
        // Compiling (the sampling maps of a fresh geometry included) allocates the weight copy and little else.
        Assert.True(allocated <= weightBytes + (1 << 20), $"compiling allocated {allocated} bytes for a {weightBytes}-byte weight");
        Assert.Equal(W6.NonZeroCount, v.NonZeroCount);
        Assert.Equal((W6.OutputLength, W6.InputLength), (v.RowCount, v.ColumnCount));
    }

    [Fact]
    public void W6RowBlockIsBuiltWithoutTheRestOfV()
    {
        var weight = Tensor.Arange<double>(W6.WeightShape);
        var v = StructuredConvolution<double>.Compile(weight, W6);
        // The last output channel's last two image rows: 448 rows of V, each 64·(2 or 3)·(2 or 3) entries.
        int rows = 2 * 224, first = W6.OutputLength - rows;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var block = v.ToCompressedRows(first, W6.OutputLength);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(rows, block.RowCount);
        // Image row 222 reads 3 input rows and row 223 two; across a row, 224·3 − 2 input columns in all.
        Assert.Equal(64L * (3 + 2) * (224 * 3 - 2), block.NonZerosCount);
        Assert.True(allocated < 4L * block.NonZerosCount * (sizeof(double) + sizeof(int)), $"allocated {allocated} bytes for a block of {block.NonZerosCount} entries");
        // Row (63, 223, 223), the last: input channels × rows 222..223 × columns 222..223, weight taps (0..1, 0..1).
        var last = Enumerable.Range(block.RowPointers[rows - 1], block.RowPointers[rows] - block.RowPointers[rows - 1]).ToArray();
        Assert.Equal(64 * 4, last.Length);
        Assert.Equal(63 * 576 + 0 * 9 + 0 * 3 + 0, block.Values[last[0]]);
        Assert.Equal(0 * 224 * 224 + 222 * 224 + 222, block.ColumnIndices[last[0]]);
    }

    [Fact]
    public void BlockSparseRowsBeyondInt32AreRefusedBeforeAllocating()
    {
        // 256 -> 256 on 112², k3, pad 1: 334² = 111556 blocks of 256 x 256, 7.3e9 values, beyond what .NET arrays index.
        var v = StructuredConvolution<double>.Compile(new double[256 * 256 * 9], Resnet256);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.ThrowsAny<ArgumentException>(() => v.ToBlockSparseRows());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
        Assert.Contains("111556 blocks", e.Message);
    }

    [Fact]
    public void ExplicitVBeyondInt32IsRefusedNamingTheStructuredFormWhichRunsIt()
    {
        // 7.3e9 entries, beyond int32 on any machine (W6's 1.85e9 would be refused by memory only, which depends on the machine).
        var g = Resnet256;
        var weight = new double[g.WeightLength];
        var e = Assert.ThrowsAny<ArgumentException>(() => ConvolutionMatrix<double>.Compile(weight, g));
        Assert.Contains("StructuredConvolution<T>.Compile", e.Message);
        Assert.Contains("--form structured", e.Message);
        Assert.Contains(g.NonZeroCount.ToString(), e.Message);
        var v = StructuredConvolution<double>.Compile(weight, g);
        Assert.Equal(g.NonZeroCount, v.NonZeroCount);
    }
}
