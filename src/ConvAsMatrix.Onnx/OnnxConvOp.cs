namespace ConvAsMatrix.Onnx;

/// <summary>The ONNX operators a <see cref="OnnxConvLayer"/> can be: two float ones and three quantized forms of Conv.</summary>
public enum OnnxConvOp
{
    /// <summary>ONNX <c>Conv</c>: y = V·x + bias.</summary>
    Conv,
    /// <summary>ONNX <c>ConvTranspose</c>: y = Vᵀ·x + bias.</summary>
    ConvTranspose,
    /// <summary>ONNX <c>ConvInteger</c>: int32 y = Σ(x − x_zp)(w − w_zp), exactly.</summary>
    ConvInteger,
    /// <summary>ONNX <c>QLinearConv</c>: the ConvInteger accumulation plus an int32 bias, requantized to 8 bits.</summary>
    QLinearConv,
    /// <summary>
    /// The QDQ form: DequantizeLinear(x_q) → Conv(DequantizeLinear(w_q), DequantizeLinear(B)) → QuantizeLinear, read as
    /// one layer from x_q to the quantized output, with QLinearConv's semantics.
    /// </summary>
    QdqConv,
}
