using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The <see cref="BlockedWeightGradient{T}"/> of one hardware number type for geometries with few output positions
/// per sample (W5: 14×14): vectorised along the (input channel, tap) columns instead of the positions, so no lane
/// needs adding up at the end and no lane is wasted on a row's tail.
/// </summary>
/// <remarks>
/// <para>Lane layout (AVX2, double: 4 lanes, S = 3; AVX-512 8 lanes and S = 6, scalar 1 lane). A panel is S·width
/// consecutive columns j..j+S·width of a group, packed im2col-style (step k = position k of the pass, samples one
/// after the other); a tile is (output channels co..co+3) × (the panel's S vectors of columns):</para>
/// <code>
///   panel, step k:            a[s]   = [a(p_k, j+4s) a(p_k, j+4s+1) a(p_k, j+4s+2) a(p_k, j+4s+3)]  (S loads, consecutive)
///   packed row side, step k:  b(co+c, p_k), c &lt; 4, broadcast                                        (4 adjacent values)
///   accumulators:             acc[c][s] += b(co+c, p_k) · a[s]                                         (12 of them)
///   at the end:               gw[co+c, j+4s .. j+4s+3] += acc[c][s]                                   (one vector each)
/// </code>
/// <para>This is the forward's wide tile (<see cref="MicroKernel.Wide"/> with <see cref="BroadcastChannels{TNum, TVec, TOps}"/>)
/// over a GEMM gw = B·Aᵀ, with the positions as its reduction. A pass packs as many samples as keep a panel's steps
/// within <see cref="StepBudget"/>; tiles run panel by panel, channel blocks fastest, so the panel (W5 double at batch 1:
/// 196 steps × 96 bytes = 18 KB) stays in L1 (in L2 for a pass of two samples) while the channel blocks' packed row side (6 KB each) streams from L2, and
/// each tile's reduction runs while the lines of the next tile's gradient rows, prefetched, arrive (see
/// <see cref="Tiles{TVec, TOps, TSlots}"/>). Missing columns of a group's last panel are zeros and never written out;
/// missing channels are zero rows.</para>
/// <para>Exactness: only the positions' own products are added (no zero-gradient lanes past a row), each element's
/// sum in one fixed order (pass, position) whatever the threads.</para>
/// </remarks>
internal sealed unsafe class ColumnWeightGradientOf<TNum> : WeightGradientKernelOf<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    /// <summary>
    /// Output positions up to which <see cref="BlockedWeightGradient{T}.TryCreate"/> takes this kernel (see
    /// <see cref="Suits"/>): of the whole batch, one pass, whose panel fits L1 on AVX2 (256 steps × 96 bytes = 24 KB),
    /// W5 at batch 1 (196); or of each sample when the channels are many and the rows leave lanes idle.
    /// </summary>
    internal const int MaxPositions = 256;

    /// <summary>Output channels per group from which a batch of small samples (<see cref="Suits"/>) goes along the columns.</summary>
    internal const int MinChannels = 256;

    /// <summary>
    /// Whether <see cref="BlockedWeightGradient{T}.TryCreate"/> takes this kernel when not told: when the whole batch
    /// has at most <see cref="MaxPositions"/> output positions (one pass: no lane sums against few positions), or when
    /// each sample has at most that many, a group has at least <see cref="MinChannels"/> output channels and the output
    /// rows are not whole vectors of <paramref name="width"/> lanes (the positions kernel would leave lanes idle).
    /// </summary>
    /// <remarks>
    /// Measured at batch 16 on an AMD Zen 3 (one thread, minimum CPU time of 15 calls, vectors along the columns against
    /// along the positions): W5 (256 channels, 14×14) float32 46 against 51 ms, float64 90–91 against 97–98; 512
    /// channels on 7×7 45 against 52 ms and 88–91 against 103; 256 channels at stride 2 onto 14×14 float32 51 against
    /// 59; 128 channels on 14×14 even (12.5–12.7 ms each); and slower where the rows fill the lanes or the channels are
    /// few: 256 on 16×16 58–59 against 58 ms, 128 on 16×16 16 against 14 ms, 64 on 14×14 3.6 against 3.3 ms.
    /// </remarks>
    internal static bool Suits(ConvGeometry geometry, int width)
    {
        long positions = geometry.OutputLength / Math.Max(geometry.OutChannels, 1);
        if ((long)geometry.Batch * positions <= MaxPositions) return true;
        int rowLength = ConvGeometry.Pad3(geometry.OutputSize, 1)[2];
        return positions <= MaxPositions && geometry.OutChannels / geometry.Groups >= MinChannels && rowLength % width != 0;
    }

    /// <summary>
    /// Steps (positions) a pass may hold: whole samples up to this many, at least one. 512: two W5 samples a pass at
    /// batch 16, whose panel (392 steps × 96 bytes = 37 KB on AVX2) then streams from L2, for reductions twice as long
    /// and half as many passes adding onto the whole gradient: AMD Zen 3, one thread, minimum CPU time of 15 calls, 3
    /// rounds, float32 44.8–45.7 against 46.7–47.0 ms (256), float64 86.7–87.7 against 90.4–91.0; 1024 was no better.
    /// </summary>
    private const int StepBudget = 512;

    private readonly ConvGeometry geometry;
    private readonly PaddedLayout padded;
    private readonly int reduce, channels, columns, blocks, panels, panelWidth, positions, rowLength, tiles;
    private readonly int[] columnOffsets, rowOffsets, stepOffsets, slotIn;

    public ColumnWeightGradientOf(ConvGeometry geometry, KernelPath path)
        : base(path)
    {
        this.geometry = geometry;
        int width = path.Lanes<TNum>();
        padded = new PaddedLayout(geometry, 0);
        reduce = geometry.InChannels / geometry.Groups;
        channels = geometry.OutChannels / geometry.Groups;
        blocks = (channels + Channels - 1) / Channels;
        columnOffsets = BlockedPlans.ForwardSteps(geometry, padded);
        columns = columnOffsets.Length;
        panelWidth = Shape.Slots * width;
        panels = (columns + panelWidth - 1) / panelWidth;
        slotIn = new int[Shape.Slots];
        for (int s = 0; s < slotIn.Length; s++) slotIn[s] = s * width;
        var o = ConvGeometry.Pad3(geometry.OutputSize, 1);
        var st = ConvGeometry.Pad3(geometry.Stride, 1);
        positions = o[0] * o[1] * o[2];
        rowLength = o[2];
        SamplesPerPass = Math.Clamp(StepBudget / Math.Max(positions, 1), 1, geometry.Batch);
        long steps = (long)SamplesPerPass * positions, allTiles = (long)geometry.Groups * panels * blocks;
        Fits = (long)SamplesPerPass * padded.Length <= Limit && steps * panelWidth <= Limit
            && steps * Channels * geometry.Groups * blocks <= Limit && allTiles <= int.MaxValue;
        if (!Fits)
        {
            rowOffsets = stepOffsets = [];
            return;
        }
        tiles = (int)allTiles;
        // Position (o0, o1, o2) of a sample: its row's base in the padded buffer plus o2 (consecutive positions of a
        // row are consecutive elements, the stride phases being split out); step k reads panel row k.
        rowOffsets = new int[o[0] * o[1]];
        int row = padded.Row, p1 = padded.Padded[1];
        for (int o0 = 0, r = 0; o0 < o[0]; o0++)
            for (int o1 = 0; o1 < o[1]; o1++, r++)
                rowOffsets[r] = (o0 * st[0] * p1 + o1 * st[1]) * row;
        stepOffsets = new int[steps];
        for (int k = 0; k < stepOffsets.Length; k++) stepOffsets[k] = k * panelWidth;
    }

    private protected override bool Fits { get; }

    /// <summary>Samples packed together, whose positions one tile runs through in one reduction.</summary>
    internal int SamplesPerPass { get; }

    /// <summary>Tiles of a pass (groups × panels × channel blocks), the rows that threads split.</summary>
    internal int TileCount => tiles;

    private protected override void Compute<TVec, TOps, TSlots>(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
    {
        int pass = Math.Min(SamplesPerPass, samples), steps = pass * positions;
        var xBuffer = ArrayPool<TNum>.Shared.Rent(pass * padded.Length);
        var bBuffer = ArrayPool<TNum>.Shared.Rent(geometry.Groups * blocks * steps * Channels + CacheLine.Slack<TNum>());
        try
        {
            int inputLength = geometry.InputLength;
            fixed (TNum* a = columnSide, b = rowSide, xp = xBuffer, bpRaw = bBuffer, gw = weightGradient)
            fixed (int* columnAt = columnOffsets, rowAt = rowOffsets, stepAt = stepOffsets, slots = slotIn)
            {
                // Aligned, as the panel and the tile are (CacheLine): the kernel's loads sit at multiples of its vectors from there.
                TNum* bp = CacheLine.Align(bpRaw);
                for (int n0 = 0; n0 < samples; n0 += pass)
                {
                    int count = Math.Min(pass, samples - n0), passSteps = count * positions;
                    for (int n = 0; n < count; n++) padded.Pad(a + (long)(n0 + n) * inputLength, xp + (long)n * padded.Length);
                    ParallelRows.For(geometry.Groups * blocks, (long)passSteps * Channels, new PackBlocks(this, b + (long)n0 * geometry.OutputLength, count, bp));
                    var run = new Tiles<TVec, TOps, TSlots>(this, xp, columnAt, rowAt, count, bp, gw, stepAt, slots, onto: n0 > 0);
                    ParallelRows.For(tiles, (long)passSteps * Channels * TSlots.Count * TOps.Count, run);
                }
            }
        }
        finally
        {
            ArrayPool<TNum>.Shared.Return(xBuffer);
            ArrayPool<TNum>.Shared.Return(bBuffer);
        }
    }

    /// <summary>
    /// Panel (group, q) of a pass packed to <paramref name="dst"/>: for each step (sample by sample, position by
    /// position), the values of its columns q·S·width .. at that position, zeros past the group's last column. Packed by
    /// the thread that runs its tiles, just before them, so that it is in L1 for them and a pass holds no im2col copy of
    /// its input (W5: 3.6 MB in double; the run time was the same within this machine's noise).
    /// </summary>
    /// <remarks>
    /// Column by column: a column's values along one output row are consecutive in the padded input (the stride phases
    /// being split out), so each run of <see cref="rowLength"/> positions is read in order and written a panel row apart,
    /// within the panel's 18 KB in L1. Position by position across the panel's columns instead (an index look-up and a
    /// gather a value) took about twice as long, 5% of W5's time at batch 1 (AMD Zen 3, one thread). Compiled fully
    /// optimised at once: it runs ~200 times a call, and tiered compilation ran its first calls unoptimised.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackPanel(TNum* x, int* columnAt, int* rowAt, int samples, int panel, TNum* dst)
    {
        long groupStride = (long)reduce * padded.ChannelStride, sampleStride = padded.Length;
        int group = panel / panels, first = panel % panels * panelWidth, valid = Math.Min(panelWidth, columns - first);
        int width = panelWidth, run = rowLength, rows = rowOffsets.Length, steps = samples * positions;
        TNum* src = x + group * groupStride;
        for (int j = 0; j < valid; j++)
        {
            TNum* column = src + columnAt[first + j], to = dst + j;
            for (int n = 0; n < samples; n++, column += sampleStride)
                for (int r = 0; r < rows; r++)
                {
                    TNum* at = column + rowAt[r];
                    for (int q = 0; q < run; q++, to += width) *to = at[q];
                }
        }
        if (valid < width)
            for (int k = 0; k < steps; k++)
                new Span<TNum>(dst + (long)k * width + valid, width - valid).Clear();
    }

    /// <summary>A pass's row side packed by blocks of four channels: block (group, b) holds, for each step, its four channels' values, zeros for missing channels.</summary>
    private readonly struct PackBlocks(ColumnWeightGradientOf<TNum> k, TNum* b, int samples, TNum* packed) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int positions = k.positions, steps = samples * positions;
            for (int block = start; block < end; block++)
            {
                int group = block / k.blocks, first = block % k.blocks * Channels, valid = Math.Min(Channels, k.channels - first);
                TNum* dst = packed + (long)block * steps * Channels;
                for (int n = 0; n < samples; n++)
                {
                    TNum* src = b + (long)n * k.geometry.OutputLength + (long)(group * k.channels + first) * positions;
                    for (int p = 0; p < positions; p++, dst += Channels)
                        for (int c = 0; c < Channels; c++) dst[c] = c < valid ? src[(long)c * positions + p] : TNum.Zero;
                }
            }
        }
    }

    /// <summary>
    /// The tiles [start, end) of one pass in order (group, panel, channel block), channel blocks fastest, the panel packed
    /// (<see cref="PackPanel"/>) when it changes: each tile runs the pass's steps in one reduction and stores its 4·S
    /// vectors to the weight gradient, the first pass, or adds them <paramref name="onto"/> it, the later ones. Every
    /// weight element is in one tile, so the first pass writes them all; storing instead of clearing the gradient and
    /// adding saves reading its 590,000 elements (W5) from memory.
    /// </summary>
    /// <remarks>
    /// Before each tile's reduction the lines of the next tile's gradient rows are prefetched (<see cref="CacheHint"/>):
    /// consecutive tiles write 4 rows 4 rows further down (18 KB apart on W5), lines no hardware prefetcher predicts,
    /// and without the hint the stores waited for each line to be read from L3 or memory: W5 float64 batch 1 spent
    /// about 10% of its time there (5.3–5.4 ms with the stores skipped against 5.9–6.0, AMD Zen 3, one thread); the
    /// hint, 196 steps ahead of the stores, won back about two thirds of that.
    /// </remarks>
    private readonly struct Tiles<TVec, TOps, TSlots>(ColumnWeightGradientOf<TNum> k, TNum* x, int* columnAt, int* rowAt, int samples, TNum* packed, TNum* gw, int* stepAt, int* slotIn, bool onto) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int slots = TSlots.Count, width = TOps.Count, blocks = k.blocks, columns = k.columns, steps = samples * k.positions;
            long blockLength = (long)steps * Channels, blockRows = (long)Channels * columns;
            TNum* tileRaw = stackalloc TNum[Channels * slots * width + CacheLine.Slack<TNum>()];
            TNum* tile = CacheLine.Align(tileRaw);
            var buffer = ArrayPool<TNum>.Shared.Rent(steps * k.panelWidth + CacheLine.Slack<TNum>());
            fixed (TNum* bufferAt = buffer)
            {
                // Every panel load is a whole vector at a multiple of the width from the panel's start: aligned, none
                // straddles two cache lines (CacheLine: unaligned, a fresh process ran W5 at 53% of peak instead of 77%).
                TNum* panelAt = CacheLine.Align(bufferAt);
                // Tile t is (panel t / blocks, block t % blocks): counted, not divided, per tile.
                int block = start % blocks, panel = start / blocks, validColumns = 0;
                TNum* gradientAt = null, packedAt = null;
                for (int t = start; t < end; t++)
                {
                    if (block == 0 || t == start)
                    {
                        k.PackPanel(x, columnAt, rowAt, samples, panel, panelAt);
                        gradientAt = Place(panel, out packedAt, out validColumns);
                    }
                    TNum* row = gradientAt + block * blockRows;
                    int validChannels = Math.Min(Channels, k.channels - block * Channels);
                    if (t + 1 < end)
                    {
                        // The next tile's rows: the next channel block's, 4 rows below, or the next panel's first.
                        if (block + 1 < blocks) Prefetch(row + blockRows, Math.Min(Channels, k.channels - (block + 1) * Channels), validColumns);
                        else Prefetch(Place(panel + 1, out _, out int nextColumns), Math.Min(Channels, k.channels), nextColumns);
                    }
                    MicroKernel.Wide<TNum, TVec, TOps, TSlots, BroadcastChannels<TNum, TVec, TOps>>(panelAt, stepAt, steps,
                        packedAt + block * blockLength, slotIn, tile, accumulate: false);
                    for (int c = 0; c < validChannels; c++, row += columns)
                    {
                        TNum* from = tile + c * slots * width;
                        int s = 0;
                        for (; (s + 1) * width <= validColumns; s++)
                            TOps.Store(onto ? TOps.Add(TOps.Load(row + s * width), TOps.Load(from + s * width)) : TOps.Load(from + s * width), row + s * width);
                        for (int l = s * width; l < validColumns; l++) row[l] = onto ? row[l] + from[l] : from[l];
                    }
                    if (++block == blocks)
                    {
                        block = 0;
                        panel++;
                    }
                }
            }
            ArrayPool<TNum>.Shared.Return(buffer);
        }

        /// <summary>Where panel <paramref name="panel"/>'s first gradient row starts (its channel block 0), its group's packed row side, and its real columns.</summary>
        private TNum* Place(int panel, out TNum* packedAt, out int validColumns)
        {
            int group = panel / k.panels, first = panel % k.panels * k.panelWidth;
            packedAt = packed + (long)group * k.blocks * samples * k.positions * Channels;
            validColumns = Math.Min(k.panelWidth, k.columns - first);
            return gw + (long)group * k.channels * k.columns + first;
        }

        /// <summary>The lines of a tile's gradient rows (see the remarks): <paramref name="channels"/> rows from <paramref name="row"/>, <paramref name="count"/> elements each.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Prefetch(TNum* row, int channels, int count)
        {
            for (int c = 0; c < channels; c++, row += k.columns) CacheHint.Prefetch(row, (nint)count * sizeof(TNum));
        }
    }
}
