namespace ConvAsMatrix.Onnx;

/// <summary>
/// The attributes of an ONNX Conv or ConvTranspose node, as the model states them (null: absent, ONNX's default applies).
/// </summary>
/// <param name="AutoPad">auto_pad: NOTSET (also when absent), SAME_UPPER, SAME_LOWER or VALID.</param>
/// <param name="Pads">pads = [x1_begin, x2_begin, …, x1_end, x2_end, …].</param>
/// <param name="Strides">strides, one per spatial dimension.</param>
/// <param name="Dilations">dilations, one per spatial dimension.</param>
/// <param name="Group">group (default 1).</param>
/// <param name="KernelShape">kernel_shape; when present it must equal the weight's spatial shape.</param>
/// <param name="OutputPadding">output_padding (ConvTranspose only).</param>
/// <param name="OutputShape">output_shape (ConvTranspose only): the spatial output size, or (N, C, *spatial).</param>
public sealed record OnnxConvAttributes(
    AutoPad AutoPad,
    int[]? Pads,
    int[]? Strides,
    int[]? Dilations,
    int Group,
    int[]? KernelShape,
    int[]? OutputPadding,
    int[]? OutputShape);
