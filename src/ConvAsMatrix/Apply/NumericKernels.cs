using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvAsMatrix;

/// <summary>
/// The gather product of <see cref="SparseKernels"/> for the hardware number types (double, float, long):
/// parallel over lines, and for a batch SIMD across samples. Every other element type keeps the plain kernels.
/// </summary>
/// <remarks>
/// <para>Lines are independent (line i writes only y[i]), so threads split them with no atomics and the result
/// does not depend on the number of threads. The transposed product reaches this kernel through the
/// compressed-column form of V, where it is a gather too.</para>
/// <para>Batch: the n samples of x are interleaved into a buffer X̃[j, s] = x[s][j] with the sample index
/// contiguous and padded to a whole number of <see cref="Vector{T}"/> lanes; then line i of every sample is
/// Σ_k v[k]·X̃[idx[k], :], one broadcast and one vector multiply-add per entry and vector, and V's entries are
/// read once per batch instead of once per sample.</para>
/// <para>Every kernel method is compiled fully optimised at once (AggressiveOptimization): each is called a
/// few times per product, so tiered compilation would otherwise run the first products in tier-0 code.</para>
/// <para>Caller spans are pinned for the whole call (the parallel loop returns before the pins are released),
/// so worker threads read them through pointers; nothing outlives the call.</para>
/// </remarks>
internal static unsafe class NumericKernels
{
    /// <summary>Runs <see cref="SparseKernels.Gather"/> with the fast kernel when T is double, float or long; false otherwise.</summary>
    public static bool TryGather<T>(int[] ptr, int[] idx, T[] val, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
    {
        if (typeof(T) == typeof(double))
            Gather(ptr, idx, Unsafe.As<double[]>(val), As<T, double>(alpha), As<T, double>(x), As<T, double>(beta), As<T, double>(y), scaled);
        else if (typeof(T) == typeof(float))
            Gather(ptr, idx, Unsafe.As<float[]>(val), As<T, float>(alpha), As<T, float>(x), As<T, float>(beta), As<T, float>(y), scaled);
        else if (typeof(T) == typeof(long))
            Gather(ptr, idx, Unsafe.As<long[]>(val), As<T, long>(alpha), As<T, long>(x), As<T, long>(beta), As<T, long>(y), scaled);
        else
            return false;
        return true;
    }

    /// <summary>Runs <see cref="SparseKernels.GatherBatch"/> with the fast kernel when T is double, float or long; false otherwise.</summary>
    public static bool TryGatherBatch<T>(int[] ptr, int[] idx, T[] val, int samples, ReadOnlySpan<T> x, Span<T> y, int channels)
    {
        if (typeof(T) == typeof(double))
            GatherBatch(ptr, idx, Unsafe.As<double[]>(val), samples, As<T, double>(x), As<T, double>(y), channels);
        else if (typeof(T) == typeof(float))
            GatherBatch(ptr, idx, Unsafe.As<float[]>(val), samples, As<T, float>(x), As<T, float>(y), channels);
        else if (typeof(T) == typeof(long))
            GatherBatch(ptr, idx, Unsafe.As<long[]>(val), samples, As<T, long>(x), As<T, long>(y), channels);
        else
            return false;
        return true;
    }

    private static TTo As<TFrom, TTo>(TFrom value) => Unsafe.As<TFrom, TTo>(ref value);

    private static ReadOnlySpan<TTo> As<TFrom, TTo>(ReadOnlySpan<TFrom> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    private static Span<TTo> As<TFrom, TTo>(Span<TFrom> s) =>
        MemoryMarshal.CreateSpan(ref Unsafe.As<TFrom, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);

    private static void Gather<TNum>(int[] ptr, int[] idx, TNum[] val, TNum alpha, ReadOnlySpan<TNum> x, TNum beta, Span<TNum> y, bool scaled)
        where TNum : unmanaged, INumberBase<TNum>
    {
        fixed (int* p = ptr, ix = idx)
        fixed (TNum* v = val, px = x, py = y)
        {
            var rows = new GatherRows<TNum>(p, ix, v, px, py, alpha, beta, scaled);
            ParallelRows.For(y.Length, WorkPerLine(ptr, y.Length), rows);
        }
    }

    private static void GatherBatch<TNum>(int[] ptr, int[] idx, TNum[] val, int samples, ReadOnlySpan<TNum> x, Span<TNum> y, int channels)
        where TNum : unmanaged, INumberBase<TNum>
    {
        int minor = x.Length / samples, major = y.Length / samples;
        int lanes = (samples + Vector<TNum>.Count - 1) / Vector<TNum>.Count * Vector<TNum>.Count;
        if (samples == 1 || !Vector.IsHardwareAccelerated || (long)minor * lanes > Array.MaxLength)
        {
            // One sample gains nothing from interleaving; a batch too large to interleave goes sample by sample, and so
            // does every batch where Vector<T> is not accelerated (DOTNET_EnableHWIntrinsic=0), whose lanes would be
            // software loops: the scalar gather with its two partial sums is faster there.
            for (int s = 0; s < samples; s++)
                Gather(ptr, idx, val, TNum.One, x.Slice(s * minor, minor), TNum.Zero, y.Slice(s * major, major), scaled: false);
            return;
        }
        var interleaved = ArrayPool<TNum>.Shared.Rent(minor * lanes);
        try
        {
            fixed (int* p = ptr, ix = idx)
            fixed (TNum* v = val, px = x, py = y, xt = interleaved)
            {
                ParallelRows.For(minor, lanes, new Interleave<TNum>(px, xt, samples, lanes, minor));
                int positions = major / channels;
                ParallelRows.For(positions, WorkPerLine(ptr, major) * channels * lanes, new GatherBatchRows<TNum>(p, ix, v, xt, py, samples, lanes, channels, positions));
            }
        }
        finally
        {
            ArrayPool<TNum>.Shared.Return(interleaved);
        }
    }

    private static long WorkPerLine(int[] ptr, int lines) => lines == 0 ? 0 : ptr[lines] / lines;

    /// <summary>y[i] = Σ v[k]·x[idx[k]] for lines [start, end), scaled as in <see cref="SparseKernels.Gather"/>.</summary>
    private readonly struct GatherRows<TNum>(int* ptr, int* idx, TNum* val, TNum* x, TNum* y, TNum alpha, TNum beta, bool scaled) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            bool readY = scaled && !TNum.IsZero(beta);
            for (int i = start; i < end; i++)
            {
                // Two partial sums let consecutive multiply-adds overlap instead of waiting on one another.
                TNum s0 = TNum.Zero, s1 = TNum.Zero;
                int k = ptr[i], last = ptr[i + 1];
                for (; k + 1 < last; k += 2)
                {
                    s0 += val[k] * x[idx[k]];
                    s1 += val[k + 1] * x[idx[k + 1]];
                }
                if (k < last) s0 += val[k] * x[idx[k]];
                TNum sum = s0 + s1;
                y[i] = !scaled ? sum : readY ? alpha * sum + beta * y[i] : alpha * sum;
            }
        }
    }

    /// <summary>X̃[j·lanes + s] = x[s·minor + j] for columns [start, end); lanes past the last sample are zero.</summary>
    private readonly struct Interleave<TNum>(TNum* x, TNum* xt, int samples, int lanes, int minor) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            for (int j = start; j < end; j++)
            {
                TNum* row = xt + (long)j * lanes;
                for (int s = 0; s < samples; s++) row[s] = x[(long)s * minor + j];
                for (int s = samples; s < lanes; s++) row[s] = TNum.Zero;
            }
        }
    }

    /// <summary>
    /// y[s·major + i] = Σ v[k]·X̃[idx[k]·lanes + s] for every sample s and the lines i = c·positions + p of
    /// positions p in [start, end) and every channel c, four vectors of samples at a time.
    /// </summary>
    /// <remarks>
    /// <para>Lines are visited position by position, all channels of one position together: for a convolution
    /// the lines of one position read the same neighbourhood of X̃ (a few kilobytes), which then stays in L1
    /// across channels instead of streaming the whole of X̃ from L3 once per channel (W3, batch 16: about 1.9× faster).</para>
    /// <para>Lines go in pairs (channels c and c + 1 of one position, equally long in a convolution): one vector
    /// accumulator is updated once per entry, so a single line waits on the add latency; two lines'
    /// independent chains overlap. Each lane still adds its line's products in storage order, exactly the
    /// sequential kernel's sum.</para>
    /// </remarks>
    private readonly struct GatherBatchRows<TNum>(int* ptr, int* idx, TNum* val, TNum* xt, TNum* y, int samples, int lanes, int channels, int positions) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int width = Vector<TNum>.Count;
            long major = (long)channels * positions;
            TNum* sums = stackalloc TNum[8 * width];
            // Visit order q = p·channels + c; consecutive visits pair up (also across positions, as in W1's one channel).
            for (long q = (long)start * channels, stop = (long)end * channels; q < stop; q += 2)
            {
                int i = Line(q);
                bool pair = q + 1 < stop;
                int j = pair ? Line(q + 1) : i;
                for (int lane = 0; lane < lanes; lane += 4 * width)
                {
                    int vectors = Math.Min(4, (lanes - lane) / width);
                    if (vectors == 4 && pair) FourVectorsTwoLines(i, j, lane, sums, width);
                    else if (vectors == 4) FinishFour(ptr[i], ptr[i + 1], lane, sums, width, default, default, default, default);
                    else
                        for (int line = 0; line < (pair ? 2 : 1); line++)
                            for (int v = 0; v < vectors; v++)
                            {
                                int l = line == 0 ? i : j;
                                Unsafe.WriteUnaligned(sums + (4 * line + v) * width, OneVector(ptr[l], ptr[l + 1], lane + v * width));
                            }
                    int count = Math.Min(samples - lane, vectors * width);
                    for (int s = 0; s < count; s++) y[(lane + s) * major + i] = sums[s];
                    if (pair)
                        for (int s = 0; s < count; s++) y[(lane + s) * major + j] = sums[4 * width + s];
                }
            }
        }

        private int Line(long visit) => (int)(visit % channels) * positions + (int)(visit / channels);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FourVectorsTwoLines(int i, int j, int lane, TNum* sums, int width)
        {
            int first = ptr[i], firstEnd = ptr[i + 1], second = ptr[j], last = ptr[j + 1];
            int common = Math.Min(firstEnd - first, last - second);
            // Locals, not fields: stores through pointers could alias the fields, so the JIT would reload them per entry.
            // Vector<TNum>.Count rather than width: a JIT-time constant, folded into the addresses.
            int* ik = idx + first, im = idx + second;
            TNum* vk = val + first, vm = val + second, x = xt + lane;
            long stride = lanes;
            Vector<TNum> a0 = Vector<TNum>.Zero, a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
            for (int t = 0; t < common; t++)
            {
                var v = new Vector<TNum>(vk[t]);
                var w = new Vector<TNum>(vm[t]);
                TNum* row = x + ik[t] * stride;
                TNum* other = x + im[t] * stride;
                a0 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row);
                b0 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other);
                a1 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + Vector<TNum>.Count);
                b1 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + Vector<TNum>.Count);
                a2 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 2 * Vector<TNum>.Count);
                b2 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + 2 * Vector<TNum>.Count);
                a3 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 3 * Vector<TNum>.Count);
                b3 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + 3 * Vector<TNum>.Count);
            }
            // The tails stay in this method: passing the accumulators to a call made the JIT keep them on the
            // stack through the loop above (a store and a reload per entry, about 1.25x slower on W2 and W3).
            for (int t = common; t < firstEnd - first; t++)
            {
                var v = new Vector<TNum>(vk[t]);
                TNum* row = x + ik[t] * stride;
                a0 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row);
                a1 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + Vector<TNum>.Count);
                a2 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 2 * Vector<TNum>.Count);
                a3 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 3 * Vector<TNum>.Count);
            }
            for (int t = common; t < last - second; t++)
            {
                var w = new Vector<TNum>(vm[t]);
                TNum* other = x + im[t] * stride;
                b0 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other);
                b1 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + Vector<TNum>.Count);
                b2 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + 2 * Vector<TNum>.Count);
                b3 += w * Unsafe.ReadUnaligned<Vector<TNum>>(other + 3 * Vector<TNum>.Count);
            }
            Unsafe.WriteUnaligned(sums, a0);
            Unsafe.WriteUnaligned(sums + width, a1);
            Unsafe.WriteUnaligned(sums + 2 * width, a2);
            Unsafe.WriteUnaligned(sums + 3 * width, a3);
            Unsafe.WriteUnaligned(sums + 4 * width, b0);
            Unsafe.WriteUnaligned(sums + 5 * width, b1);
            Unsafe.WriteUnaligned(sums + 6 * width, b2);
            Unsafe.WriteUnaligned(sums + 7 * width, b3);
        }

        /// <summary>Adds entries [from, to) of one line to its four accumulators and stores them.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void FinishFour(int from, int to, int lane, TNum* sums, int width, Vector<TNum> a0, Vector<TNum> a1, Vector<TNum> a2, Vector<TNum> a3)
        {
            int* ik = idx;
            TNum* vk = val, x = xt + lane;
            long stride = lanes;
            for (int k = from; k < to; k++)
            {
                var v = new Vector<TNum>(vk[k]);
                TNum* row = x + ik[k] * stride;
                a0 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row);
                a1 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + width);
                a2 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 2 * width);
                a3 += v * Unsafe.ReadUnaligned<Vector<TNum>>(row + 3 * width);
            }
            Unsafe.WriteUnaligned(sums, a0);
            Unsafe.WriteUnaligned(sums + width, a1);
            Unsafe.WriteUnaligned(sums + 2 * width, a2);
            Unsafe.WriteUnaligned(sums + 3 * width, a3);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Vector<TNum> OneVector(int first, int last, int lane)
        {
            Vector<TNum> a = Vector<TNum>.Zero;
            for (int k = first; k < last; k++)
                a += new Vector<TNum>(val[k]) * Unsafe.ReadUnaligned<Vector<TNum>>(xt + (long)idx[k] * lanes + lane);
            return a;
        }
    }
}
