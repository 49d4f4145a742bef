namespace ConvAsMatrix.Onnx;

/// <summary>
/// One Conv, ConvTranspose or quantized conv node (ConvInteger, QLinearConv, or a QDQ-wrapped Conv) of an ONNX graph
/// with its initializer weight and bias and its attributes: everything V needs except the input shape, which
/// <see cref="Geometry"/> takes.
/// </summary>
/// <remarks>
/// Conv computes y = V·x + bias and ConvTranspose y = Vᵀ·x + bias, per sample, where V is the matrix of the
/// convolution <see cref="Geometry"/> describes (for ConvTranspose, the forward convolution whose transpose it is).
/// ONNX's weight layouts are PyTorch's: Conv (M, C/group, *k), ConvTranspose (C, M/group, *k).
/// A quantized layer is a Conv whose integer side is <see cref="Quantization"/>; its <see cref="Weight"/> is the weight
/// it applies, w − w_zp (ConvInteger) or (w − w_zp)·w_scale (QLinearConv, QDQ), so V, its norm and its size are those
/// of the dequantized layer.
/// </remarks>
public sealed class OnnxConvLayer
{
    internal OnnxConvLayer(string name, OnnxConvOp op, string inputName, string outputName, string weightName, string? biasName,
        Tensor<double> weight, double[]? bias, OnnxConvAttributes attributes, int[]? declaredInputShape, OnnxQuantization? quantization = null)
    {
        Quantization = quantization;
        Name = name;
        Op = op;
        InputName = inputName;
        OutputName = outputName;
        WeightName = weightName;
        BiasName = biasName;
        Weight = weight;
        Bias = bias;
        Attributes = attributes;
        DeclaredInputShape = declaredInputShape;
    }

    /// <summary>The node's name, or "OpType:output" when the node has none or repeats an earlier name.</summary>
    public string Name { get; }

    /// <summary>Conv, ConvTranspose, or a quantized form of Conv.</summary>
    public OnnxConvOp Op { get; }

    /// <summary>The name of the tensor the layer reads (the node's input 0; for QDQ, the quantized tensor DequantizeLinear reads).</summary>
    public string InputName { get; }

    /// <summary>The name of the tensor the layer writes (the node's output 0; for QDQ, QuantizeLinear's output).</summary>
    public string OutputName { get; }

    /// <summary>The weight initializer's name.</summary>
    public string WeightName { get; }

    /// <summary>The bias initializer's name, or null without bias.</summary>
    public string? BiasName { get; }

    /// <summary>
    /// The weight, float32 values widened exactly to double; for a quantized layer the dequantized weight (see remarks).
    /// Layers that read the same initializer (with the same zero point and scale) share one tensor, as they share it in the model.
    /// </summary>
    public Tensor<double> Weight { get; }

    /// <summary>The bias (one per output channel), or null; for QLinearConv and QDQ, B[m]·x_scale·w_scale[m].</summary>
    public double[]? Bias { get; }

    /// <summary>The integer side of a quantized layer (types, integer weight, zero points, scales, int32 bias), or null for Conv and ConvTranspose.</summary>
    public OnnxQuantization? Quantization { get; }

    /// <summary>The node's attributes as stated in the model.</summary>
    public OnnxConvAttributes Attributes { get; }

    /// <summary>The input shape the graph itself declares (its inputs, value_info or outputs), when fully static; else null.</summary>
    public IReadOnlyList<int>? DeclaredInputShape { get; }

    /// <summary>Spatial dimensions: 1 to 3.</summary>
    public int SpatialRank => Weight.Rank - 2;

    /// <summary>
    /// How many products each output element sums: (C/group)·∏k for Conv and the quantized forms — the weight's shape[1]·∏k — and
    /// (C/group)·∏k of the ConvTranspose input channels, (weight.shape[0]/group)·∏k.
    /// </summary>
    public long FanIn
    {
        get
        {
            long taps = 1;
            for (int d = 2; d < Weight.Rank; d++) taps *= Weight.Shape[d];
            return Op == OnnxConvOp.ConvTranspose ? Weight.Shape[0] / Attributes.Group * taps : Weight.Shape[1] * taps;
        }
    }

    /// <summary>The geometry of V for an input of the given shape: ONNX's attributes read as the library's options.</summary>
    /// <param name="inputShape">(N, C, *spatial) of the layer's input.</param>
    /// <exception cref="ArgumentException">The attributes do not fit this input (channels, sizes, output_shape…).</exception>
    public ConvGeometry Geometry(ReadOnlySpan<int> inputShape) => OnnxGeometry.Of(this, inputShape);

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({Op})";
}
