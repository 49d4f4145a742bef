using System.Numerics;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>
/// What the weight-gradient kernels of one hardware number type share (<see cref="BlockedWeightGradientOf{TNum}"/>,
/// vectors along the positions, and <see cref="ColumnWeightGradientOf{TNum}"/>, along the columns): the wide tile
/// of the path and the dispatch to the instantiation of its width and slot count.
/// </summary>
internal abstract unsafe class WeightGradientKernelOf<TNum> : BlockedWeightGradient<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    /// <summary>Output channels per tile: the wide tile's four channels.</summary>
    protected const int Channels = 4;

    /// <summary>Array elements a per-call buffer may have (as <see cref="BlockedConvolution{T}.Fits"/>).</summary>
    protected const long Limit = 1L << 30;

    protected WeightGradientKernelOf(KernelPath path)
    {
        Path = path;
        Shape = TileShape.Wide(path);
    }

    public sealed override KernelPath Path { get; }

    /// <summary>The wide tile of the path: 4 channels × S (6, 3 or 2) vectors.</summary>
    protected TileShape Shape { get; }

    public sealed override void Compute(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
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
        if (Shape.Slots == SixSlots.Count) Compute<TVec, TOps, SixSlots>(columnSide, rowSide, weightGradient, samples);
        else if (Shape.Slots == ThreeSlots.Count) Compute<TVec, TOps, ThreeSlots>(columnSide, rowSide, weightGradient, samples);
        else Compute<TVec, TOps, TwoSlots>(columnSide, rowSide, weightGradient, samples);
    }

    /// <summary>The kernel's work on one width and slot count (see <see cref="BlockedWeightGradient{T}.Compute"/>).</summary>
    private protected abstract void Compute<TVec, TOps, TSlots>(ReadOnlySpan<TNum> columnSide, ReadOnlySpan<TNum> rowSide, Span<TNum> weightGradient, int samples)
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount;
}
