using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

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
/// <para>Blocking: samples are padded and packed a pass at a time (<see cref="SamplesPerPass"/>: several when a sample's
/// positions are few, W5's 14×14), and a pass's steps are cut into chunks (<see cref="ChunkSteps"/>). A thread takes
/// its tiles a few at a time (<see cref="StateTiles"/>: a band of four channel blocks × a strip of column blocks,
/// <see cref="TileBands"/>) and runs every chunk over them, each channel block's column blocks in turn, so its packed
/// row side stays in L1 while the columns stream from L2; the few tiles' accumulators wait in a small state buffer
/// between chunks, and their lanes are added up onto the weight gradient once a pass.</para>
/// <para>Measured on an AMD Zen 3 (AVX2, one thread): adding the lanes up after every chunk instead cost 10–25% on W3
/// and W5 (their epilogues outnumbered the passes 7 to 1); a per-tile vector buffer kept over the whole call (W5:
/// 19 MB) cost more in memory traffic than it saved.</para>
/// </remarks>
internal sealed unsafe class BlockedWeightGradientOf<TNum> : WeightGradientKernelOf<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    private readonly ConvGeometry geometry;
    private readonly PaddedLayout padded;
    private readonly int width, reduce, channels, columns, blocks, columnBlocks, rowVectors, vectors, positions, out2, tiles;
    private readonly int[] columnOffsets, vectorOffsets;
    private readonly long blockLength;

    public BlockedWeightGradientOf(ConvGeometry geometry, KernelPath path)
        : base(path)
    {
        this.geometry = geometry;
        width = path.Lanes<TNum>();
        padded = new PaddedLayout(geometry, TileShape.SlackVectors * width);
        reduce = geometry.InChannels / geometry.Groups;
        channels = geometry.OutChannels / geometry.Groups;
        blocks = (channels + Channels - 1) / Channels;
        // Columns (c, t) in weight order; the last block is padded with column 0, a valid read whose sums are dropped.
        var steps = BlockedPlans.ForwardSteps(geometry, padded);
        columns = steps.Length;
        columnBlocks = (columns + Shape.Slots - 1) / Shape.Slots;
        columnOffsets = new int[columnBlocks * Shape.Slots];
        for (int j = 0; j < columnOffsets.Length; j++) columnOffsets[j] = steps[j < columns ? j : 0];
        var o = ConvGeometry.Pad3(geometry.OutputSize, 1);
        var s = ConvGeometry.Pad3(geometry.Stride, 1);
        out2 = o[2];
        positions = o[0] * o[1] * o[2];
        rowVectors = (o[2] + width - 1) / width;
        long sampleVectors = (long)o[0] * o[1] * rowVectors, allTiles = (long)geometry.Groups * columnBlocks * blocks;
        Fits = sampleVectors <= Limit && (long)geometry.Groups * blocks * sampleVectors * Channels * width <= Limit && allTiles <= int.MaxValue;
        if (!Fits)
        {
            vectorOffsets = [];
            return;
        }
        vectors = (int)sampleVectors;
        tiles = (int)allTiles;
        together = Math.Min(BlocksTogether, blocks);
        strip = Math.Max(1, StateTiles(Channels * Shape.Slots * width) / together);
        // Samples per pass: as many whole samples as one chunk holds (W5: 14×14 outputs, 56 steps of 4 doubles a sample),
        // within the buffers' limits, so that short samples still give the tiles long reductions.
        int budget = ChunkBudget(width), sampleBytes = (int)Math.Min(int.MaxValue, ((long)padded.Length + (long)vectors * Channels * width * geometry.OutChannels / Channels) * Unsafe.SizeOf<TNum>());
        SamplesPerPass = (int)Math.Clamp(Math.Min(budget / Math.Max(vectors, 1), Math.Min(Limit / padded.Length, PassBytes / Math.Max(sampleBytes, 1))), 1, geometry.Batch);
        blockLength = (long)SamplesPerPass * vectors * Channels * width;
        if ((long)geometry.Groups * blocks * blockLength > Limit) SamplesPerPass = 1;
        blockLength = (long)SamplesPerPass * vectors * Channels * width;
        // Step k of sample n of a pass: vector v of output row (o0, o1), at padded element n·length + (o0·s0·P1 + o1·s1)·s2Q2 + v·width of each column.
        vectorOffsets = new int[SamplesPerPass * vectors];
        int row = padded.Row, p1 = padded.Padded[1];
        for (int n = 0, k = 0; n < SamplesPerPass; n++)
            for (int o0 = 0; o0 < o[0]; o0++)
                for (int o1 = 0; o1 < o[1]; o1++)
                    for (int v = 0; v < rowVectors; v++, k++)
                        vectorOffsets[k] = n * padded.Length + (o0 * s[0] * p1 + o1 * s[1]) * row + v * width;
    }

    private protected override bool Fits { get; }

    /// <summary>Samples padded and packed together, whose steps one tile runs through in one reduction.</summary>
    internal int SamplesPerPass { get; }

    /// <summary>Steps (vectors of output positions) per sample.</summary>
    internal int Vectors => vectors;

    /// <summary>Tiles of the whole weight gradient, and how many of them share the state buffer at a time.</summary>
    internal (int Tiles, int AtATime) TileCounts => (tiles, TilesAtATime);

    /// <summary>Tiles that run every chunk of a pass together, their accumulators in the state buffer: a band of channel blocks × a strip of column blocks (<see cref="Bands"/>).</summary>
    private int TilesAtATime => together * strip;

    /// <summary>Channel blocks per band (at most <see cref="BlocksTogether"/>) and column blocks per strip (<see cref="Bands"/>).</summary>
    private readonly int together, strip;

    /// <summary>Channel blocks whose tiles run together over each chunk (<see cref="Bands"/>).</summary>
    private const int BlocksTogether = 4;

    /// <summary>
    /// The order the tiles run in (<see cref="TileBands"/>): bands of <see cref="BlocksTogether"/> channel blocks, each
    /// in strips of column blocks, a band × strip what the state buffer holds (<see cref="TilesAtATime"/>). A thread runs
    /// every chunk over a band × strip, so a chunk's columns, read from L3 by the band's first channel block, are read
    /// from L2 by the other three, while each channel block's packed row side stays in L1 for its strip.
    /// </summary>
    /// <remarks>
    /// Measured on an AMD Zen 3 (one thread, CPU time, minimum of 20 calls, processes of both orders alternating, 3
    /// rounds): W6 float32 batch 1 46.0–48.2 ms against 49.2–51.8, float64 98.8–105.6 against 100.7–105.4; W2 (batch 16)
    /// and W3 (batch 1) within 1%. One channel block at a time (the former order) read every column from L3 once per
    /// channel block (W6: 16 times); bands of 8 were no better than 4, bands of 16 slower (W6 float64 126 against 99 ms:
    /// a strip of 5 column blocks is too short to keep the packed row side in use). Walked by counting: two divisions
    /// per tile (a table lookup first tried) cost W3 at batch 1 about 4%.
    /// </remarks>
    private TileBands Bands() => new(blocks, columnBlocks, together, strip);

    /// <summary>The bytes of column and row side a pass of several samples may take.</summary>
    private const int PassBytes = 32 << 20;

    /// <summary>
    /// Steps per chunk at most: a tile's packed row side for the chunk (4 vectors a step) within 16 KB, half of L1, so
    /// that it stays there, beside the columns, while every column block of the chunk runs past it; 128 steps on AVX2,
    /// 64 on AVX-512, 256 at 128 bits. Long chunks make the tile's fixed costs (zeroing and adding up its 4·S
    /// accumulators) small against its reduction. Measured on an AMD Zen 3 (one thread, batch 16, W2, W3, W5, float64
    /// and float32): budgets of 8, 12, 16 and 24 KB were within 10% of each other, 16 KB the best or near it in each.
    /// </summary>
    private static int ChunkBudget(int width) => 16 * 1024 / (Channels * width * Unsafe.SizeOf<TNum>());

    /// <summary>Steps per chunk for a pass of <paramref name="steps"/> steps: the pass cut into equal chunks within <see cref="ChunkBudget"/>.</summary>
    internal int ChunkSteps(int steps)
    {
        int chunks = (steps + ChunkBudget(width) - 1) / ChunkBudget(width);
        return Math.Max(1, (steps + chunks - 1) / Math.Max(chunks, 1));
    }

    private protected override void Compute<TVec, TOps, TSlots>(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
    {
        int pass = Math.Min(SamplesPerPass, samples);
        var xBuffer = ArrayPool<TNum>.Shared.Rent(pass * padded.Length);
        var bBuffer = ArrayPool<TNum>.Shared.Rent((int)(geometry.Groups * blocks * blockLength) + CacheLine.Slack<TNum>());
        try
        {
            int inputLength = geometry.InputLength, outputLength = geometry.OutputLength;
            weightGradient.Clear();
            fixed (TNum* a = columnSide, b = rowSide, xp = xBuffer, bpRaw = bBuffer, gw = weightGradient)
            fixed (int* columnAt = columnOffsets, vectorAt = vectorOffsets)
            {
                // On a cache line, so that no step's four vectors straddle two (CacheLine; the column kernel's loads the same).
                TNum* bp = CacheLine.Align(bpRaw);
                for (int n0 = 0; n0 < samples; n0 += pass)
                {
                    int count = Math.Min(pass, samples - n0);
                    for (int n = 0; n < count; n++) padded.Pad(a + (long)(n0 + n) * inputLength, xp + (long)n * padded.Length);
                    ParallelRows.For(geometry.Groups * blocks, count * (long)vectors * Channels * width, new PackBlocks<TVec, TOps>(this, b + (long)n0 * outputLength, count, bp));
                    var run = new Tiles<TVec, TOps, TSlots>(this, xp, bp, gw, columnAt, vectorAt, count * vectors);
                    ParallelRows.For(tiles, (long)count * vectors * Channels * TSlots.Count * width, run);
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
    /// A pass's row side packed by blocks of four channels: block (group, b) holds, for each step k (sample by sample),
    /// the k-th vector of positions of its four channels one after the other, zeros past a row's end and for missing channels.
    /// </summary>
    /// <remarks>
    /// Whole vectors copied as vectors, the four channels of a step in turn, so each step's lines are written once and
    /// whole; only a row's last vector (when the row is not a multiple of the width) goes element by element, and the
    /// zeros are written where they belong instead of clearing the block first. Element by element after a clear, the
    /// packing took about a tenth of W6's float32 time and of W3's at batch 1 (AMD Zen 3, one thread: skipping it, results
    /// wrong, 48 against 54 ms and 0.65 against 0.71 ms).
    /// </remarks>
    private readonly struct PackBlocks<TVec, TOps>(BlockedWeightGradientOf<TNum> k, TNum* b, int samples, TNum* packed) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int width = TOps.Count, out2 = k.out2, rows = k.positions / Math.Max(out2, 1), whole = out2 / width, tail = out2 - whole * width;
            long outputLength = k.geometry.OutputLength, positions = k.positions;
            TNum* last = stackalloc TNum[width];
            for (int block = start; block < end; block++)
            {
                int group = block / k.blocks, first = block % k.blocks * Channels, valid = Math.Min(Channels, k.channels - first);
                TNum* to = packed + block * k.blockLength;
                for (int n = 0; n < samples; n++)
                {
                    TNum* src = b + n * outputLength + (group * k.channels + first) * positions;
                    for (int r = 0; r < rows; r++)
                    {
                        TNum* from = src + (long)r * out2;
                        for (int v = 0; v < whole; v++, from += width, to += Channels * width)
                            for (int c = 0; c < Channels; c++)
                                TOps.Store(c < valid ? TOps.Load(from + c * positions) : TOps.Zero, to + c * width);
                        if (tail > 0)
                        {
                            for (int c = 0; c < Channels; c++)
                            {
                                TOps.Store(TOps.Zero, last);
                                if (c < valid)
                                    for (int l = 0; l < tail; l++) last[l] = from[c * positions + l];
                                TOps.Store(TOps.Load(last), to + c * width);
                            }
                            to += Channels * width;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The tiles [start, end) of one pass, a few at a time (<see cref="TilesAtATime"/>), in the order of
    /// <see cref="Bands"/>, each channel block's column blocks in turn, so its packed row side stays in L1 while the
    /// columns stream past it. For each few, every chunk of the pass runs in turn, the tiles' 4·S accumulators kept between chunks in
    /// a small state buffer (stored and reloaded exactly); after the last chunk their lanes are added up onto the weight
    /// gradient (cleared before the first pass). One fixed order per element, whatever the threads.
    /// </summary>
    private readonly struct Tiles<TVec, TOps, TSlots>(BlockedWeightGradientOf<TNum> k, TNum* x, TNum* packed, TNum* gw, int* columnAt, int* vectorAt, int steps) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int chunk = k.ChunkSteps(steps), blocks = k.blocks, slots = TSlots.Count, width = TOps.Count;
            int tileLength = Channels * slots * width, few = k.TilesAtATime;
            long groupStride = (long)k.reduce * k.padded.ChannelStride;
            TNum* stateRaw = stackalloc TNum[few * tileLength + CacheLine.Slack<TNum>()];
            TNum* state = CacheLine.Align(stateRaw);
            var tile = k.Bands();
            for (int t0 = start; t0 < end; t0 += few)
            {
                int t1 = Math.Min(end, t0 + few);
                for (int j0 = 0; j0 < steps; j0 += chunk)
                {
                    int len = Math.Min(chunk, steps - j0);
                    tile.MoveTo(t0);
                    for (int t = t0; t < t1; t++, tile.Next())
                    {
                        int group = tile.Group, block = tile.Block, columnBlock = tile.ColumnBlock;
                        TNum* b = packed + (group * blocks + block) * k.blockLength + (long)j0 * Channels * width;
                        MicroKernel.Wide<TNum, TVec, TOps, TSlots, VectorChannels<TNum, TVec, TOps>>(x + group * groupStride, vectorAt + j0, len, b,
                            columnAt + columnBlock * slots, state + (t - t0) * tileLength, accumulate: j0 > 0);
                    }
                }
                AddSums(t0, t1, state);
            }
        }

        /// <summary>gw[co, column] += the lanes of its accumulator added up, for the tiles [t0, t1) whose accumulators are in <paramref name="state"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void AddSums(int t0, int t1, TNum* state)
        {
            int channels = k.channels, columns = k.columns, slots = TSlots.Count, width = TOps.Count;
            var tile = k.Bands();
            tile.MoveTo(t0);
            for (int t = t0; t < t1; t++, tile.Next(), state += Channels * slots * width)
            {
                int group = tile.Group, block = tile.Block, columnBlock = tile.ColumnBlock;
                TNum* row = gw + ((long)group * channels + block * Channels) * columns + columnBlock * slots;
                int validChannels = Math.Min(Channels, channels - block * Channels), validSlots = Math.Min(slots, columns - columnBlock * slots);
                if (validChannels == Channels && validSlots == slots)
                    // Whole tiles (all but a group's last in each direction): straight-line code, S a JIT-time constant.
                    for (int c = 0; c < Channels; c++, row += columns)
                    {
                        TNum* a = state + c * slots * width;
                        row[0] += TOps.Sum(TOps.Load(a));
                        if (slots > 1) row[1] += TOps.Sum(TOps.Load(a + width));
                        if (slots > 2) row[2] += TOps.Sum(TOps.Load(a + 2 * width));
                        if (slots > 3) row[3] += TOps.Sum(TOps.Load(a + 3 * width));
                        if (slots > 4) row[4] += TOps.Sum(TOps.Load(a + 4 * width));
                        if (slots > 5) row[5] += TOps.Sum(TOps.Load(a + 5 * width));
                    }
                else
                    for (int c = 0; c < validChannels; c++, row += columns)
                        for (int s = 0; s < validSlots; s++)
                            row[s] += TOps.Sum(TOps.Load(state + (c * slots + s) * width));
            }
        }
    }

    /// <summary>
    /// Tiles whose accumulators wait in the state buffer while a pass's chunks run: 32 KB of them (84 tiles of 4 × 3
    /// vectors on AVX2, 21 of 4 × 6 on AVX-512), so the state stays in L1/L2 and each tile's lanes are added up once a
    /// pass instead of once a chunk.
    /// </summary>
    private static int StateTiles(int tileLength) => Math.Max(1, 32 * 1024 / (tileLength * Unsafe.SizeOf<TNum>()));
}
