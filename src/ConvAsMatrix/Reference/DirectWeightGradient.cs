using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The weight gradient of a convolution as a textbook writes it: pad the input, then, for every weight element,
/// add up the output gradient times the input element that weight multiplied. PyTorch's
/// <c>torch.nn.grad.conv{1,2,3}d_weight</c>. Everything else that computes a weight gradient is checked against
/// this, so it stays plain loops.
/// </summary>
/// <remarks>
/// <c>gw[co, c, t] = Σ_n Σ_o grad_output[n, co, o] · xpad[n, g·C_in/groups + c, o·stride + t·dilation]</c>, with
/// g = co / (C_out / groups) and <c>xpad</c> the input padded by the padding mode: the same terms as
/// <see cref="DirectCorrelation"/>, summed over the other index. A rank below three is run as three dimensions with
/// leading size-one axes. For a transposed convolution (geometry from <see cref="ConvGeometry.ForConvTranspose"/>)
/// its weight gradient is this with the roles exchanged: <c>input</c> is the gradient of its output and
/// <c>gradOutput</c> its input.
/// </remarks>
public static class DirectWeightGradient
{
    /// <summary>weightGradient = Σ_n U(input[n])ᵀ·gradOutput[n] for the geometry's whole batch.</summary>
    /// <param name="geometry">The convolution.</param>
    /// <param name="input">(N, C_in, *in) row-major.</param>
    /// <param name="gradOutput">(N, C_out, *out) row-major.</param>
    /// <param name="weightGradient">(C_out, C_in / groups, *k) row-major, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length disagrees with the geometry, or the padded input would be beyond int32 elements.</exception>
    public static void Apply<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> gradOutput, Span<T> weightGradient)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var g = geometry;
        Check.SpanLength(input.Length, g.Batch * g.InputLength, nameof(input));
        Check.SpanLength(gradOutput.Length, g.Batch * g.OutputLength, nameof(gradOutput));
        Check.SpanLength(weightGradient.Length, g.WeightLength, nameof(weightGradient));

        var f = new ReferenceFrame(g);
        int[] m = f.Out, k = f.Kernel, s = f.Stride, d = f.Dilation;

        // 1. Pad every sample and channel, exactly as F.pad would.
        var padded = new T[f.PaddedSource.Length];
        for (int q = 0; q < padded.Length; q++)
            padded[q] = f.PaddedSource[q] < 0 ? T.AdditiveIdentity : input[f.PaddedSource[q]];

        // 2. Each weight element collects every product it took part in.
        for (int co = 0; co < g.OutChannels; co++)
            for (int c = 0; c < f.InputsPerGroup; c++)
                for (int t0 = 0; t0 < k[0]; t0++)
                    for (int t1 = 0; t1 < k[1]; t1++)
                        for (int t2 = 0; t2 < k[2]; t2++)
                        {
                            T sum = T.AdditiveIdentity;
                            for (int b = 0; b < g.Batch; b++)
                                for (int o0 = 0; o0 < m[0]; o0++)
                                    for (int o1 = 0; o1 < m[1]; o1++)
                                        for (int o2 = 0; o2 < m[2]; o2++)
                                            sum += gradOutput[f.OutputIndex(b, co, o0, o1, o2)]
                                                 * padded[f.PaddedIndex(b, f.InputChannel(co, c), o0 * s[0] + t0 * d[0], o1 * s[1] + t1 * d[1], o2 * s[2] + t2 * d[2])];
                            weightGradient[f.WeightIndex(co, c, t0, t1, t2)] = sum;
                        }
    }
}
