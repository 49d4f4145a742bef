namespace ConvAsMatrix.Onnx;

/// <summary>
/// Where a quantized layer's difference from ONNX Runtime arises, and which known cause reproduces ONNX Runtime's
/// output exactly: each candidate recomputes the whole output another way and counts the elements that still differ.
/// </summary>
/// <remarks>
/// Candidates: for QLinearConv and QDQ, the multipliers and the product in float64 (as ONNX's reference implementation
/// computes, instead of MLAS's float32), and rounding half away from zero (instead of half to even); for uint8 x with
/// int8 w (or int8 x with uint8 w), int16 saturation of adjacent products as AVX2's vpmaddubsw does (<see cref="PairwiseSaturation"/>), in
/// either reduction order. ONNX Runtime's QLinearConv does not expose its accumulation, so the accumulation is judged
/// from the output: an element whose value is no rounding of its exact accumulation (times the multiplier, plus the
/// zero point, saturated) needs a different accumulation.
/// </remarks>
internal static class MismatchCauses
{
    public static string Explain(OnnxConvLayer layer, ConvGeometry g, long[] x, QuantizedReference exact, long[] actual)
    {
        var q = layer.Quantization!;
        var parts = new List<string>();
        if (exact.Multipliers is null)
            parts.Add("ConvInteger's output is its accumulation: the accumulation differs");
        else
            parts.Add(Locate(layer, g, exact, actual));
        var candidates = Candidates(q, g, x, exact).Select(c => (c.Name, Differing: Count(c.Output, actual))).ToArray();
        var reproducing = candidates.Where(c => c.Differing == 0).Select(c => c.Name).ToArray();
        if (reproducing.Length > 0) parts.Add("reproduced exactly by " + string.Join(", and by ", reproducing));
        else if (candidates.Length > 0) parts.Add("not reproduced by " + string.Join(", ", candidates.Select(c => $"{c.Name} ({c.Differing} still differ)")));
        return string.Join("; ", parts);
    }

    private static string Locate(OnnxConvLayer layer, ConvGeometry g, QuantizedReference exact, long[] actual)
    {
        var q = layer.Quantization!;
        var (min, max) = Range(q.OutputType);
        int plane = actual.Length / (g.Batch * g.OutChannels);
        long inAccumulation = 0, atRequantization = 0, ties = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i] == exact.Output[i]) continue;
            float m = exact.Multipliers![i / plane % g.OutChannels];
            double scaled = (float)exact.Accumulation[i] * m;
            double y = scaled + q.OutputZeroPoint!.Value;
            double slack = 0.5 + Math.Abs(scaled) * 1e-6 + 1e-9; // float32 product error, relative 2^-24 per operation
            bool reachable = actual[i] == min ? y <= min + slack : actual[i] == max ? y >= max - slack : Math.Abs(y - actual[i]) <= slack;
            if (!reachable) inAccumulation++;
            else atRequantization++;
            if (reachable && Math.Abs(Math.Abs(scaled - Math.Truncate(scaled)) - 0.5) < 1e-6) ties++;
        }
        string op = layer.Op == OnnxConvOp.QdqConv ? "QDQ conv" : "QLinearConv";
        return $"ONNX Runtime's {op} keeps its accumulation inside: of the {inAccumulation + atRequantization} differing elements, " +
            $"{inAccumulation} are no rounding of the exact accumulation (the accumulation differs) and {atRequantization} are within one rounding of it (requantization{(ties > 0 ? $", {ties} of them at a tie x.5" : "")})";
    }

    private static IEnumerable<(string Name, long[] Output)> Candidates(OnnxQuantization q, ConvGeometry g, long[] x, QuantizedReference exact)
    {
        int plane = exact.Output.Length / (g.Batch * g.OutChannels);
        var (min, max) = Range(q.OutputType);
        if (exact.Multipliers is { } multipliers)
        {
            int zero = q.OutputZeroPoint!.Value;
            yield return ("float64 multipliers and product (as ONNX's reference implementation)", Map(exact.Accumulation, (acc, i) =>
            {
                int m = i / plane % g.OutChannels;
                double multiplier = (double)q.InputScale!.Value * q.WeightScale![q.WeightScale.Count == 1 ? 0 : m] / q.OutputScale!.Value;
                return Math.Clamp((long)Math.Round(acc * multiplier, MidpointRounding.ToEven) + zero, min, max);
            }));
            yield return ("rounding half away from zero", Map(exact.Accumulation, (acc, i) =>
                Math.Clamp((long)MathF.Round((float)acc * multipliers[i / plane % g.OutChannels], MidpointRounding.AwayFromZero) + zero, min, max)));
        }
        // vpmaddubsw multiplies an unsigned byte by a signed one: a kernel uses it when one operand is uint8 and the other int8.
        if (q.InputType == q.WeightType) yield break;
        foreach (var (order, text) in new[] { (PairwiseSaturation.Order.TapThenChannel, "(tap, channel)"), (PairwiseSaturation.Order.ChannelThenTap, "(channel, tap)") })
        {
            var saturated = PairwiseSaturation.Accumulate(g, x, q, order);
            var output = exact.Multipliers is { } mult
                ? Map(saturated, (acc, i) => QuantizedReference.Requantize(acc, mult[i / plane % g.OutChannels], q.OutputZeroPoint!.Value, q.OutputType))
                : saturated;
            yield return ($"int16 saturation of adjacent u8·s8 products in {text} order (vpmaddubsw)", output);
        }
    }

    private static long[] Map(long[] values, Func<long, int, long> f)
    {
        var result = new long[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = f(values[i], i);
        return result;
    }

    private static long Count(long[] a, long[] b)
    {
        long n = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    private static (long Min, long Max) Range(NpyDataType type) => type switch
    {
        NpyDataType.UInt8 => (byte.MinValue, byte.MaxValue),
        NpyDataType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        _ => (int.MinValue, int.MaxValue),
    };
}
