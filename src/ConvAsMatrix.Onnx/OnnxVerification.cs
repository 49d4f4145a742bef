namespace ConvAsMatrix.Onnx;

/// <summary>
/// Checks what ONNX Runtime computed for each conv layer against V: y = V·x + bias for Conv, y = Vᵀ·x + bias for
/// ConvTranspose, evaluated in double on the very input ONNX Runtime fed the layer. Quantized layers (ConvInteger,
/// QLinearConv, QDQ) are compared exactly, with no tolerance, against <see cref="QuantizedConvolution"/> on their integer
/// input, and a difference is located and explained where a known cause reproduces it (<see cref="LayerComparison.Finding"/>).
/// </summary>
/// <remarks>
/// <para>Tolerance, per output element i, for float32 arithmetic in any summation order:
/// |ŷᵢ − yᵢ| ≤ 2·(F + 1)·u·(Σⱼ |Vᵢⱼ|·|xⱼ| + |bᵢ|) + 10⁻³⁰, with u = 2⁻²⁴ (float32's unit roundoff) and F the fan-in
/// (<see cref="OnnxConvLayer.FanIn"/>, the number of products one output sums). (F + 1)·u·Σ|terms| is the classic
/// worst-case bound γ for a float32 sum of F products plus the bias (Higham, Accuracy and Stability of Numerical
/// Algorithms, §3.1); the factor 2 leaves room for the rounding of the final value, and the constant keeps an
/// all-zero neighbourhood from demanding exact zeros. A wrong convolution (a shifted window, a swapped axis, a
/// missing tap) misses by the size of a term, far beyond this bound, while any correct float32 evaluation stays
/// within it.</para>
/// </remarks>
public static class OnnxVerification
{
    /// <summary>float32's unit roundoff, 2⁻²⁴.</summary>
    public const double UnitRoundoff = 1.0 / (1 << 24);

    /// <summary>The absolute floor of the tolerance.</summary>
    public const double AbsoluteFloor = 1e-30;

    /// <summary>Compares one layer's ONNX Runtime output with V's (a quantized layer's: with its exact integer result).</summary>
    /// <remarks>V is applied in its structured form (<see cref="StructuredConvolution{T}"/>), which the library tests equal to the explicit V.</remarks>
    public static LayerComparison Compare(LayerActivation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        if (activation.Layer.Quantization is not null) return QuantizedVerification.Compare(activation);
        var layer = activation.Layer;
        var inputShape = activation.Input.ShapeArray;
        var actual = activation.Output;
        ConvGeometry geometry;
        try
        {
            geometry = layer.Geometry(inputShape);
        }
        catch (ArgumentException e)
        {
            return Mismatch(activation, null, $"the library refuses the geometry for input ({string.Join(", ", inputShape)}): {e.Message.Split('\n')[0]}");
        }
        bool transpose = layer.Op == OnnxConvOp.ConvTranspose;
        var expectedShape = transpose ? geometry.InputShape : geometry.OutputShape;
        if (!expectedShape.SequenceEqual(actual.Shape))
            return Mismatch(activation, geometry, $"ONNX Runtime's output is ({string.Join(", ", actual.Shape)}), V's is ({string.Join(", ", expectedShape)})");

        // V in its structured form (weight + sampling maps, no per-entry storage): ResNet-sized layers stay small.
        var v = StructuredConvolution<double>.Compile(layer.Weight, geometry);
        var absV = StructuredConvolution<double>.Compile(Array.ConvertAll(layer.Weight.Data, Math.Abs), geometry);
        var x = Array.ConvertAll(activation.Input.Data, f => (double)f);
        var absX = Array.ConvertAll(x, Math.Abs);
        var y = new double[actual.Length];
        var bound = new double[actual.Length]; // Σⱼ |Vᵢⱼ|·|xⱼ| = (|V|·|x|)ᵢ
        if (transpose) { v.ConvolveTranspose(x, y); absV.ConvolveTranspose(absX, bound); }
        else { v.Convolve(x, y); absV.Convolve(absX, bound); }

        int channels = transpose ? geometry.InChannels : geometry.OutChannels;
        int perChannel = y.Length / (geometry.Batch * channels);
        double factor = 2 * (layer.FanIn + 1) * UnitRoundoff;
        double maxAbs = 0, maxY = 0, worst = 0;
        long beyond = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double b = layer.Bias is null ? 0 : layer.Bias[i / perChannel % channels];
            double expected = y[i] + b;
            double error = Math.Abs(actual.Data[i] - expected);
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            double tolerance = factor * (bound[i] + Math.Abs(b)) + AbsoluteFloor;
            maxAbs = Math.Max(maxAbs, error);
            maxY = Math.Max(maxY, Math.Abs(expected));
            worst = Math.Max(worst, error / tolerance);
            if (!(error <= tolerance)) beyond++;
        }
        double rel = maxAbs == 0 ? 0 : maxAbs / maxY;
        return new LayerComparison(layer, geometry, inputShape, actual.ShapeArray, maxAbs, rel, worst, null) { DifferingElements = beyond };
    }

    private static LayerComparison Mismatch(LayerActivation a, ConvGeometry? geometry, string problem) =>
        new(a.Layer, geometry, a.Input.ShapeArray, a.Output.ShapeArray, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, problem);
}
