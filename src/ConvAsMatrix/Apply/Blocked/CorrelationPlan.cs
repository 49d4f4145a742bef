using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>
/// A valid multi-channel correlation between two prepared buffers, for every group:
/// <c>y[g, c, run position] = Σ_r Σ_t w[g, c, r, t]·x[g, r, position + offset(t)]</c>, cut into tiles of
/// <see cref="TileShape"/> for <see cref="MicroKernel"/>. Both directions of the blocked convolution are one such plan.
/// </summary>
/// <remarks>
/// <para>Work units are (tile, chunk of channel blocks). A thread runs whole units, all channel blocks of a tile in a
/// row, so the tile's input neighbourhood stays in L1/L2 while the weights of every block stream past it. Units
/// write disjoint outputs, so the result does not depend on the number of threads.</para>
/// <para>The wide tiles of the narrower paths also block the reduction (<see cref="PassSteps"/>): passes of 96 steps
/// over all blocks and tiles of a unit, partial sums kept in a tile buffer, as Zhang et al. do. On AVX-512 that was
/// measured (AMD Zen 4) and gained nothing on W2, W3, W5 and W6 (−6% to +2%), so there each block runs its whole
/// reduction in registers.</para>
/// </remarks>
internal sealed unsafe class CorrelationPlan<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    private readonly CorrelationClass<TNum>[] classes;
    private readonly long[] firstTile; // tiles before class i, over all groups

    /// <summary>The bytes the plan holds: every class's packed weights and step offsets.</summary>
    public unsafe long Bytes => classes.Sum(c => (long)c.Weights.Length * sizeof(TNum) + (long)c.Offsets.Length * sizeof(int));

    /// <param name="groups">Groups; group g reads reduction channels [g·reduce, (g+1)·reduce) and writes output channels [g·channels, (g+1)·channels).</param>
    /// <param name="reduce">Reduction channels per group (the sum runs over them).</param>
    /// <param name="inChannelStride">Elements between two channels of the input buffer.</param>
    /// <param name="channels">Output channels per group.</param>
    /// <param name="outChannelStride">Elements between two channels of the output buffer.</param>
    /// <param name="path">The instruction path the kernels run on; <paramref name="classes"/> are cut into vectors of its width.</param>
    /// <param name="shape">The register block the weights of <paramref name="classes"/> are packed for, sized to <paramref name="path"/>'s registers.</param>
    /// <param name="classes">The runs, by tap list.</param>
    public CorrelationPlan(int groups, int reduce, int inChannelStride, int channels, int outChannelStride, KernelPath path, TileShape shape, CorrelationClass<TNum>[] classes)
    {
        Path = path;
        (Groups, Reduce, InChannelStride, Channels, OutChannelStride, Shape) = (groups, reduce, inChannelStride, channels, outChannelStride, shape);
        Blocks = (channels + shape.Channels - 1) / shape.Channels;
        this.classes = classes;
        firstTile = new long[classes.Length + 1];
        for (int i = 0; i < classes.Length; i++)
            firstTile[i + 1] = firstTile[i] + groups * classes[i].Tiles(shape);
        foreach (var c in classes) Steps += c.Offsets.Length;
    }

    public int Groups { get; }

    public int Reduce { get; }

    public int InChannelStride { get; }

    public int Channels { get; }

    public int OutChannelStride { get; }

    public KernelPath Path { get; }

    public TileShape Shape { get; }

    /// <summary>Channel blocks per group.</summary>
    public int Blocks { get; }

    /// <summary>Σ over classes of reduction channels × taps.</summary>
    public long Steps { get; }

    /// <summary>Fills the output buffer <paramref name="y"/> from the input buffer <paramref name="x"/>, in parallel.</summary>
    public void Run(TNum* x, TNum* y)
    {
        long tiles = firstTile[^1];
        if (tiles == 0) return;
        int workers = Parallelism.MaxDegreeOfParallelism;
        // Few tiles (W5: 14×14 output, 5 tiles) split their channel blocks too, so every thread gets work.
        int chunks = workers == 1 ? 1 : (int)Math.Clamp((8L * workers + tiles - 1) / tiles, 1, Blocks);
        long units = tiles * chunks;
        long work = Steps / Math.Max(1, classes.Length) * Shape.Channels * Shape.Slots * Blocks / chunks;
        // Unreachable in practice: a tile covers at least one output vector, and one sample has at most int.MaxValue elements.
        if (units > int.MaxValue) throw new InvalidOperationException($"{units} work units exceed int32");
        // One dispatch per call on the path chosen at compile: only that width's instantiation is ever compiled or run.
        switch (Path.VectorBits)
        {
            case 512: Run<Vector512<TNum>, Vector512Ops<TNum>>(x, y, (int)units, work, chunks); break;
            case 256: Run<Vector256<TNum>, Vector256Ops<TNum>>(x, y, (int)units, work, chunks); break;
            case 128: Run<Vector128<TNum>, Vector128Ops<TNum>>(x, y, (int)units, work, chunks); break;
            default: Run<TNum, ScalarOps<TNum>>(x, y, (int)units, work, chunks); break;
        }
    }

    private void Run<TVec, TOps>(TNum* x, TNum* y, int units, long work, int chunks)
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        // The wide tile's slot count as a type (Single tiles ignore it): one instantiation per shape in use.
        if (Shape.Consecutive || Shape.Slots == ThreeSlots.Count)
            ParallelRows.For(units, work, new Units<TVec, TOps, ThreeSlots>(this, x, y, chunks));
        else if (Shape.Slots == TwoSlots.Count)
            ParallelRows.For(units, work, new Units<TVec, TOps, TwoSlots>(this, x, y, chunks));
        else
            ParallelRows.For(units, work, new Units<TVec, TOps, SixSlots>(this, x, y, chunks));
    }

    /// <summary>
    /// Consecutive tiles that run each channel block in turn. With reduction passes (<see cref="PassSteps"/>) 8: a
    /// block's pass weights stay in L1 across 8 tiles, whose pass inputs stay in L2. Without (AVX-512): 8 when one
    /// group's packed weight exceeds half the 1 MiB L2 (W5: 4.7 MB), so a block's weights (W5: 74 KB) are fetched
    /// from L3 once per 8 tiles instead of once per tile, 1 otherwise (measured on an AMD Zen 4, W5, one thread:
    /// 40–43 GFLOP/s with 1, 43–44 with 8; W3 and W6 unchanged).
    /// </summary>
    private int TileGroup => PassSteps > 0 || (long)Blocks * Shape.Channels * (Steps / Math.Max(1, classes.Length)) * Unsafe.SizeOf<TNum>() > 512 * 1024 ? 8 : 1;

    /// <summary>
    /// Steps (reduction channel × tap) per pass of the wide tiles, or 0 for one unbroken pass. 96 on the paths
    /// narrower than 512 bits, whose tiles hold 12 positions or fewer (4 × 3 × 4 lanes on AVX2): there one tile's
    /// whole input neighbourhood (W6: 64 channels × 3 rows) and one block's weights no longer fit L1 together, so
    /// every block re-read them from L2/L3. Measured on an AMD Zen 3 (AVX2, float64, one thread, CPU time), against one
    /// pass: W6 31 → 40 GFLOP/s, W5 31 → 38, W3 41 → 43; passes of 48–192 steps were within 5% of 96, and
    /// float32 W6 71 → 86. AVX-512 (48-position tiles) keeps one pass: reduction blocking was measured there on an
    /// AMD Zen 4 and gained nothing (−6% to +2%).
    /// </summary>
    internal int PassSteps => Shape.Consecutive || Path.VectorBits == 512 ? 0 : 96;

    /// <summary>The work units of one call, for one vector width and (wide tiles) one slot count.</summary>
    private readonly struct Units<TVec, TOps, TSlots>(CorrelationPlan<TNum> plan, TNum* x, TNum* y, int chunks) : IRowOperation
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var shape = plan.Shape;
            int group = plan.TileGroup, tileSize = shape.Channels * shape.Slots * TOps.Count, blocks = plan.Blocks;
            // One tile buffer per (tile, block) of a unit: the wide tiles' partial sums between reduction passes.
            var buffer = ArrayPool<TNum>.Shared.Rent(shape.Consecutive ? tileSize : group * blocks * tileSize);
            try
            {
                fixed (TNum* tiles = buffer)
                    Invoke(start, end, tiles, tileSize, group);
            }
            finally
            {
                ArrayPool<TNum>.Shared.Return(buffer);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Invoke(int start, int end, TNum* tiles, int tileSize, int group)
        {
            var shape = plan.Shape;
            int width = TOps.Count, slots = shape.Slots, blocks = plan.Blocks, channels = plan.Channels;
            int* slotIn = stackalloc int[slots * group], slotOut = stackalloc int[slots * group], count = stackalloc int[slots * group];
            var classes = plan.classes;
            var firstTile = plan.firstTile;
            int c = 0;
            for (int unit = start; unit < end;)
            {
                long t = unit / chunks;
                int chunk = unit - (int)(t * chunks);
                while (t >= firstTile[c + 1]) c++;
                var cls = classes[c];
                long tilesPerGroup = cls.Tiles(shape), local = t - firstTile[c];
                int g = (int)(local / tilesPerGroup);
                // Up to `group` consecutive tiles of one class and group (whole tiles only: chunks == 1).
                int n = 1;
                if (chunks == 1)
                    while (n < group && unit + n < end && local - g * tilesPerGroup + n < tilesPerGroup) n++;
                for (int k = 0; k < n; k++)
                    cls.TileSlots(local - g * tilesPerGroup + k, shape, slotIn + k * slots, slotOut + k * slots, count + k * slots);
                int steps = cls.Offsets.Length;
                TNum* xg = x + (long)g * plan.Reduce * plan.InChannelStride;
                TNum* yg = y + (long)g * channels * plan.OutChannelStride;
                int b0 = (int)((long)blocks * chunk / chunks), b1 = (int)((long)blocks * (chunk + 1) / chunks);
                fixed (int* offsets = cls.Offsets)
                fixed (TNum* weights = cls.Weights)
                {
                    if (shape.Consecutive)
                        for (int b = b0; b < b1; b++)
                        {
                            TNum* w = weights + ((long)g * blocks + b) * steps;
                            TNum* yb = yg + (long)b * plan.OutChannelStride;
                            for (int k = 0; k < n; k++)
                            {
                                int* sIn = slotIn + k * slots, sOut = slotOut + k * slots, cnt = count + k * slots;
                                // A whole run of 8 vectors goes straight into the output.
                                bool whole = cnt[slots - 1] == width;
                                MicroKernel.Single<TNum, TVec, TOps>(xg, offsets, steps, w, sIn[0], whole ? yb + sOut[0] : tiles);
                                if (!whole) MicroKernel.CopyOut<TNum, TVec, TOps>(tiles, slots, yb, plan.OutChannelStride, sOut, cnt, 1);
                            }
                        }
                    else
                    {
                        // Pass by pass over the reduction, every block and tile of the unit in each pass: the pass's
                        // input (n tiles' neighbourhoods) and weights stay in L1/L2 while all blocks use them, and the
                        // partial sums wait in the tile buffers. Storing and reloading an accumulator is exact, so the
                        // sums are those of one unbroken loop.
                        // At least one pass: a phase with no taps (stride beyond the dilated kernel) has no steps, and its
                        // tiles must still be written (with zeros).
                        int pass = plan.PassSteps > 0 ? plan.PassSteps : Math.Max(steps, 1);
                        for (int j0 = 0; j0 == 0 || j0 < steps; j0 += pass)
                        {
                            int len = Math.Min(pass, steps - j0);
                            for (int b = b0; b < b1; b++)
                            {
                                TNum* w = weights + (((long)g * blocks + b) * steps + j0) * shape.Channels;
                                for (int k = 0; k < n; k++)
                                    MicroKernel.Wide<TNum, TVec, TOps, TSlots, BroadcastChannels<TNum, TVec, TOps>>(xg, offsets + j0, len, w, slotIn + k * slots,
                                        tiles + ((long)k * (b1 - b0) + b - b0) * tileSize, accumulate: j0 > 0);
                            }
                        }
                        for (int b = b0; b < b1; b++)
                        {
                            TNum* yb = yg + (long)b * shape.Channels * plan.OutChannelStride;
                            int valid = Math.Min(shape.Channels, channels - b * shape.Channels);
                            for (int k = 0; k < n; k++)
                                MicroKernel.CopyOut<TNum, TVec, TOps>(tiles + ((long)k * (b1 - b0) + b - b0) * tileSize, slots, yb,
                                    plan.OutChannelStride, slotOut + k * slots, count + k * slots, valid);
                        }
                    }
                }
                unit += n;
            }
        }
    }
}
