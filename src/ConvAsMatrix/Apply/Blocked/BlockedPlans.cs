using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// Builds the two <see cref="CorrelationPlan{TNum}"/>s of a geometry: V·x as a valid correlation over the padded
/// input, and Vᵀ·y as the adjoint of that correlation, phase by phase. O(weight + Σ_d sizes) time and memory.
/// </summary>
/// <remarks>
/// Per dimension d (ranks below 3 get leading size-one dimensions): input n, output o, kernel k, stride s,
/// dilation δ, padding before b, padded size P = n + b + a.
/// <para><b>Forward.</b> Output position o reads padded position o·s + t·δ. In the buffer of
/// <see cref="PaddedLayout"/> that is the fixed offset
/// <c>(t0·δ0·P1 + t1·δ1)·s2Q2 + ((t2·δ2) mod s2)·Q2 + ⌊t2·δ2 / s2⌋</c> from the output row's base
/// <c>(o0·s0·P1 + o1·s1)·s2Q2 + o2</c>, so each output row is one run.</para>
/// <para><b>Adjoint (gather form).</b> Padded position p = q·s + r receives w·y[o] from the taps with
/// o·s + t·δ = p, i.e. t·δ ≡ r (mod s) and o = q − ⌊t·δ / s⌋. For each phase (r0, r1, r2) that is a stride-1
/// correlation over q with the taps of that phase, the weight transposed (C_in ↔ C_out) and the shifts negated;
/// it reads <see cref="GuardedOutput"/>, which is zero outside y, and writes a run of consecutive q, which is
/// consecutive in the phase-split row. No store is ever scattered or atomic. With zero padding only p in
/// [b, b + n) is computed; the other modes compute all of [0, P) and <see cref="PaddedLayout.Fold"/> adds the padding back.</para>
/// </remarks>
internal static class BlockedPlans
{
    public static CorrelationPlan<TNum> Forward<TNum>(ConvGeometry g, ReadOnlySpan<TNum> weight, PaddedLayout xp, KernelPath path)
        where TNum : unmanaged, INumberBase<TNum>
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var o = ConvGeometry.Pad3(g.OutputSize, 1);
        int cin = g.InChannels / g.Groups, cout = g.OutChannels / g.Groups, taps = k[0] * k[1] * k[2];
        int p1 = xp.Padded[1], row = xp.Row;
        var offsets = ForwardSteps(g, xp);
        var shape = TileShape.For(cout, path);
        int width = path.Lanes<TNum>();
        var packed = Pack(g, weight, shape, transposed: false, Enumerable.Range(0, taps).ToArray());
        // Slot offsets are int: the buffer holds at most Array.MaxLength elements and every run lies inside it.
        var cls = new CorrelationClass<TNum>(offsets, packed, width, o[0], o[1], o[2],
            0, s[0] * p1 * row, s[1] * row, 0, o[1] * o[2], o[2]);
        return new CorrelationPlan<TNum>(g.Groups, cin, xp.ChannelStride, cout, o[0] * o[1] * o[2], path, shape, [cls]);
    }

    public static CorrelationPlan<TNum> Adjoint<TNum>(ConvGeometry g, ReadOnlySpan<TNum> weight, PaddedLayout xp, GuardedOutput yp, KernelPath path)
        where TNum : unmanaged, INumberBase<TNum>
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var dl = ConvGeometry.Pad3(g.Dilation, 1);
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        var b = ConvGeometry.Pad3(g.PaddingBefore, 0);
        int cin = g.InChannels / g.Groups, cout = g.OutChannels / g.Groups;
        var shape = TileShape.For(cin, path);
        int width = path.Lanes<TNum>();
        bool zeros = g.PaddingMode == PaddingMode.Zeros;
        var classes = new List<CorrelationClass<TNum>>();
        var phase = new int[3];
        for (phase[0] = 0; phase[0] < s[0]; phase[0]++)
            for (phase[1] = 0; phase[1] < s[1]; phase[1]++)
                for (phase[2] = 0; phase[2] < s[2]; phase[2]++)
                {
                    // The padded positions of this phase that are kept: p = first_d + i·s_d, i < count_d.
                    var first = new int[3];
                    var count = new int[3];
                    for (int d = 0; d < 3; d++)
                    {
                        int lo = zeros ? b[d] : 0, hi = zeros ? b[d] + n[d] : xp.Padded[d];
                        first[d] = lo + ((phase[d] - lo) % s[d] + s[d]) % s[d];
                        count[d] = first[d] < hi ? (hi - 1 - first[d]) / s[d] + 1 : 0;
                    }
                    if (count[0] == 0 || count[1] == 0 || count[2] == 0) continue;
                    // The taps of this phase, in weight order, and their input offsets in the guarded output.
                    var phaseTaps = new List<(int Tap, int Offset)>();
                    for (int t0 = 0; t0 < k[0]; t0++)
                        for (int t1 = 0; t1 < k[1]; t1++)
                            for (int t2 = 0; t2 < k[2]; t2++)
                            {
                                long a0 = (long)t0 * dl[0], a1 = (long)t1 * dl[1], a2 = (long)t2 * dl[2];
                                if (a0 % s[0] != phase[0] || a1 % s[1] != phase[1] || a2 % s[2] != phase[2]) continue;
                                int offset = -(int)((a0 / s[0] * yp.Size[1] + a1 / s[1]) * yp.Size[2] + a2 / s[2]);
                                phaseTaps.Add(((t0 * k[1] + t1) * k[2] + t2, offset));
                            }
                    var offsets = Offsets(cout, yp.ChannelStride, phaseTaps.Select(p => p.Offset).ToArray());
                    var packed = Pack(g, weight, shape, transposed: true, phaseTaps.Select(p => p.Tap).ToArray());
                    // q_d = (first_d − r_d)/s_d + i: the guarded output is read at q + M (minus the tap's shift),
                    // the padded buffer written at (p0·P1 + p1)·s2Q2 + r2·Q2 + q2.
                    var q = new int[3];
                    for (int d = 0; d < 3; d++) q[d] = (first[d] - phase[d]) / s[d];
                    int l1 = yp.Size[1], l2 = yp.Size[2], p1 = xp.Padded[1], row = xp.Row;
                    int inBase = ((q[0] + yp.Guard[0]) * l1 + q[1] + yp.Guard[1]) * l2 + q[2] + yp.Guard[2];
                    if (WritesInput(g))
                    {
                        // Zero padding, stride 1 in the last dimension: padded position p is input position p − b, and
                        // a run of consecutive p is a run of x. Write x itself; no padded buffer, no fold.
                        int outBaseX = ((first[0] - b[0]) * n[1] + first[1] - b[1]) * n[2] + first[2] - b[2];
                        classes.Add(new CorrelationClass<TNum>(offsets, packed, width, count[0], count[1], count[2],
                            inBase, l1 * l2, l2, outBaseX, s[0] * n[1] * n[2], s[1] * n[2]));
                        continue;
                    }
                    int outBase = (first[0] * p1 + first[1]) * row + phase[2] * xp.Phase2 + q[2];
                    classes.Add(new CorrelationClass<TNum>(offsets, packed, width, count[0], count[1], count[2],
                        inBase, l1 * l2, l2, outBase, s[0] * p1 * row, s[1] * row));
                }
        int outStride = WritesInput(g) ? n[0] * n[1] * n[2] : xp.ChannelStride;
        return new CorrelationPlan<TNum>(g.Groups, cout, yp.ChannelStride, cin, outStride, path, shape, classes.ToArray());
    }

    /// <summary>
    /// The forward's steps: the offset in the padded buffer of input channel c (of a group) at tap t, at
    /// <c>[c·taps + t]</c>, from the output row's base. The weight gradient's columns are the same (c, t).
    /// </summary>
    public static int[] ForwardSteps(ConvGeometry g, PaddedLayout xp)
    {
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var dl = ConvGeometry.Pad3(g.Dilation, 1);
        int p1 = xp.Padded[1], row = xp.Row, q2 = xp.Phase2;
        var tapOffset = new int[k[0] * k[1] * k[2]];
        for (int t0 = 0, t = 0; t0 < k[0]; t0++)
            for (int t1 = 0; t1 < k[1]; t1++)
                for (int t2 = 0; t2 < k[2]; t2++, t++)
                {
                    long shift2 = (long)t2 * dl[2];
                    tapOffset[t] = (int)(((long)t0 * dl[0] * p1 + (long)t1 * dl[1]) * row + shift2 % s[2] * q2 + shift2 / s[2]);
                }
        return Offsets(g.InChannels / g.Groups, xp.ChannelStride, tapOffset);
    }

    /// <summary>The input offset of every step, reduction channel r and tap j: r·channelStride + tapOffset[j].</summary>
    private static int[] Offsets(int reduce, int channelStride, int[] tapOffset)
    {
        var offsets = PinnedArray.Zeroed<int>(reduce * tapOffset.Length);
        for (int r = 0; r < reduce; r++)
            for (int j = 0; j < tapOffset.Length; j++) offsets[r * tapOffset.Length + j] = r * channelStride + tapOffset[j];
        return offsets;
    }

    /// <summary>
    /// The weight packed for <paramref name="shape"/> (layout in <see cref="CorrelationClass{TNum}"/>): lane channel l and
    /// reduction channel r are (co, ci) = (l, r) for the forward and (r, l) when <paramref name="transposed"/> (the adjoint);
    /// step j of a reduction channel is tap <paramref name="taps"/>[j].
    /// </summary>
    private static TNum[] Pack<TNum>(ConvGeometry g, ReadOnlySpan<TNum> weight, TileShape shape, bool transposed, int[] taps)
        where TNum : unmanaged, INumberBase<TNum>
    {
        int cin = g.InChannels / g.Groups, cout = g.OutChannels / g.Groups, kernel = g.WeightLength / (g.OutChannels * cin);
        int channels = transposed ? cin : cout, reduce = transposed ? cout : cin, lanes = shape.Channels;
        int blocks = (channels + lanes - 1) / lanes, nt = taps.Length;
        var packed = PinnedArray.Zeroed<TNum>((long)g.Groups * blocks * reduce * nt * lanes);
        for (int grp = 0; grp < g.Groups; grp++)
            for (int l = 0; l < channels; l++)
                for (int r = 0; r < reduce; r++)
                {
                    int co = transposed ? r : l, ci = transposed ? l : r;
                    for (int j = 0; j < nt; j++)
                        packed[((((long)grp * blocks + l / lanes) * reduce + r) * nt + j) * lanes + l % lanes] =
                            weight[((grp * cout + co) * cin + ci) * kernel + taps[j]];
                }
        return packed;
    }

    /// <summary>
    /// Whether <see cref="Adjoint"/> writes the unpadded input layout directly (zero padding and stride 1 in the last
    /// dimension: the conv layers of W1, W3, W5, W6) instead of the padded layout that <see cref="PaddedLayout.Fold"/> reads.
    /// </summary>
    public static bool WritesInput(ConvGeometry g) => g.PaddingMode == PaddingMode.Zeros && g.Stride[^1] == 1;

}
