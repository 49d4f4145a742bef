namespace ConvAsMatrix.Onnx;

/// <summary>One layer's output from ONNX Runtime compared with V·x + bias (or Vᵀ·x + bias), or, for a quantized layer, with its exact integer result.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Geometry">The geometry V was compiled for (from the layer's attributes and ONNX Runtime's input shape).</param>
/// <param name="InputShape">The layer's input shape in this run.</param>
/// <param name="OutputShape">The output shape ONNX Runtime produced.</param>
/// <param name="MaxAbsError">max |ŷ − y| over the output, ŷ ONNX Runtime's value and y V's (in double); for a quantized layer, in integers (quantization steps).</param>
/// <param name="MaxRelError">max |ŷ − y| / max |y| (0 when both are 0).</param>
/// <param name="WorstRatio">max |ŷ − y| / tolerance over the elements: at most 1 when the layer agrees. Quantized layers have no tolerance: 0 when every element is equal, else infinity.</param>
/// <param name="ShapeProblem">Why the shapes differ (then nothing else was compared), or null.</param>
public sealed record LayerComparison(OnnxConvLayer Layer, ConvGeometry? Geometry, IReadOnlyList<int> InputShape, IReadOnlyList<int> OutputShape,
    double MaxAbsError, double MaxRelError, double WorstRatio, string? ShapeProblem)
{
    /// <summary>True when the shapes match and every element is within its tolerance (for quantized layers: equal).</summary>
    public bool Agrees => ShapeProblem is null && WorstRatio <= 1;

    /// <summary>How many output elements are beyond their tolerance (for quantized layers: differ at all).</summary>
    public long DifferingElements { get; init; }

    /// <summary>
    /// For a quantized layer that differs: where the difference arises (in the accumulation or only at requantization) and
    /// which known cause reproduces ONNX Runtime's output exactly, if one does; otherwise null.
    /// </summary>
    public string? Finding { get; init; }
}
