namespace ConvAsMatrix.Onnx;

/// <summary>What ONNX Runtime fed a layer and what the layer produced there, for one run of the model.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Input">The layer's input (N, C, *spatial) as ONNX Runtime computed it; for a quantized layer, its integers as float32.</param>
/// <param name="Output">The layer's output as ONNX Runtime computed it; for a quantized layer, its integers as float32 (int32 beyond 2^24 rounded).</param>
public sealed record LayerActivation(OnnxConvLayer Layer, Tensor<float> Input, Tensor<float> Output)
{
    /// <summary>A quantized layer's activation: the integer tensors exactly as ONNX Runtime computed them.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="input">x: uint8 or int8.</param>
    /// <param name="output">y: int32 (ConvInteger), uint8 or int8.</param>
    public LayerActivation(OnnxConvLayer layer, NpyArray input, NpyArray output)
        : this(layer, (input ?? throw new ArgumentNullException(nameof(input))).ToSingle(), (output ?? throw new ArgumentNullException(nameof(output))).ToSingle())
    {
        InputValues = input;
        OutputValues = output;
    }

    /// <summary>The input with its element type as ONNX Runtime held it (float32 for float layers; uint8 or int8 for quantized ones).</summary>
    public NpyArray InputValues { get; init; } = new(Input);

    /// <summary>The output with its element type as ONNX Runtime held it (float32; int32, uint8 or int8 for quantized layers).</summary>
    public NpyArray OutputValues { get; init; } = new(Output);
}
