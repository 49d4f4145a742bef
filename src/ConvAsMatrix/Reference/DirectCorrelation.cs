using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// Direct cross-correlation, PyTorch's <c>conv{1,2,3}d</c> as a textbook writes it (the seed's <c>corr2d</c>,
/// generalised): pad the input, then slide the dilated kernel with the stride. Everything else in the
/// library is checked against this, so it stays plain loops.
/// </summary>
/// <remarks>
/// <c>y[n, co, o] = Σ_{c &lt; C_in/groups} Σ_t xpad[n, g·C_in/groups + c, o·stride + t·dilation] · w[co, c, t]</c>,
/// with g = co / (C_out / groups), and <c>xpad</c> the input padded by the padding mode.
/// A rank below three is run as three dimensions with leading size-one axes.
/// </remarks>
public static class DirectCorrelation
{
    /// <summary>output = conv(input, weight) for the geometry's whole batch.</summary>
    /// <param name="geometry">The convolution.</param>
    /// <param name="input">(N, C_in, *in) row-major.</param>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    /// <param name="output">(N, C_out, *out) row-major, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length disagrees with the geometry, or the padded input would be beyond int32 elements.</exception>
    public static void Apply<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, Span<T> output)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var g = geometry;
        Check.SpanLength(input.Length, g.Batch * g.InputLength, nameof(input));
        Check.SpanLength(weight.Length, g.WeightLength, nameof(weight));
        Check.SpanLength(output.Length, g.Batch * g.OutputLength, nameof(output));

        var m = ConvGeometry.Pad3(g.OutputSize, 1);
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var s = ConvGeometry.Pad3(g.Stride, 1);
        var d = ConvGeometry.Pad3(g.Dilation, 1);
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;

        // 1. Pad every sample and channel, exactly as F.pad would.
        var (offsets, p) = ReferencePadding.Offsets(g);
        int p0 = p[0], p1 = p[1], p2 = p[2];
        var padded = new T[offsets.Length];
        for (int q = 0; q < offsets.Length; q++)
            padded[q] = offsets[q] < 0 ? T.AdditiveIdentity : input[offsets[q]];

        // 2. Correlate without padding.
        for (int b = 0; b < g.Batch; b++)
            for (int co = 0; co < g.OutChannels; co++)
                for (int o0 = 0; o0 < m[0]; o0++)
                    for (int o1 = 0; o1 < m[1]; o1++)
                        for (int o2 = 0; o2 < m[2]; o2++)
                        {
                            T sum = T.AdditiveIdentity;
                            for (int c = 0; c < cig; c++)
                            {
                                int ci = co / cog * cig + c;
                                for (int t0 = 0; t0 < k[0]; t0++)
                                    for (int t1 = 0; t1 < k[1]; t1++)
                                        for (int t2 = 0; t2 < k[2]; t2++)
                                        {
                                            int q0 = o0 * s[0] + t0 * d[0], q1 = o1 * s[1] + t1 * d[1], q2 = o2 * s[2] + t2 * d[2];
                                            sum += padded[(((b * g.InChannels + ci) * p0 + q0) * p1 + q1) * p2 + q2]
                                                 * weight[(((co * cig + c) * k[0] + t0) * k[1] + t1) * k[2] + t2];
                                        }
                            }
                            output[(((b * g.OutChannels + co) * m[0] + o0) * m[1] + o1) * m[2] + o2] = sum;
                        }
    }
}
