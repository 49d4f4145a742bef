using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>
/// A valid multi-channel correlation between two prepared buffers, for every group:
/// <c>y[g, c, run position] = Σ_r Σ_t w[g, c, r, t]·x[g, r, position + offset(t)]</c>, cut into tiles of
/// 4 output channels × 6 vectors for <see cref="MicroKernel"/>. Both directions of the blocked convolution are one such plan.
/// </summary>
/// <remarks>
/// Work units are (tile, chunk of channel blocks). A thread runs whole units, all channel blocks of a tile in a
/// row, so the tile's input neighbourhood stays in L1/L2 while the weights of every block stream past it.
/// Units write disjoint outputs, so the result does not depend on the number of threads.
/// </remarks>
internal sealed unsafe class CorrelationPlan<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    private readonly CorrelationClass<TNum>[] classes;
    private readonly long[] firstTile; // tiles before class i, over all groups

    /// <param name="groups">Groups; group g reads reduction channels [g·reduce, (g+1)·reduce) and writes output channels [g·channels, (g+1)·channels).</param>
    /// <param name="reduce">Reduction channels per group (the sum runs over them).</param>
    /// <param name="inChannelStride">Elements between two channels of the input buffer.</param>
    /// <param name="channels">Output channels per group.</param>
    /// <param name="outChannelStride">Elements between two channels of the output buffer.</param>
    /// <param name="classes">The runs, by tap list.</param>
    public CorrelationPlan(int groups, int reduce, int inChannelStride, int channels, int outChannelStride, CorrelationClass<TNum>[] classes)
    {
        (Groups, Reduce, InChannelStride, Channels, OutChannelStride) = (groups, reduce, inChannelStride, channels, outChannelStride);
        Blocks = (channels + MicroKernel.Channels - 1) / MicroKernel.Channels;
        this.classes = classes;
        firstTile = new long[classes.Length + 1];
        for (int i = 0; i < classes.Length; i++)
            firstTile[i + 1] = firstTile[i] + groups * ((classes[i].Slots + MicroKernel.Slots - 1) / MicroKernel.Slots);
        foreach (var c in classes) Steps += c.Offsets.Length;
    }

    public int Groups { get; }

    public int Reduce { get; }

    public int InChannelStride { get; }

    public int Channels { get; }

    public int OutChannelStride { get; }

    /// <summary>Channel blocks of 4 per group.</summary>
    public int Blocks { get; }

    /// <summary>Σ over classes of reduction channels × taps (the micro-kernel's steps, one per class and tile).</summary>
    public long Steps { get; }

    /// <summary>Fills the output buffer <paramref name="y"/> from the input buffer <paramref name="x"/>, in parallel.</summary>
    public void Run(TNum* x, TNum* y)
    {
        long tiles = firstTile[^1];
        if (tiles == 0) return;
        int workers = Parallelism.MaxDegreeOfParallelism;
        // Few tiles (W5: 14×14 output, 5 tiles per group) split their channel blocks too, so every thread gets work.
        int chunks = workers == 1 ? 1 : (int)Math.Clamp((8L * workers + tiles - 1) / tiles, 1, Blocks);
        long units = tiles * chunks;
        long work = Steps / Math.Max(1, classes.Length) * MicroKernel.Channels * MicroKernel.Slots * Blocks / chunks;
        if (units > int.MaxValue) throw new InvalidOperationException("too many tiles"); // unreachable: tiles ≤ output elements / 6
        ParallelRows.For((int)units, work, new Units(this, x, y, chunks));
    }

    private readonly struct Units(CorrelationPlan<TNum> plan, TNum* x, TNum* y, int chunks) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int width = Vector512<TNum>.Count;
            TNum* spill = stackalloc TNum[MicroKernel.Channels * MicroKernel.Slots * width];
            int* slotIn = stackalloc int[MicroKernel.Slots], slotOut = stackalloc int[MicroKernel.Slots], count = stackalloc int[MicroKernel.Slots];
            var classes = plan.classes;
            var firstTile = plan.firstTile;
            int blocks = plan.Blocks, channels = plan.Channels;
            int c = 0;
            for (int unit = start; unit < end; unit++)
            {
                long tile = unit / chunks;
                int chunk = unit - (int)(tile * chunks);
                while (tile >= firstTile[c + 1]) c++;
                var cls = classes[c];
                long tilesPerGroup = (cls.Slots + MicroKernel.Slots - 1) / MicroKernel.Slots;
                long local = tile - firstTile[c];
                int g = (int)(local / tilesPerGroup);
                long first = (local - g * tilesPerGroup) * MicroKernel.Slots;
                for (int s = 0; s < MicroKernel.Slots; s++)
                {
                    // Slots past the class's end repeat the first slot's reads (the adjoint's tap offsets are negative,
                    // so only a valid position is safe to read from) and write nothing.
                    if (first + s < cls.Slots) (slotIn[s], slotOut[s], count[s]) = cls.Slot(first + s, width);
                    else (slotIn[s], slotOut[s], count[s]) = (slotIn[0], 0, 0);
                }
                int steps = cls.Offsets.Length;
                TNum* xg = x + (long)g * plan.Reduce * plan.InChannelStride;
                TNum* yg = y + (long)g * channels * plan.OutChannelStride;
                fixed (int* offsets = cls.Offsets)
                fixed (TNum* weights = cls.Weights)
                {
                    int b0 = (int)((long)blocks * chunk / chunks), b1 = (int)((long)blocks * (chunk + 1) / chunks);
                    for (int b = b0; b < b1; b++)
                    {
                        TNum* w = weights + ((long)g * blocks + b) * steps * MicroKernel.Channels;
                        TNum* yb = yg + (long)b * MicroKernel.Channels * plan.OutChannelStride;
                        MicroKernel.Tile(xg, offsets, steps, w, slotIn, yb, plan.OutChannelStride, slotOut, count,
                            Math.Min(MicroKernel.Channels, channels - b * MicroKernel.Channels), spill);
                    }
                }
            }
        }
    }
}
