using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>A tile's vector count as a type, so that a kernel's unused accumulators vanish at JIT time.</summary>
internal interface ISlotCount
{
    static abstract int Count { get; }
}

/// <summary>6 vectors per tile: 4 × 6 = 24 accumulators, for 32 vector registers.</summary>
internal readonly struct SixSlots : ISlotCount
{
    public static int Count => 6;
}

/// <summary>3 vectors per tile: 4 × 3 = 12 accumulators, for 16 vector registers with FMA.</summary>
internal readonly struct ThreeSlots : ISlotCount
{
    public static int Count => 3;
}

/// <summary>2 vectors per tile: 4 × 2 = 8 accumulators, for 16 registers without FMA (each product needs a register of its own).</summary>
internal readonly struct TwoSlots : ISlotCount
{
    public static int Count => 2;
}

/// <summary>
/// How the wide tile fetches the operand of its four channels at each step, as a type: the forward and adjoint
/// products broadcast one packed weight per channel (<see cref="BroadcastChannels{TNum, TVec, TOps}"/>); the weight
/// gradient loads one vector of output gradient per channel (<see cref="VectorChannels{TNum, TVec, TOps}"/>).
/// </summary>
internal unsafe interface IChannelOperand<TNum, TVec>
    where TNum : unmanaged, INumberBase<TNum>
    where TVec : unmanaged
{
    /// <summary>The operand of channel <paramref name="c"/> (0–3) at the step whose operands start at <paramref name="p"/>.</summary>
    static abstract TVec Fetch(TNum* p, int c);

    /// <summary>Elements from one step's operands to the next.</summary>
    static abstract int Step { get; }
}

/// <summary>Four packed weights a step, each broadcast to every lane: V·x and Vᵀ·y.</summary>
internal readonly unsafe struct BroadcastChannels<TNum, TVec, TOps> : IChannelOperand<TNum, TVec>
    where TNum : unmanaged, INumberBase<TNum>
    where TVec : unmanaged
    where TOps : struct, IVectorOps<TNum, TVec>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Fetch(TNum* p, int c) => TOps.Broadcast(p + c);

    public static int Step => 4;
}

/// <summary>Four vectors a step, one per channel, lane l of each the same position: the weight gradient's output gradient (<see cref="BlockedWeightGradient{T}"/>).</summary>
internal readonly unsafe struct VectorChannels<TNum, TVec, TOps> : IChannelOperand<TNum, TVec>
    where TNum : unmanaged, INumberBase<TNum>
    where TVec : unmanaged
    where TOps : struct, IVectorOps<TNum, TVec>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Fetch(TNum* p, int c) => TOps.Load(p + c * TOps.Count);

    public static int Step => 4 * TOps.Count;
}

/// <summary>
/// The register-blocked inner loops of the blocked convolution (<see cref="TileShape"/>): a tile of output channels ×
/// output vectors, each vector <c>TOps.Count</c> contiguous output positions. One source for every width: each
/// method is instantiated per <see cref="IVectorOps{TNum, TVec}"/> (AVX-512, AVX2, 128-bit, scalar).
/// </summary>
/// <remarks>
/// <para>Lane layout of the wide tile (AVX2, double: 4 lanes; AVX-512 has 8 lanes and 6 slots, scalar 1 lane):</para>
/// <code>
///              slot 0 (4 positions)  slot 1        slot 2
///   channel 0  a00 = [y0 y1 y2 y3]   a01 = [..]    a02
///   channel 1  a10                   a11           a12        12 accumulators (24 with 6 slots)
///   channel 2  a20                   a21           a22
///   channel 3  a30                   a31           a32
/// </code>
/// <para>Per step j (one reduction channel and one tap, in the order the offsets list them) the kernel loads each
/// slot's input vector x[offset[j] + slot[s] .. + width) once, then for each of the four output channels of the
/// block broadcasts its packed weight w[j][c] (adjacent in memory) and multiply-adds it into that channel's S
/// accumulators. Live vector registers: 4·S accumulators + S inputs + 1 weight = 5·S + 1 with FMA, one more
/// without (the product needs a register before it is added), so S = 6 fills 31 of 32 registers (AVX-512,
/// ARM64), S = 3 all 16 with FMA (AVX2) and S = 2 leaves 5 of 16 without (SSE, scalar: with S = 3 the JIT
/// spilled one accumulator, whose store-to-load latency then paced the loop). Loads per multiply-add:
/// (S + 4) / 4·S, 10 per 24, 7 per 12 and 6 per 8, so the arithmetic units, not the load ports, are the limit. Slots
/// are independent runs (any row, any phase), so one kernel serves narrow rows (14 wide), strided and dilated
/// convolutions, and the adjoint's phases alike.</para>
/// <para>Every method is compiled fully optimised at once (AggressiveOptimization): a product calls them a few
/// thousand times, so tiered compilation would otherwise run the first products through tier-0 code, where each
/// vector operation is a call.</para>
/// </remarks>
internal static unsafe class MicroKernel
{
    /// <summary>
    /// tile[c, s] (+)= Σ_j w_j[c]·x[offset[j] + slotIn[s] .. + width) for c &lt; 4, s &lt; S, where w_j[c] is
    /// <c>TChannels.Fetch(w + j·TChannels.Step, c)</c>: the wide block of <see cref="TileShape"/>, 4·S vectors written
    /// to <paramref name="tile"/> channel-major; with <paramref name="accumulate"/> the sums start from the tile's
    /// values (a later pass over the reduction).
    /// </summary>
    /// <remarks>
    /// One loop for both roles. V·x and Vᵀ·y: a step is (reduction channel, tap), a slot a vector of output
    /// positions, w_j[c] a broadcast weight. The weight gradient: a step is a vector of output positions, a slot a
    /// (input channel, tap) column, w_j[c] that vector of output channel c's gradient (lane l of every operand is the
    /// same position), so each lane sums its own positions and the tile's lanes are added up at the end.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Wide<TNum, TVec, TOps, TSlots, TChannels>(TNum* x, int* offset, int steps, TNum* w, int* slotIn, TNum* tile, bool accumulate)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
        where TSlots : struct, ISlotCount
        where TChannels : struct, IChannelOperand<TNum, TVec>
    {
        // S is a JIT-time constant: every test on it folds, and the slots past S vanish with their accumulators.
        int slots = TSlots.Count, width = TOps.Count;
        // Byte offsets: an ARM64 q-register load scales its index by 16 only, so element offsets cost a shift per load.
        nint e = sizeof(TNum);
        nint i0 = slotIn[0] * e, i1 = slots > 1 ? slotIn[1] * e : 0, i2 = slots > 2 ? slotIn[2] * e : 0;
        nint i3 = slots > 3 ? slotIn[3] * e : 0, i4 = slots > 4 ? slotIn[4] * e : 0, i5 = slots > 5 ? slotIn[5] * e : 0;
        TVec a00 = TOps.Zero, a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
        TVec a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00;
        TVec a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00;
        TVec a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a35 = a00;
        if (accumulate)
        {
            LoadRow<TNum, TVec, TOps>(tile, width, slots, ref a00, ref a01, ref a02, ref a03, ref a04, ref a05);
            LoadRow<TNum, TVec, TOps>(tile + slots * width, width, slots, ref a10, ref a11, ref a12, ref a13, ref a14, ref a15);
            LoadRow<TNum, TVec, TOps>(tile + 2 * slots * width, width, slots, ref a20, ref a21, ref a22, ref a23, ref a24, ref a25);
            LoadRow<TNum, TVec, TOps>(tile + 3 * slots * width, width, slots, ref a30, ref a31, ref a32, ref a33, ref a34, ref a35);
        }
        for (nint j = 0; j < steps; j++, w += TChannels.Step)
        {
            byte* p = (byte*)(x + offset[j]);
            TVec v0 = TOps.Load((TNum*)(p + i0));
            TVec v1 = slots > 1 ? TOps.Load((TNum*)(p + i1)) : default, v2 = slots > 2 ? TOps.Load((TNum*)(p + i2)) : default;
            TVec v3 = slots > 3 ? TOps.Load((TNum*)(p + i3)) : default, v4 = slots > 4 ? TOps.Load((TNum*)(p + i4)) : default;
            TVec v5 = slots > 5 ? TOps.Load((TNum*)(p + i5)) : default;
            TVec c = TChannels.Fetch(w, 0);
            a00 = TOps.MultiplyAdd(v0, c, a00);
            if (slots > 1) a01 = TOps.MultiplyAdd(v1, c, a01);
            if (slots > 2) a02 = TOps.MultiplyAdd(v2, c, a02);
            if (slots > 3) a03 = TOps.MultiplyAdd(v3, c, a03);
            if (slots > 4) a04 = TOps.MultiplyAdd(v4, c, a04);
            if (slots > 5) a05 = TOps.MultiplyAdd(v5, c, a05);
            c = TChannels.Fetch(w, 1);
            a10 = TOps.MultiplyAdd(v0, c, a10);
            if (slots > 1) a11 = TOps.MultiplyAdd(v1, c, a11);
            if (slots > 2) a12 = TOps.MultiplyAdd(v2, c, a12);
            if (slots > 3) a13 = TOps.MultiplyAdd(v3, c, a13);
            if (slots > 4) a14 = TOps.MultiplyAdd(v4, c, a14);
            if (slots > 5) a15 = TOps.MultiplyAdd(v5, c, a15);
            c = TChannels.Fetch(w, 2);
            a20 = TOps.MultiplyAdd(v0, c, a20);
            if (slots > 1) a21 = TOps.MultiplyAdd(v1, c, a21);
            if (slots > 2) a22 = TOps.MultiplyAdd(v2, c, a22);
            if (slots > 3) a23 = TOps.MultiplyAdd(v3, c, a23);
            if (slots > 4) a24 = TOps.MultiplyAdd(v4, c, a24);
            if (slots > 5) a25 = TOps.MultiplyAdd(v5, c, a25);
            c = TChannels.Fetch(w, 3);
            a30 = TOps.MultiplyAdd(v0, c, a30);
            if (slots > 1) a31 = TOps.MultiplyAdd(v1, c, a31);
            if (slots > 2) a32 = TOps.MultiplyAdd(v2, c, a32);
            if (slots > 3) a33 = TOps.MultiplyAdd(v3, c, a33);
            if (slots > 4) a34 = TOps.MultiplyAdd(v4, c, a34);
            if (slots > 5) a35 = TOps.MultiplyAdd(v5, c, a35);
        }
        // Stored to the tile buffer, not handed to a helper: passing the accumulators to a call made the JIT keep
        // them on the stack inside the loop above (see NumericKernels).
        StoreRow<TNum, TVec, TOps>(tile, width, slots, a00, a01, a02, a03, a04, a05);
        StoreRow<TNum, TVec, TOps>(tile + slots * width, width, slots, a10, a11, a12, a13, a14, a15);
        StoreRow<TNum, TVec, TOps>(tile + 2 * slots * width, width, slots, a20, a21, a22, a23, a24, a25);
        StoreRow<TNum, TVec, TOps>(tile + 3 * slots * width, width, slots, a30, a31, a32, a33, a34, a35);
    }

    /// <summary>One channel's S accumulators from the tile (a later reduction pass continues the sums).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LoadRow<TNum, TVec, TOps>(TNum* row, int width, int slots, ref TVec a0, ref TVec a1, ref TVec a2, ref TVec a3, ref TVec a4, ref TVec a5)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        a0 = TOps.Load(row);
        if (slots > 1) a1 = TOps.Load(row + width);
        if (slots > 2) a2 = TOps.Load(row + 2 * width);
        if (slots > 3) a3 = TOps.Load(row + 3 * width);
        if (slots > 4) a4 = TOps.Load(row + 4 * width);
        if (slots > 5) a5 = TOps.Load(row + 5 * width);
    }

    /// <summary>One channel's S accumulators to the tile, after the loop (inlined: no call keeps them in memory).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<TNum, TVec, TOps>(TNum* row, int width, int slots, TVec a0, TVec a1, TVec a2, TVec a3, TVec a4, TVec a5)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        TOps.Store(a0, row);
        if (slots > 1) TOps.Store(a1, row + width);
        if (slots > 2) TOps.Store(a2, row + 2 * width);
        if (slots > 3) TOps.Store(a3, row + 3 * width);
        if (slots > 4) TOps.Store(a4, row + 4 * width);
        if (slots > 5) TOps.Store(a5, row + 5 * width);
    }

    /// <summary>
    /// tile[s] = Σ_j w[j]·x[offset[j] + start + s·width .. + width) for s &lt; 8: the single-channel block of
    /// <see cref="TileShape"/>, one channel × 8 consecutive vectors (one base address, constant displacements;
    /// 8 accumulators + 1 weight fit 16 registers). <paramref name="tile"/> may be the output itself when all 8
    /// vectors are valid (W1: 200 multiply-adds per tile, so a copy would be felt).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Single<TNum, TVec, TOps>(TNum* x, int* offset, int steps, TNum* w, int start, TNum* tile)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        int width = TOps.Count;
        TVec a0 = TOps.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        x += start;
        for (int j = 0; j < steps; j++)
        {
            TNum* p = x + offset[j];
            TVec c = TOps.Broadcast(w + j);
            a0 = TOps.MultiplyAdd(TOps.Load(p), c, a0);
            a1 = TOps.MultiplyAdd(TOps.Load(p + TOps.Count), c, a1);
            a2 = TOps.MultiplyAdd(TOps.Load(p + 2 * TOps.Count), c, a2);
            a3 = TOps.MultiplyAdd(TOps.Load(p + 3 * TOps.Count), c, a3);
            a4 = TOps.MultiplyAdd(TOps.Load(p + 4 * TOps.Count), c, a4);
            a5 = TOps.MultiplyAdd(TOps.Load(p + 5 * TOps.Count), c, a5);
            a6 = TOps.MultiplyAdd(TOps.Load(p + 6 * TOps.Count), c, a6);
            a7 = TOps.MultiplyAdd(TOps.Load(p + 7 * TOps.Count), c, a7);
        }
        TOps.Store(a0, tile); TOps.Store(a1, tile + width); TOps.Store(a2, tile + 2 * width); TOps.Store(a3, tile + 3 * width);
        TOps.Store(a4, tile + 4 * width); TOps.Store(a5, tile + 5 * width); TOps.Store(a6, tile + 6 * width); TOps.Store(a7, tile + 7 * width);
    }

    /// <summary>Writes a finished tile to y: whole vectors where a slot is full, element by element where it is cut short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyOut<TNum, TVec, TOps>(TNum* tile, int slots, TNum* y, nint outStride, int* slotOut, int* count, int channels)
        where TNum : unmanaged, INumberBase<TNum>
        where TVec : unmanaged
        where TOps : struct, IVectorOps<TNum, TVec>
    {
        int width = TOps.Count;
        for (int c = 0; c < channels; c++)
        {
            TNum* row = y + c * outStride;
            for (int s = 0; s < slots; s++)
            {
                TNum* from = tile + (c * slots + s) * width;
                int n = count[s];
                if (n == width) TOps.Store(TOps.Load(from), row + slotOut[s]);
                else
                    for (int l = 0; l < n; l++) row[slotOut[s] + l] = from[l];
            }
        }
    }
}
