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
}
