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
/// one run is split into vectors ("slots") of <see cref="System.Runtime.Intrinsics.Vector512{T}.Count"/> positions.</para>
/// <para>Packed weights, channel block b of group g: <c>Weights[(((g·blocks + b)·reduce + r)·taps + t)·4 + c]</c> is the
/// weight from reduction channel r at tap t to output channel 4b + c (zero beyond the group's channels), so one
/// step of the micro-kernel reads four adjacent values. <c>Offsets[r·taps + t]</c> is that step's input offset.</para>
/// </remarks>
internal sealed class CorrelationClass<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    public CorrelationClass(int[] offsets, TNum[] weights, int rows0, int rows1, int run,
        int inBase, int inStep0, int inStep1, int outBase, int outStep0, int outStep1)
    {
        // Pinned (pinned object heap): the kernels read them through pointers from worker threads.
        Offsets = GC.AllocateUninitializedArray<int>(offsets.Length, pinned: true);
        offsets.CopyTo(Offsets, 0);
        Weights = GC.AllocateUninitializedArray<TNum>(weights.Length, pinned: true);
        weights.CopyTo(Weights, 0);
        (Rows0, Rows1, Run) = (rows0, rows1, run);
        (InBase, InStep0, InStep1, OutBase, OutStep0, OutStep1) = (inBase, inStep0, inStep1, outBase, outStep0, outStep1);
        int width = System.Runtime.Intrinsics.Vector512<TNum>.Count;
        RunSlots = (run + width - 1) / width;
        Slots = (long)rows0 * rows1 * RunSlots;
    }

    /// <summary>Input offset of every step (reduction channel × tap), in step order.</summary>
    public int[] Offsets { get; }

    /// <summary>The packed weights of every group and channel block.</summary>
    public TNum[] Weights { get; }

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

    /// <summary>Input offset, output offset and valid length of slot <paramref name="slot"/> (&lt; <see cref="Slots"/>).</summary>
    public (int In, int Out, int Count) Slot(long slot, int width)
    {
        long row = slot / RunSlots;
        int u = (int)(slot - row * RunSlots) * width;
        int i0 = (int)(row / Rows1), i1 = (int)(row - (long)i0 * Rows1);
        return (InBase + i0 * InStep0 + i1 * InStep1 + u, OutBase + i0 * OutStep0 + i1 * OutStep1 + u, Math.Min(width, Run - u));
    }
}
