using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// One sample of the forward output y with a guard of zeros around every spatial dimension: the input buffer of
/// the adjoint's correlation, so that every tap may read it without a bounds test.
/// </summary>
/// <remarks>
/// Layout (C_out, L0, L1, L2), L_d = Q_d + M_d, with y at [M_d, M_d + out_d) and zeros elsewhere. The adjoint
/// computes padded position p = q·s + r as Σ over taps t with t·dilation ≡ r (mod s) of y[q − ⌊t·dilation / s⌋]:
/// the shifts are at most M_d = ⌊(k_d − 1)·dilation_d / s_d⌋ and q &lt; Q_d = ⌈P_d / s_d⌉, so indices
/// q − shift + M_d stay in [0, L_d), and out_d ≤ Q_d, so y fits.
/// </remarks>
internal sealed unsafe class GuardedOutput
{
    private readonly int[] output, guard, size;

    public GuardedOutput(ConvGeometry g, int slack)
    {
        output = ConvGeometry.Pad3(g.OutputSize, 1);
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var dl = ConvGeometry.Pad3(g.Dilation, 1);
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        var b = ConvGeometry.Pad3(g.PaddingBefore, 0);
        var a = ConvGeometry.Pad3(g.PaddingAfter, 0);
        guard = new int[3];
        size = new int[3];
        Phases = new int[3];
        for (int d = 0; d < 3; d++)
        {
            long p = (long)n[d] + b[d] + a[d];
            Phases[d] = (int)((p + s[d] - 1) / s[d]);
            guard[d] = (int)((long)(k[d] - 1) * dl[d] / s[d]);
            size[d] = Check.Length("the guarded output of the blocked kernel", (long)Phases[d] + guard[d]);
        }
        Channels = g.OutChannels;
        ChannelStride = Check.Length("the guarded output of the blocked kernel", size[0], size[1], size[2]);
        Length = Check.Length("the guarded output of the blocked kernel", (long)Check.Length("the guarded output of the blocked kernel", Channels, ChannelStride) + slack);
    }

    public int Channels { get; }

    /// <summary>Q_d = ⌈P_d / s_d⌉.</summary>
    public int[] Phases { get; }

    /// <summary>M_d, the zeros before y in dimension d.</summary>
    public IReadOnlyList<int> Guard => guard;

    /// <summary>L_d = Q_d + M_d.</summary>
    public IReadOnlyList<int> Size => size;

    public int ChannelStride { get; }

    public int Length { get; }

    /// <summary>buffer = y with its guard of zeros, for one sample; every element written.</summary>
    public void Fill<TNum>(TNum* y, TNum* buffer) where TNum : unmanaged, INumberBase<TNum>
    {
        int rows = Channels * size[0] * size[1];
        ParallelRows.For(rows, size[2], new FillRows<TNum>(this, y, buffer));
        new Span<TNum>(buffer + (long)rows * size[2], Length - rows * size[2]).Clear();
    }

    private readonly struct FillRows<TNum>(GuardedOutput o, TNum* y, TNum* buffer) : IRowOperation
        where TNum : unmanaged, INumberBase<TNum>
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            int l0 = o.size[0], l1 = o.size[1], l2 = o.size[2], m2 = o.guard[2], out2 = o.output[2];
            for (int r = start; r < end; r++)
            {
                int c = r / (l0 * l1), j0 = r / l1 % l0 - o.guard[0], j1 = r % l1 - o.guard[1];
                var dst = new Span<TNum>(buffer + (long)r * l2, l2);
                if (j0 < 0 || j0 >= o.output[0] || j1 < 0 || j1 >= o.output[1])
                {
                    dst.Clear();
                    continue;
                }
                dst[..m2].Clear();
                new ReadOnlySpan<TNum>(y + (((long)c * o.output[0] + j0) * o.output[1] + j1) * out2, out2).CopyTo(dst[m2..]);
                dst[(m2 + out2)..].Clear();
            }
        }
    }
}
