namespace ConvAsMatrix.Onnx;

/// <summary>
/// ONNX's Conv/ConvTranspose attributes as the library's options. Only a mapping: the formulas of auto_pad and
/// output_shape live in the library (<see cref="AutoPad"/>, <see cref="ConvTransposeOptions.OutputShape"/>).
/// </summary>
/// <remarks>
/// pads = [x1_begin, x2_begin, …, x1_end, x2_end, …] becomes Padding.Asymmetric((x1_begin, x1_end), …);
/// strides, dilations, group and output_padding carry over unchanged; absent attributes take ONNX's defaults
/// (no padding, stride 1, dilation 1, group 1, output_padding 0), which are also the library's.
/// output_shape may list the spatial sizes or the whole (N, C, *spatial); the spatial part is passed on, and, as
/// the ONNX spec says ("if output_shape is specified pads values are ignored"), pads are then not passed on.
/// </remarks>
internal static class OnnxGeometry
{
    public static ConvGeometry Of(OnnxConvLayer layer, ReadOnlySpan<int> inputShape)
    {
        if (layer.Op != OnnxConvOp.ConvTranspose)
            return ConvGeometry.ForConv(inputShape, layer.Weight.ShapeArray, ForwardOptions(layer));
        var a = layer.Attributes;
        int rank = layer.SpatialRank;
        return ConvGeometry.ForConvTranspose(inputShape, layer.Weight.ShapeArray, new ConvTransposeOptions
        {
            Stride = a.Strides ?? [1], Dilation = a.Dilations ?? [1], Groups = a.Group, AutoPad = a.AutoPad,
            Padding = a.OutputShape is null ? Pads(a, rank) : Padding.Zero,
            OutputPadding = a.OutputPadding ?? [0],
            OutputShape = a.OutputShape is { } s && s.Length == rank + 2 ? s[2..] : a.OutputShape,
        });
    }

    /// <summary>The options of a forward layer (Conv or a quantized form): what <see cref="QuantizedConvolution"/> takes.</summary>
    public static ConvOptions ForwardOptions(OnnxConvLayer layer)
    {
        var a = layer.Attributes;
        return new ConvOptions
        {
            Stride = a.Strides ?? [1], Dilation = a.Dilations ?? [1], Groups = a.Group, Padding = Pads(a, layer.SpatialRank), AutoPad = a.AutoPad,
        };
    }

    private static Padding Pads(OnnxConvAttributes a, int rank) =>
        a.Pads is null ? Padding.Zero : Padding.Asymmetric(Enumerable.Range(0, rank).Select(d => (a.Pads[d], a.Pads[rank + d])).ToArray());
}
