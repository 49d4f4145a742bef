using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// Direct transposed convolution by scattering, the seed's <c>trans_conv</c> (<c>Y[i:i+h, j:j+w] += X[i, j]·K</c>)
/// generalised to every rank, channels, groups, stride, dilation, padding, output_padding and padding mode.
/// Everything else in the library is checked against this, so it stays plain loops.
/// </summary>
/// <remarks>
/// Each element <c>x[n, co, i]</c> of the transposed convolution's input adds <c>x·w[co, c, t]</c> to the padded
/// output at <c>i·stride + t·dilation</c>, for every tap t and every channel c of co's group. The padded output
/// then gives back what padding took: zeros padding crops it; reflect, replicate and circular padding add each
/// padded position into the input element it copied (the adjoint of F.pad). The geometry is the forward
/// convolution's (<see cref="ConvGeometry.ForConvTranspose"/>), so <c>x</c> has its output shape and the result its input shape.
/// </remarks>
public static class DirectScatter
{
    /// <summary>output = conv_transpose(input, weight) for the geometry's whole batch.</summary>
    /// <param name="geometry">The forward convolution being transposed.</param>
    /// <param name="input">(N, C_out, *out) of the forward convolution, row-major.</param>
    /// <param name="weight">(C_out, C_in / groups, *k): PyTorch's ConvTranspose weight (C_in_t, C_out_t / groups, *k).</param>
    /// <param name="output">(N, C_in, *in) of the forward convolution, overwritten.</param>
    /// <exception cref="ArgumentException">A span's length disagrees with the geometry, or the padded input would be beyond int32 elements.</exception>
    public static void Apply<T>(ConvGeometry geometry, ReadOnlySpan<T> input, ReadOnlySpan<T> weight, Span<T> output)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var g = geometry;
        Check.SpanLength(input.Length, g.Batch * g.OutputLength, nameof(input));
        Check.SpanLength(weight.Length, g.WeightLength, nameof(weight));
        Check.SpanLength(output.Length, g.Batch * g.InputLength, nameof(output));

        var f = new ReferenceFrame(g);
        int[] m = f.Out, k = f.Kernel, s = f.Stride, d = f.Dilation;

        // 1. Scatter every input element times the kernel into the padded output: Y[window] += X[i]·K.
        var padded = new T[f.PaddedSource.Length];
        Array.Fill(padded, T.AdditiveIdentity);
        for (int b = 0; b < g.Batch; b++)
            for (int co = 0; co < g.OutChannels; co++)
                for (int i0 = 0; i0 < m[0]; i0++)
                    for (int i1 = 0; i1 < m[1]; i1++)
                        for (int i2 = 0; i2 < m[2]; i2++)
                        {
                            T x = input[f.OutputIndex(b, co, i0, i1, i2)];
                            for (int c = 0; c < f.InputsPerGroup; c++)
                                for (int t0 = 0; t0 < k[0]; t0++)
                                    for (int t1 = 0; t1 < k[1]; t1++)
                                        for (int t2 = 0; t2 < k[2]; t2++)
                                            padded[f.PaddedIndex(b, f.InputChannel(co, c), i0 * s[0] + t0 * d[0], i1 * s[1] + t1 * d[1], i2 * s[2] + t2 * d[2])]
                                                += x * weight[f.WeightIndex(co, c, t0, t1, t2)];
                        }

        // 2. Give back what padding took: crop (zeros) or fold each padded position onto the element it copied.
        output.Fill(T.AdditiveIdentity);
        for (int q = 0; q < padded.Length; q++)
            if (f.PaddedSource[q] >= 0) output[f.PaddedSource[q]] += padded[q];
    }
}
