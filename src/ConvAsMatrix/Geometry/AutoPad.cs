namespace ConvAsMatrix;

/// <summary>
/// ONNX's <c>auto_pad</c> attribute of Conv and ConvTranspose: how the padding is derived instead of given.
/// </summary>
/// <remarks>
/// <para>Conv, at any stride: <c>out = ceil(in / stride)</c> and the total padding per dimension is
/// <c>total = max(0, (out − 1)·stride + (k − 1)·dilation + 1 − in)</c>. <see cref="SameUpper"/> puts
/// <c>floor(total / 2)</c> before and the rest (the odd one) after; <see cref="SameLower"/> the odd one before.
/// <see cref="Valid"/> pads nothing.</para>
/// <para>ConvTranspose: SAME_* aims at <c>out = in·stride</c> (or at <see cref="ConvTransposeOptions.OutputShape"/>);
/// <c>total = stride·(in − 1) + output_padding + (k − 1)·dilation + 1 − out</c>, which may be negative (the output
/// is then larger than the natural size and the negative pads add zero-fed positions). The split is the
/// ONNX spec's with floor division, as ONNX's reference implementation computes it in Python:
/// SAME_UPPER <c>begin = ⌊total/2⌋, end = total − begin</c>; SAME_LOWER and NOTSET (with an output_shape)
/// <c>end = ⌊total/2⌋, begin = total − end</c>. docs/conventions.md lists where ONNX Runtime differs.</para>
/// </remarks>
public enum AutoPad
{
    /// <summary>ONNX's NOTSET (the default): the padding is the one given explicitly.</summary>
    NotSet,

    /// <summary>SAME_UPPER: output = ceil(in / stride) (Conv) or in·stride (ConvTranspose); an odd total puts the extra one at the end.</summary>
    SameUpper,

    /// <summary>SAME_LOWER: as <see cref="SameUpper"/>, but an odd total puts the extra one at the beginning.</summary>
    SameLower,

    /// <summary>VALID: no padding.</summary>
    Valid,
}
