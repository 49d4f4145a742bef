using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The output runs of a <see cref="CorrelationPlan{TNum}"/> that share one tap list: every run of the forward
/// convolution, or the runs of one stride phase of the adjoint. Immutable after construction.
/// </summary>
/// <remarks>
/// <para>The runs form a grid: row (i0, i1) for i0 &lt; <see cref="Rows0"/>, i1 &lt; <see cref="Rows1"/>, each
/// <see cref="Run"/> positions long. Position u of row (i0, i1) reads the input buffer at
/// <c>InBase + i0·InStep0 + i1·InStep1 + u</c> (plus each step's offset) and writes the output buffer at
/// <c>OutBase + i0·OutStep0 + i1·OutStep1 + u</c>: consecutive positions are consecutive in both buffers, so
/// one run is split into vectors ("slots") of <see cref="Width"/> positions (the lanes of the plan's <see cref="KernelPath"/>).</para>
/// <para>Packed weights, channel block b of group g, block width B (<see cref="TileShape.Channels"/>, 4 or 1):
/// <c>Weights[(((g·blocks + b)·reduce + r)·taps + t)·B + c]</c> is the weight from reduction channel r at tap t to
/// output channel B·b + c (zero beyond the group's channels), so one step of the micro-kernel reads B adjacent values. <c>Offsets[r·taps + t]</c> is that step's input offset.</para>
/// </remarks>
internal sealed class CorrelationClass<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    // offsets and weights come from PinnedArray and are kept, not copied.
    public CorrelationClass(int[] offsets, TNum[] weights, int width, int rows0, int rows1, int run,
        int inBase, int inStep0, int inStep1, int outBase, int outStep0, int outStep1)
    {
        Offsets = offsets;
        Weights = weights;
        (Rows0, Rows1, Run) = (rows0, rows1, run);
        (InBase, InStep0, InStep1, OutBase, OutStep0, OutStep1) = (inBase, inStep0, inStep1, outBase, outStep0, outStep1);
        Width = width;
        RunSlots = (run + width - 1) / width;
        Slots = (long)rows0 * rows1 * RunSlots;
    }

    /// <summary>Input offset of every step (reduction channel × tap), in step order.</summary>
    public int[] Offsets { get; }

    /// <summary>The packed weights of every group and channel block.</summary>
    public TNum[] Weights { get; }

    /// <summary>Positions per vector (slot).</summary>
    public int Width { get; }

    public int Rows0 { get; }

    public int Rows1 { get; }

    public int Run { get; }

    public int InBase { get; }

    public int InStep0 { get; }

    public int InStep1 { get; }

    public int OutBase { get; }

    public int OutStep0 { get; }

    public int OutStep1 { get; }

    /// <summary>Vectors per run.</summary>
    public int RunSlots { get; }

    /// <summary>Vectors over all runs.</summary>
    public long Slots { get; }

    /// <summary>Tiles of one group in this class.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public long Tiles(TileShape shape) => shape.Consecutive
        ? (long)Rows0 * Rows1 * ((RunSlots + shape.Slots - 1) / shape.Slots)
        : (Slots + shape.Slots - 1) / shape.Slots;

    /// <summary>
    /// The vectors of tile <paramref name="tile"/>: input offset, output offset and valid length (0 for a vector past
    /// the end, which reads a valid position and writes nothing).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public unsafe void TileSlots(long tile, TileShape shape, int* slotIn, int* slotOut, int* count)
    {
        int width = Width;
        if (shape.Consecutive)
        {
            int perRow = (RunSlots + shape.Slots - 1) / shape.Slots;
            long row = tile / perRow;
            int u0 = (int)(tile - row * perRow) * shape.Slots * width;
            int i0 = (int)(row / Rows1), i1 = (int)(row - (long)i0 * Rows1);
            int inRow = InBase + i0 * InStep0 + i1 * InStep1, outRow = OutBase + i0 * OutStep0 + i1 * OutStep1;
            for (int s = 0; s < shape.Slots; s++)
            {
                int u = u0 + s * width;
                (slotIn[s], slotOut[s], count[s]) = (inRow + u, outRow + u, Math.Clamp(Run - u, 0, width));
            }
            return;
        }
        long first = tile * shape.Slots;
        for (int s = 0; s < shape.Slots; s++)
        {
            // The adjoint's tap offsets are negative: a vector past the end repeats the first vector's reads.
            if (first + s < Slots) (slotIn[s], slotOut[s], count[s]) = Slot(first + s, width);
            else (slotIn[s], slotOut[s], count[s]) = (slotIn[0], 0, 0);
        }
    }

    /// <summary>Input offset, output offset and valid length of slot <paramref name="slot"/> (&lt; <see cref="Slots"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private (int In, int Out, int Count) Slot(long slot, int width)
    {
        long row = slot / RunSlots;
        int u = (int)(slot - row * RunSlots) * width;
        int i0 = (int)(row / Rows1), i1 = (int)(row - (long)i0 * Rows1);
        return (InBase + i0 * InStep0 + i1 * InStep1 + u, OutBase + i0 * OutStep0 + i1 * OutStep1 + u, Math.Min(width, Run - u));
    }
}
