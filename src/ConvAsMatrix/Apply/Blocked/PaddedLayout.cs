using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// One sample of the forward input padded as <c>F.pad(x, pad, mode)</c> does it, with the last dimension split
/// into its stride phases: the buffer both directions of <see cref="BlockedConvolution{T}"/> work in.
/// </summary>
/// <remarks>
/// <para>Layout (C_in, P0, P1, s2·Q2) with P_d = n_d + before_d + after_d and Q2 = ⌈P2 / s2⌉: padded position
/// p2 of a row lives at <c>(p2 mod s2)·Q2 + p2 / s2</c>. With stride 1 that is the plain padded row. With stride
/// s2 = 2 the row <c>a b c d e f g</c> is stored <c>a c e g | b d f ·</c>: output position o reads padded
/// p2 = o·s2 + t·d2, which is element o + ⌊t·d2 / s2⌋ of phase (t·d2) mod s2, so consecutive outputs read
/// consecutive elements and one vector load serves 8 of them.</para>
/// <para>Forward: <see cref="Pad"/> fills the buffer from x, then a valid correlation reads it. Adjoint: the
/// correlation writes the buffer (the adjoint of that valid correlation), then <see cref="Fold"/> applies the
/// adjoint of the padding: zeros drop, reflect/replicate/circular add onto the element they copied.</para>
/// </remarks>
internal sealed unsafe class PaddedLayout
{
    private readonly int[] n, before, padded, source0, source1, source2, index2;

    public PaddedLayout(ConvGeometry g, int slack)
    {
        n = ConvGeometry.Pad3(g.InputSize, 1);
        before = ConvGeometry.Pad3(g.PaddingBefore, 0);
        var after = ConvGeometry.Pad3(g.PaddingAfter, 0);
        int s2 = ConvGeometry.Pad3(g.Stride, 1)[2];
        Mode = g.PaddingMode;
        Channels = g.InChannels;
        padded = new int[3];
        for (int d = 0; d < 3; d++)
            padded[d] = Check.Length("the padded input of the blocked kernel", (long)n[d] + before[d] + after[d]);
        Stride2 = s2;
        Phase2 = (int)(((long)padded[2] + s2 - 1) / s2);
        Row = Check.Length("the padded input of the blocked kernel", (long)s2 * Phase2);
        ChannelStride = Check.Length("the padded input of the blocked kernel", padded[0], padded[1], Row);
        Length = Check.Length("the padded input of the blocked kernel", (long)Check.Length("the padded input of the blocked kernel", Channels, ChannelStride) + slack);
        source0 = Sources(0, padded[0]);
        source1 = Sources(1, padded[1]);
        source2 = Sources(2, Row); // positions past P2 (the gaps of the last phases) read nothing
        index2 = new int[Row];
        for (int p = 0; p < Row; p++) index2[p] = p % s2 * Phase2 + p / s2;
    }

    private int[] Sources(int d, int count)
    {
        var s = new int[count];
        for (int p = 0; p < count; p++)
            s[p] = p < padded[d] ? SamplingMap.SourceIndex(p - before[d], n[d], Mode) : -1;
        return s;
    }

    public PaddingMode Mode { get; }

    public int Channels { get; }

    /// <summary>P_d: the padded size per dimension.</summary>
    public IReadOnlyList<int> Padded => padded;

    /// <summary>s2, the stride of the last dimension.</summary>
    public int Stride2 { get; }

    /// <summary>Q2 = ⌈P2 / s2⌉: elements per phase.</summary>
    public int Phase2 { get; }

    /// <summary>s2·Q2: elements per row.</summary>
    public int Row { get; }

    /// <summary>P0·P1·s2·Q2: elements per channel.</summary>
    public int ChannelStride { get; }

    /// <summary>Elements of the buffer, slack included.</summary>
    public int Length { get; }

    /// <summary>Where padded position p2 of a row is stored.</summary>
    public int Index2(int p2) => index2[p2];

    /// <summary>buffer = pad(x) for one sample; every element of the buffer is written (gaps and slack with zero).</summary>
    public void Pad<TNum>(TNum* x, TNum* buffer) where TNum : unmanaged, INumberBase<TNum>
    {
        int rows = Channels * padded[0] * padded[1];
        fixed (int* s0 = source0, s1 = source1, s2 = source2, i2 = index2)
            ParallelRows.For(rows, Row, new PadRows<TNum>(this, x, buffer, s0, s1, s2, i2));
        new Span<TNum>(buffer + (long)rows * Row, Length - rows * Row).Clear();
    }

    /// <summary>x = padᵀ(buffer) for one sample (overwritten): each element of x gets the sum of the padded positions that copy it.</summary>
    public void Fold<TNum>(TNum* buffer, TNum* x) where TNum : unmanaged, INumberBase<TNum>
    {
        fixed (int* s0 = source0, s1 = source1, s2 = source2, i2 = index2)
        {
            if (Mode == PaddingMode.Zeros)
                ParallelRows.For(Channels * n[0] * n[1], n[2], new CropRows<TNum>(this, buffer, x, i2));
            else
                // Rows of one channel can fold onto the same row of x (reflect, replicate, circular): threads split channels only.
                ParallelRows.For(Channels, (long)padded[0] * padded[1] * padded[2], new FoldChannels<TNum>(this, buffer, x, s0, s1, s2, i2));
        }
    }

    private readonly struct PadRows<TNum>(PaddedLayout l, TNum* x, TNum* buffer, int* s0, int* s1, int* s2, int* i2) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int p0n = l.padded[0], p1n = l.padded[1], row = l.Row, n2 = l.n[2], b2 = l.before[2];
            bool plain = l.Stride2 == 1 && l.Mode == PaddingMode.Zeros;
            for (int r = start; r < end; r++)
            {
                int c = r / (p0n * p1n), p0 = r / p1n % p0n, p1 = r % p1n;
                var dst = new Span<TNum>(buffer + (long)r * row, row);
                int i0 = s0[p0], i1 = s1[p1];
                if (i0 < 0 || i1 < 0)
                {
                    dst.Clear();
                    continue;
                }
                TNum* src = x + (((long)c * l.n[0] + i0) * l.n[1] + i1) * n2;
                if (plain)
                {
                    dst[..b2].Clear();
                    new ReadOnlySpan<TNum>(src, n2).CopyTo(dst[b2..]);
                    dst[(b2 + n2)..].Clear();
                    continue;
                }
                TNum* d = buffer + (long)r * row;
                for (int p2 = 0; p2 < row; p2++)
                {
                    int i = s2[p2];
                    d[i2[p2]] = i >= 0 ? src[i] : TNum.Zero;
                }
            }
        }
    }

    private readonly struct CropRows<TNum>(PaddedLayout l, TNum* buffer, TNum* x, int* i2) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int n0 = l.n[0], n1 = l.n[1], n2 = l.n[2], b2 = l.before[2];
            for (int r = start; r < end; r++)
            {
                int c = r / (n0 * n1), j0 = r / n1 % n0, j1 = r % n1;
                TNum* src = buffer + (((long)c * l.padded[0] + j0 + l.before[0]) * l.padded[1] + j1 + l.before[1]) * l.Row;
                TNum* dst = x + (long)r * n2;
                if (l.Stride2 == 1)
                    new ReadOnlySpan<TNum>(src + b2, n2).CopyTo(new Span<TNum>(dst, n2));
                else
                    for (int j2 = 0; j2 < n2; j2++) dst[j2] = src[i2[j2 + b2]];
            }
        }
    }

    private readonly struct FoldChannels<TNum>(PaddedLayout l, TNum* buffer, TNum* x, int* s0, int* s1, int* s2, int* i2) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int n0 = l.n[0], n1 = l.n[1], n2 = l.n[2], p0n = l.padded[0], p1n = l.padded[1], p2n = l.padded[2];
            long channel = (long)n0 * n1 * n2;
            for (int c = start; c < end; c++)
            {
                new Span<TNum>(x + c * channel, (int)channel).Clear();
                for (int p0 = 0; p0 < p0n; p0++)
                {
                    int j0 = s0[p0];
                    if (j0 < 0) continue;
                    for (int p1 = 0; p1 < p1n; p1++)
                    {
                        int j1 = s1[p1];
                        if (j1 < 0) continue;
                        TNum* src = buffer + (((long)c * p0n + p0) * p1n + p1) * l.Row;
                        TNum* dst = x + c * channel + ((long)j0 * n1 + j1) * n2;
                        for (int p2 = 0; p2 < p2n; p2++)
                        {
                            int j2 = s2[p2];
                            if (j2 >= 0) dst[j2] += src[i2[p2]];
                        }
                    }
                }
            }
        }
    }
}
