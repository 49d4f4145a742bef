namespace ConvAsMatrix;

/// <summary>
/// What <see cref="QuantizedConvolution.QLinearConv{TX, TW, TY}"/> computed, step by step, so that an engine's output can be
/// compared before and after requantization.
/// </summary>
/// <param name="Accumulation">The exact int32-domain accumulation Σ (x − x_zp)(w − w_zp) + B, (N, C_out, *out), in long.</param>
/// <param name="Multipliers">Per output channel, x_scale · w_scale[m] / y_scale in float32.</param>
/// <param name="Output">y, requantized: saturate(round_half_even(float(acc)·M[m]) + y_zero_point).</param>
/// <typeparam name="TY">byte (uint8) or sbyte (int8).</typeparam>
public sealed record QLinearConvResult<TY>(Tensor<long> Accumulation, float[] Multipliers, Tensor<TY> Output);
