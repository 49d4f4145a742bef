using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>The <see cref="BlockedWeightGradient{T}"/> of one hardware number type.</summary>
/// <remarks>
/// <para>Lane layout (AVX2, double: 4 lanes, S = 3; AVX-512 8 lanes and S = 6, scalar 1 lane). Tile (output channels
/// co..co+3 of a group) × (columns j..j+2, each an input channel and tap); step k is the k-th vector of output
/// positions of the sample, 4 consecutive positions of one output row:</para>
/// <code>
///   packed row side, step k:  b[co]   = [b(co, p0) b(co, p1) b(co, p2) b(co, p3)]   (one load per channel)
///                             b[co+1], b[co+2], b[co+3]
///   column side, step k:      a[j]    = [a(j, p0) a(j, p1) a(j, p2) a(j, p3)]       (padded buffer at the row's base + v·4 + column offset)
///   accumulators:             acc[c][s] += b[co+c] · a[j+s]                          (12 of them, lane l summing positions ≡ l)
///   at the end:               gw[co+c, j+s] = acc[c][s][0] + acc[c][s][1] + acc[c][s][2] + acc[c][s][3]
/// </code>
/// <para>A row's last vector runs past the row: the packed row side is zero there, the column side reads the next
/// elements of the padded buffer (or its slack), finite, so those products add zeros. Missing channels of a group's
/// last block are zero rows; missing columns of its last column block repeat column 0 and are never written out.</para>
/// <para>Blocking: the positions of a sample are cut into chunks (<see cref="ChunkVectors"/>); within a chunk every tile
/// of a thread runs in turn, columns outer and channel blocks inner, so one tile's columns stay in L1 while the
/// chunk's packed row side (all channels of the group) stays in L2. The 4·S accumulators go to the tile's buffer
/// between chunks and samples (exact), and are added up at the end.</para>
/// </remarks>
internal sealed unsafe class BlockedWeightGradientOf<TNum> : BlockedWeightGradient<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    /// <summary>Output channels per tile: the wide tile's four channels.</summary>
    private const int Channels = 4;

    /// <summary>Array elements a per-call buffer may have (as <see cref="BlockedConvolution{T}.Fits"/>).</summary>
    private const long Limit = 1L << 30;

    private readonly ConvGeometry geometry;
    private readonly PaddedLayout padded;
    private readonly TileShape shape;
    private readonly int width, reduce, channels, columns, blocks, columnBlocks, rowVectors, vectors, positions, out2;
    private readonly int[] columnOffsets, vectorOffsets;
    private readonly long tiles, packedLength, tileLength;

    public BlockedWeightGradientOf(ConvGeometry geometry, KernelPath path)
    {
        this.geometry = geometry;
        Path = path;
        width = path.Lanes<TNum>();
        shape = TileShape.Wide(path);
        padded = new PaddedLayout(geometry, TileShape.SlackVectors * width);
        reduce = geometry.InChannels / geometry.Groups;
        channels = geometry.OutChannels / geometry.Groups;
        blocks = (channels + Channels - 1) / Channels;
        // Columns (c, t) in weight order; the last block is padded with column 0, a valid read whose sums are dropped.
        var steps = BlockedPlans.ForwardSteps(geometry, padded);
        columns = steps.Length;
        columnBlocks = (columns + shape.Slots - 1) / shape.Slots;
        columnOffsets = new int[columnBlocks * shape.Slots];
        for (int j = 0; j < columnOffsets.Length; j++) columnOffsets[j] = steps[j < columns ? j : 0];
        // Vector v of output row (o0, o1) starts at padded element (o0·s0·P1 + o1·s1)·s2Q2 + v·width of each column.
        var o = ConvGeometry.Pad3(geometry.OutputSize, 1);
        var s = ConvGeometry.Pad3(geometry.Stride, 1);
        out2 = o[2];
        positions = o[0] * o[1] * o[2];
        rowVectors = (o[2] + width - 1) / width;
        long allVectors = (long)o[0] * o[1] * rowVectors;
        tiles = (long)geometry.Groups * columnBlocks * blocks;
        packedLength = (long)geometry.Groups * blocks * allVectors * Channels * width;
        tileLength = Channels * shape.Slots * width;
        Fits = allVectors <= Limit && packedLength <= Limit && tiles * tileLength <= Limit;
        if (!Fits)
        {
            columnOffsets = vectorOffsets = [];
            return;
        }
        vectors = (int)allVectors;
        vectorOffsets = new int[vectors];
        int row = padded.Row, p1 = padded.Padded[1];
        for (int o0 = 0, k = 0; o0 < o[0]; o0++)
            for (int o1 = 0; o1 < o[1]; o1++)
                for (int v = 0; v < rowVectors; v++, k++)
                    vectorOffsets[k] = (o0 * s[0] * p1 + o1 * s[1]) * row + v * width;
        ChunkVectors = Chunk(geometry, vectors, width, channels, reduce);
    }

    public override KernelPath Path { get; }

    private protected override bool Fits { get; }

    /// <summary>Steps (vectors of output positions) per chunk.</summary>
    internal int ChunkVectors { get; }

    /// <summary>Steps (vectors of output positions) per sample.</summary>
    internal int Vectors => vectors;

    /// <summary>
    /// Vectors per chunk: the chunk's packed row side (all channels of a group) and its column side (all input
    /// channels of the group, one row each) within 192 KB of L2, and at least 64 steps, so that storing and reloading
    /// the 4·S accumulators between chunks costs under a tenth of the chunk's loads.
    /// </summary>
    private static int Chunk(ConvGeometry g, int vectors, int width, int channels, int reduce)
    {
        const int BudgetBytes = 192 * 1024, MinimumSteps = 64;
        long perStep = ((long)channels + reduce) * width * Unsafe.SizeOf<TNum>();
        return (int)Math.Clamp(BudgetBytes / perStep, Math.Min(MinimumSteps, vectors), Math.Max(vectors, 1));
    }

    public override void Compute(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
    {
        // One dispatch per call on the path chosen at creation: only that width's instantiation is compiled or run.
        switch (Path.VectorBits)
        {
            case 512: Compute<Vector512<TNum>, Vector512Ops<TNum>>(columnSide, rowSide, weightGradient, samples); break;
            case 256: Compute<Vector256<TNum>, Vector256Ops<TNum>>(columnSide, rowSide, weightGradient, samples); break;
            case 128: Compute<Vector128<TNum>, Vector128Ops<TNum>>(columnSide, rowSide, weightGradient, samples); break;
            default: Compute<TNum, ScalarOps<TNum>>(columnSide, rowSide, weightGradient, samples); break;
        }
    }

    private void Compute<TVec, TOps>(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        // The slot count as a type: one instantiation per tile shape in use.
        if (shape.Slots == SixSlots.Count) Compute<TVec, TOps, SixSlots>(columnSide, rowSide, weightGradient, samples);
        else if (shape.Slots == ThreeSlots.Count) Compute<TVec, TOps, ThreeSlots>(columnSide, rowSide, weightGradient, samples);
        else Compute<TVec, TOps, TwoSlots>(columnSide, rowSide, weightGradient, samples);
    }

    private void Compute<TVec, TOps, TSlots>(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
    {
        var xBuffer = ArrayPool<TNum>.Shared.Rent(padded.Length);
        var bBuffer = ArrayPool<TNum>.Shared.Rent((int)packedLength);
        var tileBuffer = ArrayPool<TNum>.Shared.Rent((int)(tiles * tileLength));
        try
        {
            int inputLength = geometry.InputLength, outputLength = geometry.OutputLength;
            long work = (long)vectors * tileLength;
            fixed (TNum* a = columnSide, b = rowSide, xp = xBuffer, bp = bBuffer, acc = tileBuffer, gw = weightGradient)
            fixed (int* columnAt = columnOffsets, vectorAt = vectorOffsets)
            {
                for (int n = 0; n < samples; n++)
                {
                    padded.Pad(a + (long)n * inputLength, xp);
                    ParallelRows.For(geometry.Groups * blocks, (long)vectors * Channels * width, new PackBlocks(this, b + (long)n * outputLength, bp));
                    ParallelRows.For((int)tiles, work, new Tiles<TVec, TOps, TSlots>(this, xp, bp, acc, columnAt, vectorAt, accumulate: n > 0));
                }
                ParallelRows.For((int)tiles, tileLength, new Sums<TVec, TOps>(this, acc, gw));
            }
        }
        finally
        {
            ArrayPool<TNum>.Shared.Return(xBuffer);
            ArrayPool<TNum>.Shared.Return(bBuffer);
            ArrayPool<TNum>.Shared.Return(tileBuffer);
        }
    }

    /// <summary>
    /// One sample's row side packed by blocks of four channels: block (group, b) holds, for each step k, the k-th
    /// vector of positions of its four channels one after the other, zeros past a row's end and for missing channels.
    /// </summary>
    private readonly struct PackBlocks(BlockedWeightGradientOf<TNum> k, TNum* b, TNum* packed) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int width = k.width, rowVectors = k.rowVectors, out2 = k.out2, rows = k.positions / Math.Max(out2, 1);
            long blockLength = (long)k.vectors * Channels * width;
            for (int block = start; block < end; block++)
            {
                int group = block / k.blocks, first = block % k.blocks * Channels;
                TNum* dst = packed + block * blockLength;
                new Span<TNum>(dst, (int)blockLength).Clear();
                for (int c = 0; c < Channels && first + c < k.channels; c++)
                {
                    TNum* src = b + (long)(group * k.channels + first + c) * k.positions;
                    for (int r = 0; r < rows; r++)
                        for (int o2 = 0; o2 < out2; o2++)
                        {
                            int step = r * rowVectors + o2 / width;
                            dst[((long)step * Channels + c) * width + o2 % width] = src[(long)r * out2 + o2];
                        }
                }
            }
        }
    }

    /// <summary>The tiles [start, end) of one sample, chunk by chunk; tile = (group, column block, channel block), channel block fastest.</summary>
    private readonly struct Tiles<TVec, TOps, TSlots>(BlockedWeightGradientOf<TNum> k, TNum* x, TNum* packed, TNum* acc, int* columnAt, int* vectorAt, bool accumulate) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int vectors = k.vectors, chunk = k.ChunkVectors, blocks = k.blocks, columnBlocks = k.columnBlocks, slots = TSlots.Count;
            long step = Channels * TOps.Count, tileLength = k.tileLength, groupStride = (long)k.reduce * k.padded.ChannelStride;
            for (int j0 = 0; j0 < vectors; j0 += chunk)
            {
                int len = Math.Min(chunk, vectors - j0);
                for (int t = start; t < end; t++)
                {
                    int block = t % blocks, rest = t / blocks, columnBlock = rest % columnBlocks, group = rest / columnBlocks;
                    TNum* b = packed + (((long)group * blocks + block) * vectors + j0) * step;
                    MicroKernel.Wide<TNum, TVec, TOps, TSlots, VectorChannels<TNum, TVec, TOps>>(x + group * groupStride, vectorAt + j0, len, b,
                        columnAt + columnBlock * slots, acc + t * tileLength, accumulate || j0 > 0);
                }
            }
        }
    }

    /// <summary>gw[co, column] = the lanes of its accumulator added up, for the tiles [start, end).</summary>
    private readonly struct Sums<TVec, TOps>(BlockedWeightGradientOf<TNum> k, TNum* acc, TNum* gw) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int blocks = k.blocks, columnBlocks = k.columnBlocks, slots = k.shape.Slots, width = TOps.Count;
            for (int t = start; t < end; t++)
            {
                int block = t % blocks, rest = t / blocks, columnBlock = rest % columnBlocks, group = rest / columnBlocks;
                TNum* tile = acc + t * k.tileLength;
                for (int c = 0; c < Channels && block * Channels + c < k.channels; c++)
                {
                    long co = (long)group * k.channels + block * Channels + c;
                    for (int s = 0; s < slots && columnBlock * slots + s < k.columns; s++)
                        gw[co * k.columns + columnBlock * slots + s] = TOps.Sum(TOps.Load(tile + (c * slots + s) * width));
                }
            }
        }
    }
}
