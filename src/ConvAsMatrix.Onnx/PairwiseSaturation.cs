namespace ConvAsMatrix.Onnx;

/// <summary>
/// The accumulation of a u8s8 kernel built on AVX2's <c>vpmaddubsw</c>: it multiplies uint8 by int8 (x by w, or w by x) byte by byte and
/// adds each two adjacent products into an int16, saturating, before widening. Adjacent means neighbours in the
/// kernel's reduction order: (channel, tap) for an NCHW im2col (ConvInteger) or (tap, channel) for NHWC
/// (QLinearConv). Zero points are corrected afterwards, exactly, as MLAS does: Σ(x − x_zp)(w − w_zp) =
/// Σ x·w − w_zp·Σx − x_zp·Σw + K·x_zp·w_zp, where only Σ x·w goes through the int16 pairs.
/// </summary>
/// <remarks>
/// Padding enters the reduction as x = x_zp, as in an im2col buffer. Without saturation this equals the exact
/// accumulation; with it, it is what such a kernel returns, so an engine's output can be compared with it.
/// </remarks>
internal static class PairwiseSaturation
{
    /// <summary>The reduction orders a kernel may pair products in.</summary>
    public enum Order
    {
        /// <summary>k = c·taps + t: NCHW im2col (ONNX Runtime's ConvInteger).</summary>
        ChannelThenTap,
        /// <summary>k = t·channels + c: NHWC (ONNX Runtime's QLinearConv).</summary>
        TapThenChannel,
    }

    /// <summary>(N, M, *out) accumulations, bias included, with adjacent products saturated to int16.</summary>
    public static long[] Accumulate(ConvGeometry g, long[] x, OnnxQuantization q, Order order)
    {
        int rank = g.InputShape.Length - 2;
        int[] input = g.InputShape[2..], output = g.OutputShape[2..], kernel = g.WeightShape[2..];
        int taps = kernel.Aggregate(1, (p, d) => p * d), groupChannels = g.InChannels / g.Groups, perGroup = g.OutChannels / g.Groups;
        int inPlane = input.Aggregate(1, (p, d) => p * d), outPlane = output.Aggregate(1, (p, d) => p * d);
        int k = taps * groupChannels;
        var xs = new long[k];
        var ws = new long[k];
        var result = new long[g.Batch * g.OutChannels * outPlane];
        var o = new int[rank];
        var t = new int[rank];
        for (int n = 0; n < g.Batch; n++)
            for (int m = 0; m < g.OutChannels; m++)
            {
                int group = m / perGroup;
                long wZero = q.WeightZeroPoint[q.WeightZeroPoint.Count == 1 ? 0 : m];
                for (int op = 0; op < outPlane; op++)
                {
                    Unflatten(op, output, o);
                    for (int tp = 0; tp < taps; tp++)
                    {
                        Unflatten(tp, kernel, t);
                        int source = 0;
                        bool inside = true;
                        for (int d = 0; d < rank; d++)
                        {
                            int i = o[d] * g.Stride[d] + t[d] * g.Dilation[d] - g.PaddingBefore[d];
                            inside &= i >= 0 && i < input[d];
                            source = source * input[d] + i;
                        }
                        for (int c = 0; c < groupChannels; c++)
                        {
                            int index = order == Order.ChannelThenTap ? c * taps + tp : tp * groupChannels + c;
                            int channel = group * groupChannels + c;
                            xs[index] = inside ? x[((long)n * g.InChannels + channel) * inPlane + source] : q.InputZeroPoint;
                            ws[index] = q.Weight.Data[((long)m * groupChannels + c) * taps + tp];
                        }
                    }
                    long products = 0, sumX = 0, sumW = 0;
                    for (int j = 0; j < k; j += 2)
                    {
                        long pair = xs[j] * ws[j] + (j + 1 < k ? xs[j + 1] * ws[j + 1] : 0);
                        products += Math.Clamp(pair, short.MinValue, short.MaxValue);
                        sumX += xs[j] + (j + 1 < k ? xs[j + 1] : 0);
                        sumW += ws[j] + (j + 1 < k ? ws[j + 1] : 0);
                    }
                    long bias = q.Bias is { } b ? b[m] : 0;
                    result[((long)n * g.OutChannels + m) * outPlane + op] = products - wZero * sumX - q.InputZeroPoint * sumW + (long)k * q.InputZeroPoint * wZero + bias;
                }
            }
        return result;
    }

    private static void Unflatten(int flat, int[] shape, int[] index)
    {
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
