using System.Buffers;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>The plain product of the structured V for every element type: tap by tap over S_t ⊗ W_t, in parallel.</summary>
public sealed partial class StructuredConvolution<T>
{
    /// <summary>The geometry's sizes and strides as the kernels index with them, computed once.</summary>
    private sealed class Frame
    {
        public Frame(ConvGeometry g, SamplingMap[] maps)
        {
            var inSize = ConvGeometry.Pad3(g.InputSize, 1);
            var kSize = ConvGeometry.Pad3(g.KernelSize, 1);
            InSize = inSize;
            InRow = inSize[2];
            InPlane = inSize[1] * inSize[2];
            InChannel = InPlane * inSize[0];
            KRow = kSize[2];
            KPlane = kSize[1] * kSize[2];
            KChannel = KPlane * kSize[0];
            Out1 = maps[1].OutputSize;
            Out2 = maps[2].OutputSize;
            Positions = maps[0].OutputSize * Out1 * Out2;
            InPerGroup = g.InChannels / g.Groups;
            OutPerGroup = g.OutChannels / g.Groups;
            SingleTap = maps[0].SingleTap && maps[1].SingleTap && maps[2].SingleTap;
        }

        public int[] InSize { get; }
        public int InRow { get; }
        public int InPlane { get; }
        public int InChannel { get; }
        public int KRow { get; }
        public int KPlane { get; }
        public int KChannel { get; }
        public int Out1 { get; }
        public int Out2 { get; }
        public int Positions { get; }
        public int InPerGroup { get; }
        public int OutPerGroup { get; }

        /// <summary>Every entry of every map has one tap (always so with zero padding): no folded taps to add.</summary>
        public bool SingleTap { get; }
    }

    /// <summary>
    /// The generic product: the samples are copied into pooled arrays (worker threads cannot hold spans), the
    /// lines (rows of V forwards, columns backwards) of all samples are split over threads, and the results copied back.
    /// </summary>
    private void RunGeneric(ReadOnlySpan<T> input, Span<T> output, int samples, bool forward)
    {
        var x = ArrayPool<T>.Shared.Rent(input.Length);
        var y = ArrayPool<T>.Shared.Rent(output.Length);
        try
        {
            input.CopyTo(x);
            long work = Math.Max(1, NonZeroCount / Math.Max(1, output.Length / samples));
            if (forward) ParallelRows.For(output.Length, work, new ForwardRows(this, x, y));
            else ParallelRows.For(output.Length, work, new AdjointColumns(this, x, y));
            y.AsSpan(0, output.Length).CopyTo(output);
        }
        finally
        {
            bool clear = RuntimeHelpers.IsReferenceOrContainsReferences<T>();
            ArrayPool<T>.Shared.Return(x, clear);
            ArrayPool<T>.Shared.Return(y, clear);
        }
    }

    /// <summary>
    /// y[s, co, o] = Σ_{c &lt; C_in/groups} Σ over the entries (e₀, e₁, e₂) of o's maps of W(co, c, taps of e)·x[s, ci, source(e)]:
    /// row (co, o) of V, one sample s, as a gather over the product of the three maps' entries.
    /// </summary>
    private readonly struct ForwardRows(StructuredConvolution<T> v, T[] x, T[] y) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var f = v.frame;
            SamplingMap m0 = v.maps[0], m1 = v.maps[1], m2 = v.maps[2];
            int[] entry0 = m0.EntryStart, entry1 = m1.EntryStart, entry2 = m2.EntryStart;
            int[] source0 = m0.Source, source1 = m1.Source, source2 = m2.Source;
            int[] taps0 = m0.Taps, taps1 = m1.Taps, taps2 = m2.Taps;
            int out1 = f.Out1, out2 = f.Out2, positions = f.Positions, rows = v.RowCount, columns = v.ColumnCount;
            int inPlane = f.InPlane, inRow = f.InRow, inChannel = f.InChannel, kPlane = f.KPlane, kRow = f.KRow, kChannel = f.KChannel;
            int cig = f.InPerGroup, cog = f.OutPerGroup;
            bool singleTap = f.SingleTap;
            T[] w = v.weight, xs = x;
            for (int line = start; line < end; line++)
            {
                int sample = line / rows, row = line % rows;
                int co = row / positions, pos = row % positions;
                int o0 = pos / (out1 * out2), o1 = pos / out2 % out1, o2 = pos % out2;
                int first2 = entry2[o2], last2 = entry2[o2 + 1];
                int xSample = sample * columns + co / cog * cig * inChannel;
                T sum = T.AdditiveIdentity;
                for (int c = 0; c < cig; c++)
                {
                    int xBase = xSample + c * inChannel, wBase = (co * cig + c) * kChannel;
                    for (int e0 = entry0[o0]; e0 < entry0[o0 + 1]; e0++)
                    {
                        int x0 = xBase + source0[e0] * inPlane;
                        for (int e1 = entry1[o1]; e1 < entry1[o1 + 1]; e1++)
                        {
                            int x1 = x0 + source1[e1] * inRow;
                            if (singleTap)
                            {
                                int w1 = wBase + taps0[e0] * kPlane + taps1[e1] * kRow;
                                for (int e2 = first2; e2 < last2; e2++)
                                    sum += w[w1 + taps2[e2]] * xs[x1 + source2[e2]];
                            }
                            else
                                for (int e2 = first2; e2 < last2; e2++)
                                    sum += ConvolutionMatrix<T>.TapSum(v.maps, w, wBase, e0, e1, e2, kPlane, kRow) * xs[x1 + source2[e2]];
                        }
                    }
                }
                y[line] = sum;
            }
        }
    }

    /// <summary>
    /// z[s, ci, i] = Σ_{co in ci's group} Σ over the inverse maps' entries (a₀, a₁, a₂) reading i of W(co, c, taps)·y[s, co, output(a)]:
    /// column (ci, i) of V, one sample s, gathered through the inverse sampling maps (no scatter, no atomics).
    /// </summary>
    private readonly struct AdjointColumns(StructuredConvolution<T> v, T[] y, T[] z) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var f = v.frame;
            InverseSamplingMap n0 = v.inverse[0], n1 = v.inverse[1], n2 = v.inverse[2];
            int[] start0 = n0.Start, start1 = n1.Start, start2 = n2.Start;
            int[] out0 = n0.Output, outs1 = n1.Output, outs2 = n2.Output;
            int[] tap0 = n0.FirstTap, tap1 = n1.FirstTap, tap2 = n2.FirstTap;
            int[] entries0 = n0.Entries, entries1 = n1.Entries, entries2 = n2.Entries;
            int out1 = f.Out1, out2 = f.Out2, positions = f.Positions, rows = v.RowCount, columns = v.ColumnCount;
            int inPlane = f.InPlane, inRow = f.InRow, in1 = f.InSize[1], inChannel = f.InChannel, kPlane = f.KPlane, kRow = f.KRow, kChannel = f.KChannel;
            int cig = f.InPerGroup, cog = f.OutPerGroup;
            bool singleTap = f.SingleTap;
            T[] w = v.weight, ys = y;
            for (int line = start; line < end; line++)
            {
                int sample = line / columns, col = line % columns;
                int ci = col / inChannel, pos = col % inChannel;
                int i0 = pos / inPlane, i1 = pos / inRow % in1, i2 = pos % inRow;
                int group = ci / cig, c = ci % cig;
                int first2 = start2[i2], last2 = start2[i2 + 1];
                T sum = T.AdditiveIdentity;
                for (int co = group * cog; co < (group + 1) * cog; co++)
                {
                    int wBase = (co * cig + c) * kChannel, yBase = sample * rows + co * positions;
                    for (int a0 = start0[i0]; a0 < start0[i0 + 1]; a0++)
                    {
                        int y0 = yBase + out0[a0] * out1 * out2;
                        for (int a1 = start1[i1]; a1 < start1[i1 + 1]; a1++)
                        {
                            int y1 = y0 + outs1[a1] * out2;
                            if (singleTap)
                            {
                                int w1 = wBase + tap0[a0] * kPlane + tap1[a1] * kRow;
                                for (int a2 = first2; a2 < last2; a2++)
                                    sum += w[w1 + tap2[a2]] * ys[y1 + outs2[a2]];
                            }
                            else
                                for (int a2 = first2; a2 < last2; a2++)
                                    sum += ConvolutionMatrix<T>.TapSum(v.maps, w, wBase, entries0[a0], entries1[a1], entries2[a2], kPlane, kRow) * ys[y1 + outs2[a2]];
                        }
                    }
                }
                z[line] = sum;
            }
        }
    }
}
