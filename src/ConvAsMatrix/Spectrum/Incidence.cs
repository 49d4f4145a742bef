namespace ConvAsMatrix.Spectrum;

/// <summary>Which input position each output position reads through each tap (the sampling map of the padding, per
/// dimension): V's spatial pattern, from which <see cref="DenseNorm"/> forms its Gram matrices.</summary>
internal static class Incidence
{
    /// <summary>Per output position o, the pairs (tap, input position) it reads (<paramref name="byOutput"/>); otherwise
    /// per input position i, the pairs (tap, output position) that read it. Positions and taps are flat over three dimensions.</summary>
    public static List<(int Tap, int Position)>[] Lists(ConvGeometry g, bool byOutput)
    {
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        var m = ConvGeometry.Pad3(g.OutputSize, 1);
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var d = ConvGeometry.Pad3(g.Dilation, 1);
        var b = ConvGeometry.Pad3(g.PaddingBefore, 0);
        var lists = new List<(int, int)>[byOutput ? m[0] * m[1] * m[2] : n[0] * n[1] * n[2]];
        for (int i = 0; i < lists.Length; i++) lists[i] = [];
        for (int o0 = 0, o = 0; o0 < m[0]; o0++)
            for (int o1 = 0; o1 < m[1]; o1++)
                for (int o2 = 0; o2 < m[2]; o2++, o++)
                    for (int t0 = 0, t = 0; t0 < k[0]; t0++)
                        for (int t1 = 0; t1 < k[1]; t1++)
                            for (int t2 = 0; t2 < k[2]; t2++, t++)
                            {
                                int i0 = Source(o0, t0, 0), i1 = Source(o1, t1, 1), i2 = Source(o2, t2, 2);
                                if (i0 < 0 || i1 < 0 || i2 < 0) continue;
                                int i = (i0 * n[1] + i1) * n[2] + i2;
                                if (byOutput) lists[o].Add((t, i));
                                else lists[i].Add((t, o));
                            }
        return lists;

        int Source(int o, int t, int dim) => SamplingMap.SourceIndex((long)o * s[dim] + (long)t * d[dim] - b[dim], n[dim], g.PaddingMode);
    }
}
