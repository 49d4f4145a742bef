namespace ConvAsMatrix;

/// <summary>
/// The hyperparameters of <c>torch.nn.functional.conv{1,2,3}d</c> together with <c>nn.Conv{1,2,3}d</c>'s
/// <c>padding_mode</c>. Per-dimension lists hold one value for every dimension or one per dimension.
/// </summary>
public sealed record ConvOptions
{
    /// <summary>Stride per dimension (PyTorch <c>stride</c>, default 1).</summary>
    public int[] Stride { get; init; } = [1];

    /// <summary>Padding (PyTorch <c>padding</c>: int, tuple, 'same' or 'valid'; asymmetric pairs too). Default 0.</summary>
    public Padding Padding { get; init; } = Padding.Zero;

    /// <summary>Dilation per dimension (PyTorch <c>dilation</c>, default 1).</summary>
    public int[] Dilation { get; init; } = [1];

    /// <summary>Number of blocked connections from input to output channels (PyTorch <c>groups</c>, default 1).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>What the convolution reads outside its input (PyTorch <c>padding_mode</c>, default zeros).</summary>
    public PaddingMode PaddingMode { get; init; } = PaddingMode.Zeros;
    /// <summary>
    /// ONNX's <c>auto_pad</c> (default <see cref="AutoPad.NotSet"/>: use <see cref="Padding"/>). SAME_UPPER / SAME_LOWER
    /// work at any stride: output ceil(in / stride), total padding max(0, (out − 1)·stride + (k − 1)·dilation + 1 − in),
    /// the odd one after (upper) or before (lower); VALID pads nothing. Any value but NotSet together with a
    /// <see cref="Padding"/> other than zero is refused.
    /// </summary>
    public AutoPad AutoPad { get; init; } = AutoPad.NotSet;
}

/// <summary>
/// The hyperparameters of <c>torch.nn.functional.conv_transpose{1,2,3}d</c>. The transposed convolution
/// is Vᵀ for the forward convolution with the same stride, padding, dilation and groups; its
/// <see cref="PaddingMode"/> is that forward convolution's, so modes other than zeros (which PyTorch's
/// ConvTranspose does not offer) give the exact adjoint of the padded convolution.
/// </summary>
public sealed record ConvTransposeOptions
{
    /// <summary>Stride per dimension (default 1).</summary>
    public int[] Stride { get; init; } = [1];

    /// <summary>Padding removed from the output (PyTorch <c>padding</c>; asymmetric pairs as in ONNX <c>pads</c>). 'same' is not accepted.</summary>
    public Padding Padding { get; init; } = Padding.Zero;

    /// <summary>Size added on the high-index side of each output dimension; each must be smaller than max(stride, dilation) there (default 0).</summary>
    public int[] OutputPadding { get; init; } = [0];

    /// <summary>Dilation per dimension (default 1).</summary>
    public int[] Dilation { get; init; } = [1];

    /// <summary>Number of groups (default 1).</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The padding mode of the forward convolution whose adjoint this is (default zeros, PyTorch's only mode).</summary>
    public PaddingMode PaddingMode { get; init; } = PaddingMode.Zeros;
    /// <summary>
    /// ONNX's <c>auto_pad</c> (default <see cref="AutoPad.NotSet"/>: use <see cref="Padding"/>). SAME_UPPER / SAME_LOWER
    /// derive the padding for an output of in·stride (or of <see cref="OutputShape"/>): total = stride·(in − 1) +
    /// output_padding + (k − 1)·dilation + 1 − out, upper begin = ⌊total/2⌋, lower end = ⌊total/2⌋; VALID pads nothing.
    /// Any value but NotSet together with a <see cref="Padding"/> other than zero is refused.
    /// </summary>
    public AutoPad AutoPad { get; init; } = AutoPad.NotSet;

    /// <summary>
    /// ONNX's <c>output_shape</c>: the spatial output size, one per dimension (null: none). The pads are derived from it:
    /// total = stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − output_shape, split as <see cref="AutoPad"/>
    /// says (NotSet and SameLower: end = ⌊total/2⌋, begin = the rest; SameUpper: begin = ⌊total/2⌋). A size beyond
    /// the natural one gives negative pads: zero-fed positions, allowed with <see cref="PaddingMode.Zeros"/> only.
    /// Exclusive with <see cref="Padding"/>, <see cref="OutputSize"/> and <see cref="AutoPad.Valid"/>.
    /// </summary>
    public int[]? OutputShape { get; init; }

    /// <summary>
    /// PyTorch's <c>ConvTranspose.forward(input, output_size)</c>: the spatial output size, one per dimension (null: none).
    /// It keeps <see cref="Padding"/> and sets output_padding = output_size − ((in − 1)·stride − before − after +
    /// dilation·(k − 1) + 1), which must lie in [0, stride − 1]. Exclusive with <see cref="OutputPadding"/>,
    /// <see cref="OutputShape"/> and <see cref="AutoPad"/>.
    /// </summary>
    public int[]? OutputSize { get; init; }
}
