using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// ONNX's quantized convolutions computed exactly: <c>ConvInteger</c> (int32 accumulation of zero-point-shifted 8-bit
/// inputs and weights) and <c>QLinearConv</c> (that accumulation plus an int32 bias, requantized to 8 bits), with the
/// geometry of <see cref="ConvGeometry.ForConv"/> (pads, strides, dilations, group, auto_pad through <see cref="ConvOptions"/>).
/// </summary>
/// <remarks>
/// <para>Accumulation: <c>acc[n, m, o] = Σ_{c, t} (x[n, ci, o·s + t·d] − x_zero_point)·(w[m, c, t] − w_zero_point[m]) (+ B[m])</c>,
/// computed in long through V, so it is exact whatever the reduction's length; zero padding pads x − x_zero_point with
/// zeros, i.e. x with its zero point, as ONNX specifies.</para>
/// <para>Requantization (QLinearConv): <c>y = saturate(round_half_even(float(acc) · M[m]) + y_zero_point)</c> with
/// <c>M[m] = x_scale · w_scale[m] / y_scale</c> evaluated in float32, left to right, as ONNX Runtime's MLAS does; float(acc)
/// rounds accumulations beyond 2^24 to float32 first. The ONNX reference implementation multiplies in float64 instead:
/// the two differ only where float32 rounding moves a product across a half-integer, and <see cref="QLinearConvResult{TY}"/>
/// exposes the accumulation and the multipliers so a mismatch can be placed before or after requantization.</para>
/// <para>Zero points and scales: per tensor (one value) or, for the weight, per output channel (C_out values).</para>
/// </remarks>
public static class QuantizedConvolution
{
    /// <summary>
    /// The exact accumulation <c>Σ (x − x_zp)(w − w_zp)</c> (+ bias) for every output element, in long: ConvInteger's
    /// output before it is stored in int32, QLinearConv's before requantization.
    /// </summary>
    /// <param name="input">x, (N, C_in, *spatial): uint8 or int8 values.</param>
    /// <param name="weight">w, (C_out, C_in / group, *k): uint8 or int8 values.</param>
    /// <param name="inputZeroPoint">x_zero_point: one value, in x's type's range.</param>
    /// <param name="weightZeroPoint">w_zero_point: one value, or C_out values (per output channel).</param>
    /// <param name="bias">B, (C_out) int32 values, or null.</param>
    /// <param name="options">pads, strides, dilations, group, auto_pad.</param>
    /// <returns>(N, C_out, *out).</returns>
    /// <exception cref="ArgumentException">A type is not uint8/int8, a zero point is out of its type's range or has the wrong count, a shape or hyperparameter is invalid.</exception>
    public static Tensor<long> Accumulate<TX, TW>(Tensor<TX> input, Tensor<TW> weight, ReadOnlySpan<int> inputZeroPoint, ReadOnlySpan<int> weightZeroPoint, Tensor<int>? bias = null, ConvOptions? options = null)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckEightBit<TX>("x");
        CheckEightBit<TW>("w");
        var g = ConvGeometry.ForConv(input.ShapeArray, weight.ShapeArray, options);
        CheckZeroPoints<TX>(inputZeroPoint, 1, "x_zero_point", "x");
        CheckZeroPoints<TW>(weightZeroPoint, g.OutChannels, "w_zero_point", "w");
        if (bias is not null) Check.Shape(bias.Shape, [g.OutChannels], "B");

        return AccumulateCore(Widen(input), Widen(weight), inputZeroPoint[0], weightZeroPoint, bias, options);
    }

    /// <summary>The accumulation of operands already widened to long and checked: the one place it is computed.</summary>
    internal static Tensor<long> AccumulateCore(Tensor<long> input, Tensor<long> weight, int inputZeroPoint, ReadOnlySpan<int> weightZeroPoint, Tensor<int>? bias, ConvOptions? options)
    {
        var x = Array.ConvertAll(input.Data, v => v - inputZeroPoint);
        var w = new long[weight.Length];
        int outChannels = weight.Shape[0], perChannel = weight.Length / outChannels;
        for (int i = 0; i < w.Length; i++)
            w[i] = weight.Data[i] - weightZeroPoint[weightZeroPoint.Length == 1 ? 0 : i / perChannel];
        var longBias = bias is null ? null : new Tensor<long>(Array.ConvertAll(bias.Data, v => (long)v), outChannels);
        // Zero padding of x − x_zp is padding x with x_zp, as ONNX's ConvInteger specifies.
        return Functional.Conv(new Tensor<long>(x, input.ShapeArray), new Tensor<long>(w, weight.ShapeArray), longBias, options);
    }

    internal static Tensor<long> Widen<T>(Tensor<T> t) where T : IBinaryInteger<T> => new(Array.ConvertAll(t.Data, long.CreateChecked), t.ShapeArray);

    /// <summary>ONNX ConvInteger: the exact accumulation stored as int32.</summary>
    /// <exception cref="ArgumentException">As <see cref="Accumulate"/>, or an accumulation does not fit int32 (the message names the element and value: an engine would wrap there).</exception>
    public static Tensor<int> ConvInteger<TX, TW>(Tensor<TX> input, Tensor<TW> weight, ReadOnlySpan<int> inputZeroPoint, ReadOnlySpan<int> weightZeroPoint, ConvOptions? options = null)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        var acc = Accumulate(input, weight, inputZeroPoint, weightZeroPoint, null, options);
        int beyond = Array.FindIndex(acc.Data, v => v < int.MinValue || v > int.MaxValue);
        if (beyond >= 0)
            throw new ArgumentException($"ConvInteger's accumulation at element {beyond} is {acc.Data[beyond]}, beyond int32: the output type cannot hold it", "weight");
        return new Tensor<int>(Array.ConvertAll(acc.Data, v => (int)v), acc.ShapeArray);
    }

    /// <summary>ONNX QLinearConv: the exact accumulation plus bias, requantized to TY (uint8 or int8).</summary>
    /// <param name="input">x, (N, C_in, *spatial), uint8 or int8.</param>
    /// <param name="inputScale">x_scale (float32, positive).</param>
    /// <param name="inputZeroPoint">x_zero_point.</param>
    /// <param name="weight">w, (C_out, C_in / group, *k), uint8 or int8.</param>
    /// <param name="weightScale">w_scale: one value or C_out values.</param>
    /// <param name="weightZeroPoint">w_zero_point: one value or C_out values.</param>
    /// <param name="outputScale">y_scale (float32, positive).</param>
    /// <param name="outputZeroPoint">y_zero_point, in TY's range.</param>
    /// <param name="bias">B, (C_out) int32, or null.</param>
    /// <param name="options">pads, strides, dilations, group, auto_pad.</param>
    /// <exception cref="ArgumentException">A type, zero point, scale, shape or hyperparameter is invalid.</exception>
    public static QLinearConvResult<TY> QLinearConv<TX, TW, TY>(Tensor<TX> input, float inputScale, int inputZeroPoint, Tensor<TW> weight, ReadOnlySpan<float> weightScale, ReadOnlySpan<int> weightZeroPoint,
        float outputScale, int outputZeroPoint, Tensor<int>? bias = null, ConvOptions? options = null)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
        where TY : IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        CheckEightBit<TY>("y");
        CheckZeroPoints<TY>([outputZeroPoint], 1, "y_zero_point", "y");
        CheckScale(inputScale, "x_scale");
        CheckScale(outputScale, "y_scale");
        var acc = Accumulate(input, weight, [inputZeroPoint], weightZeroPoint, bias, options);
        var multipliers = Multipliers(inputScale, weightScale, outputScale, acc.Shape[1]);
        var y = RequantizeCore(acc, multipliers, outputZeroPoint, long.CreateChecked(TY.MinValue), long.CreateChecked(TY.MaxValue), MidpointRounding.ToEven);
        return new QLinearConvResult<TY>(acc, multipliers, new Tensor<TY>(Array.ConvertAll(y.Data, TY.CreateChecked), acc.ShapeArray));
    }

    /// <summary>Per output channel, x_scale·w_scale[m]/y_scale in float32, left to right.</summary>
    internal static float[] Multipliers(float inputScale, ReadOnlySpan<float> weightScale, float outputScale, int channels)
    {
        if (weightScale.Length != 1 && weightScale.Length != channels)
            throw new ArgumentException($"w_scale has {weightScale.Length} values; expected 1 (per tensor) or {channels} (per output channel)", "w_scale");
        var multipliers = new float[channels];
        for (int m = 0; m < channels; m++)
        {
            float ws = weightScale[weightScale.Length == 1 ? 0 : m];
            CheckScale(ws, "w_scale");
            multipliers[m] = inputScale * ws / outputScale;
        }
        return multipliers;
    }

    /// <summary>
    /// Every element requantized, <c>clamp(round(float32(acc)·M[m]) + y_zp, min, max)</c> with the given rounding of the
    /// half: <see cref="MidpointRounding.ToEven"/> is ONNX's; <see cref="MidpointRounding.AwayFromZero"/> is the mistake
    /// <c>requantize-rounding</c> reproduces.
    /// </summary>
    internal static Tensor<long> RequantizeCore(Tensor<long> accumulation, float[] multipliers, int zeroPoint, long min, long max, MidpointRounding rounding)
    {
        int channels = multipliers.Length, plane = accumulation.Length / Math.Max(1, accumulation.Shape[0] * channels);
        var y = new long[accumulation.Length];
        for (int i = 0; i < y.Length; i++)
        {
            float scaled = (float)accumulation.Data[i] * multipliers[i / plane % channels];
            double shifted = (double)MathF.Round(scaled, rounding) + zeroPoint;
            y[i] = (long)Math.Clamp(shifted, min, max);
        }
        return new Tensor<long>(y, accumulation.ShapeArray);
    }

    /// <summary>
    /// One requantized value: <c>saturate(round_half_even(float(acc) · multiplier) + zeroPoint)</c>, every step in float32
    /// except the integer addition (exact: the rounded value is an integer well inside float32's exact range, or saturates).
    /// </summary>
    public static TY Requantize<TY>(long accumulation, float multiplier, int zeroPoint)
        where TY : IBinaryInteger<TY>, IMinMaxValue<TY> =>
        TY.CreateChecked(RequantizeCore(new Tensor<long>([accumulation], 1, 1), [multiplier], zeroPoint,
            long.CreateChecked(TY.MinValue), long.CreateChecked(TY.MaxValue), MidpointRounding.ToEven).Data[0]);

    internal static void CheckEightBit<T>(string name)
    {
        if (typeof(T) != typeof(byte) && typeof(T) != typeof(sbyte))
            throw new ArgumentException($"{name} has element type {typeof(T).Name}; ONNX's quantized convolutions take uint8 (byte) or int8 (sbyte)", name);
    }

    internal static void CheckZeroPoints<T>(ReadOnlySpan<int> zeroPoints, int channels, string name, string of)
        where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        if (zeroPoints.Length != 1 && zeroPoints.Length != channels)
            throw new ArgumentException($"{name} has {zeroPoints.Length} values; expected 1{(channels > 1 ? $" (per tensor) or {channels} (per output channel)" : "")}", name);
        long min = long.CreateChecked(T.MinValue), max = long.CreateChecked(T.MaxValue);
        foreach (int z in zeroPoints)
            if (z < min || z > max)
                throw new ArgumentException($"{name} {z} is outside {of}'s type range [{min}, {max}]", name);
    }

    internal static void CheckScale(float scale, string name)
    {
        if (!(scale > 0) || !float.IsFinite(scale))
            throw new ArgumentException($"{name} is {scale}; a scale must be positive and finite", name);
    }
}
