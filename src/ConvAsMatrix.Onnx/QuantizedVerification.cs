namespace ConvAsMatrix.Onnx;

/// <summary>
/// A quantized layer's output from ONNX Runtime against its exact result (<see cref="QuantizedReference"/>), element by
/// element, with no tolerance; and, where they differ, where and why (<see cref="MismatchCauses"/>).
/// </summary>
internal static class QuantizedVerification
{
    public static LayerComparison Compare(LayerActivation activation)
    {
        var layer = activation.Layer;
        var inputShape = activation.InputValues.Shape.ToArray();
        var actualShape = activation.OutputValues.Shape.ToArray();
        ConvGeometry geometry;
        try
        {
            geometry = layer.Geometry(inputShape);
        }
        catch (ArgumentException e)
        {
            return Mismatch(layer, null, inputShape, actualShape, $"the library refuses the geometry for input ({string.Join(", ", inputShape)}): {e.Message.Split('\n')[0]}");
        }
        if (!geometry.OutputShape.SequenceEqual(actualShape))
            return Mismatch(layer, geometry, inputShape, actualShape, $"ONNX Runtime's output is ({string.Join(", ", actualShape)}), the layer's is ({string.Join(", ", geometry.OutputShape)})");
        var q = layer.Quantization!;
        if (activation.OutputValues.DataType != q.OutputType)
            return Mismatch(layer, geometry, inputShape, actualShape, $"ONNX Runtime's output is {activation.OutputValues.DataType}, the layer's {q.OutputType}");
        QuantizedReference exact;
        try
        {
            exact = QuantizedReference.Compute(layer, activation.InputValues);
        }
        catch (ArgumentException e)
        {
            return Mismatch(layer, geometry, inputShape, actualShape, $"the library refuses the layer: {e.Message.Split('\n')[0]}");
        }
        var actual = activation.OutputValues.ToInt64().Data;
        long differing = 0, maxDiff = 0, maxY = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            long diff = Math.Abs(actual[i] - exact.Output[i]);
            if (diff != 0) differing++;
            maxDiff = Math.Max(maxDiff, diff);
            maxY = Math.Max(maxY, Math.Abs(exact.Output[i]));
        }
        string? finding = differing == 0 ? null : MismatchCauses.Explain(layer, geometry, activation.InputValues.ToInt64().Data, exact, actual);
        return new LayerComparison(layer, geometry, inputShape, actualShape, maxDiff, maxDiff == 0 ? 0 : (double)maxDiff / Math.Max(1, maxY),
            differing == 0 ? 0 : double.PositiveInfinity, null)
        { DifferingElements = differing, Finding = finding };
    }

    private static LayerComparison Mismatch(OnnxConvLayer layer, ConvGeometry? geometry, int[] inputShape, int[] outputShape, string problem) =>
        new(layer, geometry, inputShape, outputShape, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, problem);
}
