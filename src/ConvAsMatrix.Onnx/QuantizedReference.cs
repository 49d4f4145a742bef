namespace ConvAsMatrix.Onnx;

/// <summary>
/// A quantized layer computed exactly by <see cref="QuantizedConvolution"/> on the integer input ONNX Runtime fed it:
/// the accumulation Σ(x − x_zp)(w − w_zp) + B in long, the float32 multipliers, and the output as ONNX specifies it
/// (ConvInteger: the accumulation; QLinearConv and QDQ: requantized, round half to even, saturated).
/// </summary>
internal sealed record QuantizedReference(long[] Accumulation, float[]? Multipliers, long[] Output)
{
    /// <exception cref="ArgumentException">The input's element type is not the layer's, or the library refuses the layer.</exception>
    public static QuantizedReference Compute(OnnxConvLayer layer, NpyArray input)
    {
        var q = layer.Quantization!;
        if (input.DataType != q.InputType)
            throw new ArgumentException($"ONNX Runtime fed the layer {input.DataType}, the model says {q.InputType}", nameof(input));
        var options = OnnxGeometry.ForwardOptions(layer);
        return (q.InputType, q.WeightType) switch
        {
            (NpyDataType.UInt8, NpyDataType.UInt8) => Compute<byte, byte>(input.As<byte>(), q, options),
            (NpyDataType.UInt8, _) => Compute<byte, sbyte>(input.As<byte>(), q, options),
            (_, NpyDataType.UInt8) => Compute<sbyte, byte>(input.As<sbyte>(), q, options),
            _ => Compute<sbyte, sbyte>(input.As<sbyte>(), q, options),
        };
    }

    /// <summary>One accumulation requantized as ONNX specifies and MLAS computes it (<see cref="QuantizedConvolution.Requantize{TY}"/>).</summary>
    public static long Requantize(long accumulation, float multiplier, int zeroPoint, NpyDataType outputType) => outputType == NpyDataType.UInt8
        ? QuantizedConvolution.Requantize<byte>(accumulation, multiplier, zeroPoint)
        : QuantizedConvolution.Requantize<sbyte>(accumulation, multiplier, zeroPoint);

    private static QuantizedReference Compute<TX, TW>(Tensor<TX> x, OnnxQuantization q, ConvOptions options)
        where TX : System.Numerics.IBinaryInteger<TX>, System.Numerics.IMinMaxValue<TX>
        where TW : System.Numerics.IBinaryInteger<TW>, System.Numerics.IMinMaxValue<TW>
    {
        var w = NpyArray.Narrow(q.Weight, q.WeightType).As<TW>();
        var wZero = q.WeightZeroPoint.ToArray();
        if (q.OutputType == NpyDataType.Int32)
        {
            var acc = QuantizedConvolution.Accumulate(x, w, [q.InputZeroPoint], wZero, null, options);
            return new QuantizedReference(acc.Data, null, acc.Data);
        }
        var bias = q.Bias is { } b ? new Tensor<int>(b.ToArray(), b.Count) : null;
        var wScale = q.WeightScale!.ToArray();
        if (q.OutputType == NpyDataType.UInt8)
        {
            var r = QuantizedConvolution.QLinearConv<TX, TW, byte>(x, q.InputScale!.Value, q.InputZeroPoint, w, wScale, wZero, q.OutputScale!.Value, q.OutputZeroPoint!.Value, bias, options);
            return new QuantizedReference(r.Accumulation.Data, r.Multipliers, Array.ConvertAll(r.Output.Data, v => (long)v));
        }
        var s = QuantizedConvolution.QLinearConv<TX, TW, sbyte>(x, q.InputScale!.Value, q.InputZeroPoint, w, wScale, wZero, q.OutputScale!.Value, q.OutputZeroPoint!.Value, bias, options);
        return new QuantizedReference(s.Accumulation.Data, s.Multipliers, Array.ConvertAll(s.Output.Data, v => (long)v));
    }
}
