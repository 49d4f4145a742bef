using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvAsMatrix;

/// <summary>
/// V and Vᵀ of one geometry applied by register-blocked SIMD kernels, for double and float: the weight packed once,
/// nothing stored per output position. The compute core of the structured operator.
/// </summary>
/// <remarks>
/// <para>Forward, per sample: the input is copied into <see cref="PaddedLayout"/> (padding mode applied, last
/// dimension split into stride phases), then a valid correlation runs over it in tiles of 4 output channels × 3 or 6
/// vectors of consecutive output positions (<see cref="MicroKernel"/>).</para>
/// <para>Adjoint, per sample: y is copied into <see cref="GuardedOutput"/> (zeros around it), the adjoint of the
/// valid correlation is computed as a gather, one stride phase at a time, into the padded layout, which is then
/// folded back (the adjoint of the padding). See <see cref="BlockedPlans"/>.</para>
/// <para>Memory: the packed weight (the weight rounded up to whole blocks of 4 channels) and, per call, one
/// padded input sample and (adjoint) one guarded output sample, rented from the shared pool. Instances are
/// immutable: any number of threads may call them at once.</para>
/// <para>Threads: each sample's tiles are split across <see cref="Parallelism.MaxDegreeOfParallelism"/> threads;
/// every output element is computed by one thread with one fixed summation order, so results do not depend on
/// the number of threads. Sums are fused multiply-adds in (reduction channel, tap) order, so they differ from
/// the explicit V's products by rounding only.</para>
/// <para>The kernels are written once over <see cref="IVectorOps{TNum, TVec}"/> and run on the widest vector width
/// this process accelerates (<see cref="KernelPath"/>): AVX-512, AVX2, 128-bit (SSE, NEON) or scalar, with the tile
/// sized to that register file; no width .NET would emulate is ever run.</para>
/// </remarks>
/// <typeparam name="T">double or float.</typeparam>
internal abstract class BlockedConvolution<T>
{
    /// <summary>
    /// Packs <paramref name="weight"/> for <paramref name="geometry"/>; null when T is neither double nor float, when
    /// one padded sample would not fit a .NET array (zero padding in the hundreds of millions, which a valid geometry
    /// allows), or when a padding is negative (an ONNX output_shape beyond the natural size, or SAME_* with a stride
    /// beyond the kernel's extent, crops the input instead of padding it): the generic path applies those.
    /// </summary>
    /// <param name="geometry">Any geometry ConvGeometry can describe.</param>
    /// <param name="weight">(C_out, C_in / groups, *k), <see cref="ConvGeometry.WeightLength"/> elements; not checked here (callers check).</param>
    /// <param name="path">The instruction path; <see cref="KernelPath.Best"/> when null (tests pass every path).</param>
    public static BlockedConvolution<T>? TryCreate(ConvGeometry geometry, ReadOnlySpan<T> weight, KernelPath? path = null)
    {
        path ??= KernelPath.Best;
        if (!Fits(geometry) || HasNegativePadding(geometry)) return null;
        if (typeof(T) == typeof(double))
            return (BlockedConvolution<T>)(object)new BlockedConvolutionOf<double>(geometry, Cast<double>(weight), path);
        if (typeof(T) == typeof(float))
            return (BlockedConvolution<T>)(object)new BlockedConvolutionOf<float>(geometry, Cast<float>(weight), path);
        return null;
    }

    /// <summary>Whether any dimension crops rather than pads: the padded layout and its fold assume padding ≥ 0.</summary>
    internal static bool HasNegativePadding(ConvGeometry g) => g.PaddingBefore.Any(p => p < 0) || g.PaddingAfter.Any(p => p < 0);

    /// <summary>Whether the padded input sample and the guarded output sample fit a .NET array, slack included.</summary>
    internal static bool Fits(ConvGeometry g)
    {
        const long Limit = 1L << 30; // below Array.MaxLength with room for the slack; 8 GiB of doubles per buffer
        double padded = g.InChannels, guarded = g.OutChannels;
        for (int d = 0; d < g.Rank; d++)
        {
            long p = (long)g.InputSize[d] + g.PaddingBefore[d] + g.PaddingAfter[d];
            long phases = (p + g.Stride[d] - 1) / g.Stride[d];
            padded *= phases * g.Stride[d];
            guarded *= phases + (long)(g.KernelSize[d] - 1) * g.Dilation[d] / g.Stride[d];
        }
        return padded <= Limit && guarded <= Limit;
    }

    private static ReadOnlySpan<TTo> Cast<TTo>(ReadOnlySpan<T> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    /// <summary>output[n] = V·input[n] for n &lt; <paramref name="samples"/> (overwritten).</summary>
    /// <param name="input">samples × InputLength; not checked here.</param>
    /// <param name="output">samples × OutputLength; not checked here.</param>
    /// <param name="samples">At least 1.</param>
    public abstract void Forward(ReadOnlySpan<T> input, Span<T> output, int samples);

    /// <summary>output[n] = Vᵀ·input[n] for n &lt; <paramref name="samples"/> (overwritten).</summary>
    /// <param name="input">samples × OutputLength; not checked here.</param>
    /// <param name="output">samples × InputLength; not checked here.</param>
    /// <param name="samples">At least 1.</param>
    public abstract void Adjoint(ReadOnlySpan<T> input, Span<T> output, int samples);

    /// <summary>The SIMD path the kernels run on.</summary>
    public abstract KernelPath Path { get; }

    /// <summary>The bytes held: the weight packed for V and for Vᵀ, with their step offsets (the per-call buffers are pooled, not held).</summary>
    public abstract long Bytes { get; }
}
