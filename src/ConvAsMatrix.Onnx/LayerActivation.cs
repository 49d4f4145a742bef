namespace ConvAsMatrix.Onnx;

/// <summary>What ONNX Runtime fed a layer and what the layer produced there, for one run of the model.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Input">The layer's input (N, C, *spatial) as ONNX Runtime computed it.</param>
/// <param name="Output">The layer's output as ONNX Runtime computed it.</param>
public sealed record LayerActivation(OnnxConvLayer Layer, Tensor<float> Input, Tensor<float> Output);
