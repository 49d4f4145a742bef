namespace ConvAsMatrix.Onnx;

/// <summary>
/// The integer side of a quantized conv layer (<see cref="OnnxConvOp.ConvInteger"/>, <see cref="OnnxConvOp.QLinearConv"/>,
/// <see cref="OnnxConvOp.QdqConv"/>): element types, the stored integer weight, zero points, scales and int32 bias, all
/// read from initializers or constants.
/// </summary>
/// <remarks>
/// ConvInteger has no scales and no bias (<see cref="InputScale"/>, <see cref="WeightScale"/>, <see cref="OutputScale"/>,
/// <see cref="OutputZeroPoint"/> and <see cref="Bias"/> are null) and writes int32. QLinearConv and the QDQ form write
/// saturate(round_half_even(acc · x_scale·w_scale[m]/y_scale) + y_zero_point) in <see cref="OutputType"/>, acc the exact
/// Σ(x − x_zp)(w − w_zp[m]) + B[m] (<see cref="QuantizedConvolution"/>).
/// </remarks>
public sealed class OnnxQuantization
{
    internal OnnxQuantization(NpyDataType inputType, NpyDataType weightType, NpyDataType outputType, Tensor<long> weight,
        int inputZeroPoint, int[] weightZeroPoint, float? inputScale, float[]? weightScale, float? outputScale, int? outputZeroPoint, int[]? bias)
    {
        InputType = inputType;
        WeightType = weightType;
        OutputType = outputType;
        Weight = weight;
        InputZeroPoint = inputZeroPoint;
        WeightZeroPoint = weightZeroPoint;
        InputScale = inputScale;
        WeightScale = weightScale;
        OutputScale = outputScale;
        OutputZeroPoint = outputZeroPoint;
        Bias = bias;
        weightZeroPoints = weightZeroPoint;
        weightScales = weightScale;
        biasValues = bias;
    }

    // The arrays behind the read-only lists, which ConstantValues shares between the layers that read the same constants.
    private readonly int[] weightZeroPoints;
    private readonly float[]? weightScales;
    private readonly int[]? biasValues;

    /// <summary>x's element type: UInt8 or Int8.</summary>
    public NpyDataType InputType { get; }

    /// <summary>w's element type: UInt8 or Int8.</summary>
    public NpyDataType WeightType { get; }

    /// <summary>y's element type: Int32 (ConvInteger), UInt8 or Int8.</summary>
    public NpyDataType OutputType { get; }

    /// <summary>The stored weight (M, C/group, *k), its integer values as the model holds them (zero point not subtracted).</summary>
    public Tensor<long> Weight { get; }

    /// <summary>x_zero_point (0 when the model gives none).</summary>
    public int InputZeroPoint { get; }

    /// <summary>w_zero_point: one value (per tensor) or one per output channel.</summary>
    public IReadOnlyList<int> WeightZeroPoint { get; }

    /// <summary>x_scale, or null for ConvInteger.</summary>
    public float? InputScale { get; }

    /// <summary>w_scale: one value (per tensor) or one per output channel; null for ConvInteger.</summary>
    public IReadOnlyList<float>? WeightScale { get; }

    /// <summary>y_scale, or null for ConvInteger.</summary>
    public float? OutputScale { get; }

    /// <summary>y_zero_point, or null for ConvInteger.</summary>
    public int? OutputZeroPoint { get; }

    /// <summary>The int32 bias B (one per output channel, in units of x_scale·w_scale[m]), or null.</summary>
    public IReadOnlyList<int>? Bias { get; }

    /// <summary>"per-tensor" or "per-channel": the granularity of w's zero point and scale (per channel if either is).</summary>
    public string WeightGranularity => WeightZeroPoint.Count > 1 || WeightScale is { Count: > 1 } ? "per-channel" : "per-tensor";

    /// <summary>The element types as ONNX Runtime's kernels name them, e.g. "u8s8->u8" (x, w, then y).</summary>
    public string TypeText => $"{Short(InputType)}{Short(WeightType)}->{Short(OutputType)}";

    /// <summary>
    /// The weight the layer applies, w − w_zp (ConvInteger) or (w − w_zp)·w_scale, and the bias B[m]·x_scale·w_scale[m],
    /// through <paramref name="values"/> so that layers sharing their constants share the result.
    /// </summary>
    internal (Tensor<double> Weight, double[]? Bias) Dequantize(ConstantValues values) =>
        (values.Dequantized(Weight, weightZeroPoints, weightScales),
         biasValues is null ? null : values.DequantizedBias(biasValues, InputScale!.Value, weightScales!));

    private static string Short(NpyDataType t) => t switch
    {
        NpyDataType.UInt8 => "u8",
        NpyDataType.Int8 => "s8",
        _ => "s32",
    };
}
