using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The one place a weight gradient is computed: <c>gw = Σ_n U(a_n)ᵀ·b_n</c>, where a is a batch on V's column side
/// (N, C_in, *in) and b a batch on V's row side (N, C_out, *out). For a convolution a is its input and b the
/// gradient of its output; for a transposed convolution a is the gradient of its output and b its input.
/// </summary>
/// <remarks>
/// <para><c>gw[co, c, t] = Σ_n Σ_o b[n, co, o] · a[n, ci, source(o, t)]</c> with ci = g·C_in/groups + c for co's group g,
/// and source(o, t) the input element output position o reads through tap t (padding mode applied; none in zero
/// padding): a correlation of the input with the output gradient, whose reduction runs over batch and output positions.</para>
/// <para>double and float run the register-blocked SIMD kernel (<see cref="BlockedWeightGradient{T}"/>) on the
/// <see cref="KernelPath"/> asked for; every other element type, and the cases that kernel leaves (negative padding,
/// a non-finite column-side value), runs the plain product below (exact in integer types), split over threads by
/// weight rows (co, c), each with one fixed summation order.</para>
/// </remarks>
internal static class WeightGradient
{
    /// <summary>weightGradient = Σ_n U(columnSide[n])ᵀ·rowSide[n] (overwritten). Lengths are the caller's to check.</summary>
    /// <param name="geometry">The forward convolution.</param>
    /// <param name="columnSide">geometry.Batch × InputLength.</param>
    /// <param name="rowSide">geometry.Batch × OutputLength.</param>
    /// <param name="weightGradient">WeightLength, overwritten.</param>
    /// <param name="path">The SIMD path for double and float; <see cref="KernelPath.Best"/> when null.</param>
    public static void Compute<T>(ConvGeometry geometry, ReadOnlySpan<T> columnSide, ReadOnlySpan<T> rowSide, Span<T> weightGradient, KernelPath? path = null)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        // double and float with finite column-side values: the blocked kernel (see BlockedWeightGradient for why
        // non-finite values take the generic path). Other types, negative padding, oversized buffers: generic.
        if ((typeof(T) == typeof(double) || typeof(T) == typeof(float))
            && BlockedWeightGradient<T>.AllFinite(columnSide)
            && BlockedWeightGradient<T>.TryCreate(geometry, path) is { } kernel)
            kernel.Compute(columnSide, rowSide, weightGradient, geometry.Batch);
        else
            Generic(geometry, columnSide, rowSide, weightGradient);
    }

    /// <summary>The plain product for every element type: pooled copies of both batches (worker threads cannot hold spans), weight rows split over threads.</summary>
    internal static void Generic<T>(ConvGeometry geometry, ReadOnlySpan<T> columnSide, ReadOnlySpan<T> rowSide, Span<T> weightGradient)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        var a = ArrayPool<T>.Shared.Rent(columnSide.Length);
        var b = ArrayPool<T>.Shared.Rent(rowSide.Length);
        var gw = ArrayPool<T>.Shared.Rent(weightGradient.Length);
        try
        {
            columnSide.CopyTo(a);
            rowSide.CopyTo(b);
            var sources = new TapSources(geometry);
            int rows = geometry.OutChannels * (geometry.InChannels / geometry.Groups);
            long work = (long)geometry.Batch * sources.Positions * sources.Taps;
            ParallelRows.For(rows, work, new GenericRows<T>(geometry, sources, a, b, gw));
            gw.AsSpan(0, weightGradient.Length).CopyTo(weightGradient);
        }
        finally
        {
            bool clear = RuntimeHelpers.IsReferenceOrContainsReferences<T>();
            ArrayPool<T>.Shared.Return(a, clear);
            ArrayPool<T>.Shared.Return(b, clear);
            ArrayPool<T>.Shared.Return(gw, clear);
        }
    }

    /// <summary>
    /// gw[co, c, ·] for the weight rows (co, c) in [start, end): each tap's sum runs over samples, then output
    /// positions row-major, so the order is fixed whatever the threads.
    /// </summary>
    private readonly struct GenericRows<T>(ConvGeometry g, TapSources sources, T[] a, T[] b, T[] gw) : IRowOperation
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var s = sources;
            int[] src0 = s.Source[0], src1 = s.Source[1], src2 = s.Source[2];
            int out0 = s.Out[0], out1 = s.Out[1], out2 = s.Out[2], k0 = s.Kernel[0], k1 = s.Kernel[1], k2 = s.Kernel[2];
            int in1 = s.In[1], in2 = s.In[2], inChannel = s.In[0] * in1 * in2, positions = s.Positions, taps = s.Taps;
            int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups, inputLength = g.InputLength, outputLength = g.OutputLength;
            for (int row = start; row < end; row++)
            {
                int co = row / cig, c = row % cig, ci = co / cog * cig + c;
                for (int t0 = 0, t = 0; t0 < k0; t0++)
                    for (int t1 = 0; t1 < k1; t1++)
                        for (int t2 = 0; t2 < k2; t2++, t++)
                        {
                            T sum = T.AdditiveIdentity;
                            for (int n = 0; n < g.Batch; n++)
                            {
                                int aBase = n * inputLength + ci * inChannel, bBase = n * outputLength + co * positions;
                                for (int o0 = 0; o0 < out0; o0++)
                                {
                                    int i0 = src0[o0 * k0 + t0];
                                    if (i0 < 0) continue;
                                    for (int o1 = 0; o1 < out1; o1++)
                                    {
                                        int i1 = src1[o1 * k1 + t1];
                                        if (i1 < 0) continue;
                                        int aRow = aBase + (i0 * in1 + i1) * in2, bRow = bBase + (o0 * out1 + o1) * out2;
                                        for (int o2 = 0; o2 < out2; o2++)
                                        {
                                            int i2 = src2[o2 * k2 + t2];
                                            if (i2 >= 0) sum += b[bRow + o2] * a[aRow + i2];
                                        }
                                    }
                                }
                            }
                            gw[row * taps + t] = sum;
                        }
            }
        }
    }
}

/// <summary>
/// Per dimension (three, ranks below padded with size-one axes), the input index that output position o reads
/// through tap t: <c>Source[d][o·k_d + t]</c>, or −1 where that tap reads zero padding (or, with negative padding,
/// a cropped element). The sampling maps fold taps onto input elements; the weight side needs each tap apart.
/// </summary>
internal sealed class TapSources
{
    public TapSources(ConvGeometry g)
    {
        In = ConvGeometry.Pad3(g.InputSize, 1);
        Out = ConvGeometry.Pad3(g.OutputSize, 1);
        Kernel = ConvGeometry.Pad3(g.KernelSize, 1);
        var stride = ConvGeometry.Pad3(g.Stride, 1);
        var dilation = ConvGeometry.Pad3(g.Dilation, 1);
        var before = ConvGeometry.Pad3(g.PaddingBefore, 0);
        Source = new int[3][];
        for (int d = 0; d < 3; d++)
        {
            var s = Source[d] = new int[Check.Length("the tap sources of one dimension", Out[d], Kernel[d])];
            for (int o = 0; o < Out[d]; o++)
                for (int t = 0; t < Kernel[d]; t++)
                    s[o * Kernel[d] + t] = SamplingMap.SourceIndex((long)o * stride[d] - before[d] + (long)t * dilation[d], In[d], g.PaddingMode);
        }
        Positions = Out[0] * Out[1] * Out[2];
        Taps = Kernel[0] * Kernel[1] * Kernel[2];
    }

    public int[] In { get; }

    public int[] Out { get; }

    public int[] Kernel { get; }

    public int[][] Source { get; }

    /// <summary>Output positions of one channel.</summary>
    public int Positions { get; }

    /// <summary>Taps of the kernel, ∏k_d.</summary>
    public int Taps { get; }

    /// <summary>Per dimension, how many (o, t) pairs read an input element: the factor of that dimension in U's entry count.</summary>
    public long Pairs(int d) => Source[d].Count(i => i >= 0);
}
