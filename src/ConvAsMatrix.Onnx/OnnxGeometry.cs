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
        var a = layer.Attributes;
        int rank = layer.SpatialRank;
        var padding = a.Pads is null ? Padding.Zero : Padding.Asymmetric(Enumerable.Range(0, rank).Select(d => (a.Pads[d], a.Pads[rank + d])).ToArray());
        var stride = a.Strides ?? [1];
        var dilation = a.Dilations ?? [1];
        if (layer.Op == OnnxConvOp.Conv)
            return ConvGeometry.ForConv(inputShape, layer.Weight.ShapeArray, new ConvOptions
            {
                Stride = stride, Dilation = dilation, Groups = a.Group, Padding = padding, AutoPad = a.AutoPad,
            });
        return ConvGeometry.ForConvTranspose(inputShape, layer.Weight.ShapeArray, new ConvTransposeOptions
        {
            Stride = stride, Dilation = dilation, Groups = a.Group, AutoPad = a.AutoPad,
            Padding = a.OutputShape is null ? padding : Padding.Zero,
            OutputPadding = a.OutputPadding ?? [0],
            OutputShape = a.OutputShape is { } s && s.Length == rank + 2 ? s[2..] : a.OutputShape,
        });
    }
}
