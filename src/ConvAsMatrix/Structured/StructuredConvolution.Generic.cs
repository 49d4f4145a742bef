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
    /// lines (rows of V forwards, columns backwards, a last-dimension run of them at a time) of all samples are
    /// split over threads, and the results copied back.
    /// </summary>
    private void RunGeneric(ReadOnlySpan<T> input, Span<T> output, int samples, bool forward)
    {
        var x = ArrayPool<T>.Shared.Rent(input.Length);
        var y = ArrayPool<T>.Shared.Rent(output.Length);
        try
        {
            input.CopyTo(x);
            int run = forward ? frame.Out2 : frame.InRow, runs = output.Length / run;
            long work = Math.Max(1, NonZeroCount * samples / Math.Max(1, runs));
            if (forward) ParallelRows.For(runs, work, new ForwardRuns(this, x, y));
            else ParallelRows.For(runs, work, new AdjointRuns(this, x, y));
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
    /// rows (co, o₀, o₁, ·) of V for one sample s, the whole last dimension at once, each row's terms added in
    /// the explicit row's order (c, e₀, e₁, e₂).
    /// </summary>
    private readonly struct ForwardRuns(StructuredConvolution<T> v, T[] x, T[] y) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            var f = v.frame;
            SamplingMap m0 = v.maps[0], m1 = v.maps[1], m2 = v.maps[2];
            int[] entry0 = m0.EntryStart, entry1 = m1.EntryStart, entry2 = m2.EntryStart;
            int[] source0 = m0.Source, source1 = m1.Source, source2 = m2.Source;
            int[] taps0 = m0.Taps, taps1 = m1.Taps, taps2 = m2.Taps;
            int out1 = f.Out1, out2 = f.Out2, runsPerChannel = f.Positions / out2, runsPerSample = v.RowCount / out2, columns = v.ColumnCount;
            int inPlane = f.InPlane, inRow = f.InRow, inChannel = f.InChannel, kPlane = f.KPlane, kRow = f.KRow, kChannel = f.KChannel;
            int cig = f.InPerGroup, cog = f.OutPerGroup;
            bool singleTap = f.SingleTap;
            T[] w = v.weight, xs = x, ys = y;
            for (int run = start; run < end; run++)
            {
                int sample = run / runsPerSample, inSample = run % runsPerSample;
                int co = inSample / runsPerChannel, o01 = inSample % runsPerChannel, o0 = o01 / out1, o1 = o01 % out1;
                int first = run * out2;
                for (int o2 = 0; o2 < out2; o2++) ys[first + o2] = T.AdditiveIdentity;
                int xSample = sample * columns + co / cog * cig * inChannel;
                for (int c = 0; c < cig; c++)
                {
                    int xBase = xSample + c * inChannel, wBase = (co * cig + c) * kChannel;
                    for (int e0 = entry0[o0]; e0 < entry0[o0 + 1]; e0++)
                        for (int e1 = entry1[o1]; e1 < entry1[o1 + 1]; e1++)
                        {
                            int x1 = xBase + source0[e0] * inPlane + source1[e1] * inRow;
                            int w1 = wBase + taps0[e0] * kPlane + taps1[e1] * kRow;
                            for (int o2 = 0, e2 = entry2[0]; o2 < out2; o2++)
                            {
                                T sum = ys[first + o2];
                                if (singleTap)
                                    for (int last = entry2[o2 + 1]; e2 < last; e2++)
                                        sum += w[w1 + taps2[e2]] * xs[x1 + source2[e2]];
                                else
                                    for (int last = entry2[o2 + 1]; e2 < last; e2++)
                                        sum += ConvolutionMatrix<T>.TapSum(v.maps, w, wBase, e0, e1, e2, kPlane, kRow) * xs[x1 + source2[e2]];
                                ys[first + o2] = sum;
                            }
                        }
                }
            }
        }
    }

    /// <summary>
    /// z[s, ci, i] = Σ_{co in ci's group} Σ over the inverse maps' entries (a₀, a₁, a₂) reading i of W(co, c, taps)·y[s, co, output(a)]:
    /// columns (ci, i₀, i₁, ·) of V for one sample s, gathered through the inverse sampling maps (no scatter, no
    /// atomics), each column's terms added in the compressed-column order (co, a₀, a₁, a₂).
    /// </summary>
    private readonly struct AdjointRuns(StructuredConvolution<T> v, T[] y, T[] z) : IRowOperation
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
            int out1 = f.Out1, out2 = f.Out2, positions = f.Positions, rows = v.RowCount;
            int inRow = f.InRow, in1 = f.InSize[1], runsPerChannel = f.InChannel / inRow, runsPerSample = v.ColumnCount / inRow;
            int kPlane = f.KPlane, kRow = f.KRow, kChannel = f.KChannel;
            int cig = f.InPerGroup, cog = f.OutPerGroup;
            bool singleTap = f.SingleTap;
            T[] w = v.weight, ys = y, zs = z;
            for (int run = start; run < end; run++)
            {
                int sample = run / runsPerSample, inSample = run % runsPerSample;
                int ci = inSample / runsPerChannel, i01 = inSample % runsPerChannel, i0 = i01 / in1, i1 = i01 % in1;
                int group = ci / cig, c = ci % cig, first = run * inRow;
                for (int i2 = 0; i2 < inRow; i2++) zs[first + i2] = T.AdditiveIdentity;
                for (int co = group * cog; co < (group + 1) * cog; co++)
                {
                    int wBase = (co * cig + c) * kChannel, yBase = sample * rows + co * positions;
                    for (int a0 = start0[i0]; a0 < start0[i0 + 1]; a0++)
                        for (int a1 = start1[i1]; a1 < start1[i1 + 1]; a1++)
                        {
                            int y1 = yBase + (out0[a0] * out1 + outs1[a1]) * out2;
                            int w1 = wBase + tap0[a0] * kPlane + tap1[a1] * kRow;
                            for (int i2 = 0, a2 = start2[0]; i2 < inRow; i2++)
                            {
                                T sum = zs[first + i2];
                                if (singleTap)
                                    for (int last = start2[i2 + 1]; a2 < last; a2++)
                                        sum += w[w1 + tap2[a2]] * ys[y1 + outs2[a2]];
                                else
                                    for (int last = start2[i2 + 1]; a2 < last; a2++)
                                        sum += ConvolutionMatrix<T>.TapSum(v.maps, w, wBase, entries0[a0], entries1[a1], entries2[a2], kPlane, kRow) * ys[y1 + outs2[a2]];
                                zs[first + i2] = sum;
                            }
                        }
                }
            }
        }
    }
}
