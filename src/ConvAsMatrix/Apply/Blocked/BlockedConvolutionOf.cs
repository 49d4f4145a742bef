using System.Buffers;
using System.Numerics;

namespace ConvAsMatrix;

/// <summary>The <see cref="BlockedConvolution{T}"/> of one hardware number type.</summary>
internal sealed unsafe class BlockedConvolutionOf<TNum> : BlockedConvolution<TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    private readonly int inputLength, outputLength;
    private readonly PaddedLayout padded;
    private readonly GuardedOutput guarded;
    private readonly CorrelationPlan<TNum> forward, adjoint;
    private readonly bool adjointWritesInput;

    public BlockedConvolutionOf(ConvGeometry geometry, ReadOnlySpan<TNum> weight, KernelPath path)
    {
        Path = path;
        // Slack past the last channel: a vector load that starts at a valid position reads up to width − 1 beyond it,
        // and a Single tile at the end of a run up to 8 vectors.
        int slack = TileShape.SlackVectors * path.Lanes<TNum>();
        inputLength = geometry.InputLength;
        outputLength = geometry.OutputLength;
        padded = new PaddedLayout(geometry, slack);
        guarded = new GuardedOutput(geometry, slack);
        forward = BlockedPlans.Forward(geometry, weight, padded, path);
        adjoint = BlockedPlans.Adjoint(geometry, weight, padded, guarded, path);
        adjointWritesInput = BlockedPlans.WritesInput(geometry);
    }

    public override KernelPath Path { get; }

    public override long Bytes => forward.Bytes + adjoint.Bytes;

    public override void Forward(ReadOnlySpan<TNum> input, Span<TNum> output, int samples)
    {
        var buffer = ArrayPool<TNum>.Shared.Rent(padded.Length);
        try
        {
            fixed (TNum* x = input, y = output, xp = buffer)
                for (int n = 0; n < samples; n++)
                {
                    padded.Pad(x + (long)n * inputLength, xp);
                    forward.Run(xp, y + (long)n * outputLength);
                }
        }
        finally
        {
            ArrayPool<TNum>.Shared.Return(buffer);
        }
    }

    public override void Adjoint(ReadOnlySpan<TNum> input, Span<TNum> output, int samples)
    {
        var guard = ArrayPool<TNum>.Shared.Rent(guarded.Length);
        var buffer = adjointWritesInput ? null : ArrayPool<TNum>.Shared.Rent(padded.Length);
        try
        {
            fixed (TNum* y = input, z = output, yp = guard, zp = buffer)
                for (int n = 0; n < samples; n++)
                {
                    guarded.Fill(y + (long)n * outputLength, yp);
                    if (adjointWritesInput)
                        adjoint.Run(yp, z + (long)n * inputLength);
                    else
                    {
                        adjoint.Run(yp, zp);
                        padded.Fold(zp, z + (long)n * inputLength);
                    }
                }
        }
        finally
        {
            ArrayPool<TNum>.Shared.Return(guard);
            if (buffer is not null) ArrayPool<TNum>.Shared.Return(buffer);
        }
    }
}
