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

        var f = new ReferenceFrame(g);
        int[] m = f.Out, k = f.Kernel, s = f.Stride, d = f.Dilation;

        // 1. Pad every sample and channel, exactly as F.pad would.
        var padded = new T[f.PaddedSource.Length];
        for (int q = 0; q < padded.Length; q++)
            padded[q] = f.PaddedSource[q] < 0 ? T.AdditiveIdentity : input[f.PaddedSource[q]];

        // 2. Correlate without padding.
        for (int b = 0; b < g.Batch; b++)
            for (int co = 0; co < g.OutChannels; co++)
                for (int o0 = 0; o0 < m[0]; o0++)
                    for (int o1 = 0; o1 < m[1]; o1++)
                        for (int o2 = 0; o2 < m[2]; o2++)
                        {
                            T sum = T.AdditiveIdentity;
                            for (int c = 0; c < f.InputsPerGroup; c++)
                                for (int t0 = 0; t0 < k[0]; t0++)
                                    for (int t1 = 0; t1 < k[1]; t1++)
                                        for (int t2 = 0; t2 < k[2]; t2++)
                                            sum += padded[f.PaddedIndex(b, f.InputChannel(co, c), o0 * s[0] + t0 * d[0], o1 * s[1] + t1 * d[1], o2 * s[2] + t2 * d[2])]
                                                 * weight[f.WeightIndex(co, c, t0, t1, t2)];
                            output[f.OutputIndex(b, co, o0, o1, o2)] = sum;
                        }
    }
}
