namespace ConvAsMatrix.Onnx;

/// <summary>The two ONNX operators a <see cref="OnnxConvLayer"/> can be.</summary>
public enum OnnxConvOp
{
    /// <summary>ONNX <c>Conv</c>: y = V·x + bias.</summary>
    Conv,
    /// <summary>ONNX <c>ConvTranspose</c>: y = Vᵀ·x + bias.</summary>
    ConvTranspose,
}
