using System.Numerics;

namespace ConvAsMatrix.Verification;

/// <summary>
/// Checks an engine's quantized convolution output, ONNX ConvInteger (int32) or QLinearConv (uint8/int8), exactly against
/// <see cref="QuantizedConvolution"/>: integers leave no rounding to argue about, so one element off is a bug or a different
/// rounding rule, and the check says which of the quantized mistakes (<see cref="ConvolutionMistake.Quantized"/>)
/// reproduces the output.
/// </summary>
/// <remarks>
/// The report is <see cref="ConvolutionCheckResult"/>'s with tolerance 0; its errors are absolute (the integer
/// difference), not relative. Reference names what was compared: the int32 accumulation, or the requantized output.
/// </remarks>
public static class QuantizedCheck
{
    /// <summary>Checks a claimed ConvInteger output (the int32 accumulation, plus the bias if one is given).</summary>
    /// <param name="input">x, (N, C_in, *spatial), uint8 or int8.</param>
    /// <param name="weight">w, (C_out, C_in/group, *k), uint8 or int8.</param>
    /// <param name="inputZeroPoint">x_zero_point.</param>
    /// <param name="weightZeroPoint">w_zero_point, per tensor or per output channel.</param>
    /// <param name="claimed">The output to check, as integers.</param>
    /// <param name="bias">B (C_out) added to the accumulation, or null (ONNX's ConvInteger has none).</param>
    /// <param name="options">pads, strides, dilations, group.</param>
    /// <exception cref="ArgumentException">As <see cref="QuantizedConvolution.Accumulate"/>.</exception>
    public static ConvolutionCheckResult ConvInteger<TX, TW>(Tensor<TX> input, Tensor<TW> weight, int inputZeroPoint, ReadOnlySpan<int> weightZeroPoint, Tensor<long> claimed,
        Tensor<int>? bias = null, ConvOptions? options = null)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var expected = QuantizedConvolution.Accumulate(input, weight, [inputZeroPoint], weightZeroPoint, bias, options);
        var (x, w, wZero) = (QuantizedConvolution.Widen(input), QuantizedConvolution.Widen(weight), weightZeroPoint.ToArray());
        var variants = ZeroPointVariants(inputZeroPoint, wZero).Select(z => QuantizedConvolution.AccumulateCore(x, w, z.X, z.W, bias, options));
        return Result("the int32 accumulation", expected, claimed, [(ConvolutionMistake.Quantized[0], variants)]);
    }

    /// <summary>Checks a claimed QLinearConv output: the accumulation plus B, requantized with ONNX's rounding (half to even) and saturated.</summary>
    /// <exception cref="ArgumentException">As <see cref="QuantizedConvolution.QLinearConv"/>.</exception>
    public static ConvolutionCheckResult QLinearConv<TX, TW, TY>(Tensor<TX> input, float inputScale, int inputZeroPoint, Tensor<TW> weight, ReadOnlySpan<float> weightScale, ReadOnlySpan<int> weightZeroPoint,
        float outputScale, int outputZeroPoint, Tensor<TY> claimed, Tensor<int>? bias = null, ConvOptions? options = null)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
        where TY : IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var result = QuantizedConvolution.QLinearConv<TX, TW, TY>(input, inputScale, inputZeroPoint, weight, weightScale, weightZeroPoint, outputScale, outputZeroPoint, bias, options);
        var multipliers = result.Multipliers;
        long min = long.CreateChecked(TY.MinValue), max = long.CreateChecked(TY.MaxValue);
        Tensor<long> Requantize(Tensor<long> acc, MidpointRounding rounding) => QuantizedConvolution.RequantizeCore(acc, multipliers, outputZeroPoint, min, max, rounding);
        var (x, w, wZero) = (QuantizedConvolution.Widen(input), QuantizedConvolution.Widen(weight), weightZeroPoint.ToArray());
        var zeroPoints = ZeroPointVariants(inputZeroPoint, wZero)
            .Select(z => Requantize(QuantizedConvolution.AccumulateCore(x, w, z.X, z.W, bias, options), MidpointRounding.ToEven));
        var rounding = new[] { Requantize(result.Accumulation, MidpointRounding.AwayFromZero) };
        return Result("the requantized output", QuantizedConvolution.Widen(result.Output), QuantizedConvolution.Widen(claimed),
            [(ConvolutionMistake.Quantized[0], zeroPoints), (ConvolutionMistake.Quantized[1], rounding)]);
    }

    /// <summary>The zero points with one or both ignored (set to 0), for those that are not already 0.</summary>
    private static IEnumerable<(int X, int[] W)> ZeroPointVariants(int x, int[] w)
    {
        bool xGiven = x != 0, wGiven = w.Any(z => z != 0);
        int[] none = new int[w.Length];
        if (xGiven) yield return (0, w);
        if (wGiven) yield return (x, none);
        if (xGiven && wGiven) yield return (0, none);
    }

    private static ConvolutionCheckResult Result(string reference, Tensor<long> expected, Tensor<long> claimed,
        IEnumerable<(ConvolutionMistake Mistake, IEnumerable<Tensor<long>> Variants)> mistakes)
    {
        bool sameShape = expected.ShapeArray.SequenceEqual(claimed.ShapeArray);
        long count = 0;
        long worst = -1, maxDifference = 0;
        var channels = new SortedSet<int>();
        int rank = expected.Rank - 2;
        var first = Enumerable.Repeat(int.MaxValue, Math.Max(0, rank)).ToArray();
        var last = Enumerable.Repeat(-1, Math.Max(0, rank)).ToArray();
        if (sameShape)
        {
            int c = expected.Shape[1], plane = expected.Length / Math.Max(1, expected.Shape[0] * c);
            var spatial = expected.ShapeArray[2..];
            for (int i = 0; i < expected.Length; i++)
            {
                long difference = Math.Abs(claimed.Data[i] - expected.Data[i]);
                if (difference == 0) continue;
                count++;
                if (difference > maxDifference) (maxDifference, worst) = (difference, i);
                channels.Add(i / plane % c);
                var position = ConvolutionCheck.Unflatten(i % plane, spatial);
                for (int d = 0; d < rank; d++) (first[d], last[d]) = (Math.Min(first[d], position[d]), Math.Max(last[d], position[d]));
            }
        }
        var reproducing = new List<ConvolutionMistake>();
        if (!sameShape || count > 0)
            foreach (var (mistake, variants) in mistakes)
                if (variants.Any(v => v.ShapeArray.SequenceEqual(claimed.ShapeArray) && v.Data.AsSpan().SequenceEqual(claimed.Data)))
                    reproducing.Add(mistake);
        double error = sameShape ? maxDifference : double.PositiveInfinity;
        return new ConvolutionCheckResult
        {
            Reference = reference,
            ExpectedShape = expected.ShapeArray,
            ClaimedShape = claimed.ShapeArray,
            MaxRelativeError = error,
            MaxAbsoluteError = error,
            Tolerance = 0,
            MismatchCount = count,
            MismatchedChannels = [.. channels],
            FirstMismatch = count == 0 ? [] : first,
            LastMismatch = count == 0 ? [] : last,
            WorstIndex = worst < 0 ? [] : ConvolutionCheck.Unflatten((int)worst, expected.ShapeArray),
            WorstValues = worst < 0 ? (double.NaN, double.NaN) : (claimed.Data[worst], expected.Data[worst]),
            Reproducing = reproducing,
        };
    }
}
