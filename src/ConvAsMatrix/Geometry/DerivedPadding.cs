namespace ConvAsMatrix;

/// <summary>
/// The padding ONNX and PyTorch derive rather than take: ONNX's <c>auto_pad</c> (Conv and ConvTranspose),
/// ONNX's ConvTranspose <c>output_shape</c>, and PyTorch's ConvTranspose <c>output_size</c> (which derives
/// output_padding instead). Each returns per-dimension amounts for <see cref="ConvGeometry"/>.
/// </summary>
/// <remarks>
/// All arithmetic is in long and every result is checked against int32 before it is returned. The formulas are
/// those of <see cref="AutoPad"/>, <see cref="ConvTransposeOptions.OutputShape"/> and
/// <see cref="ConvTransposeOptions.OutputSize"/>; docs/conventions.md derives them and lists the engines' splits.
/// </remarks>
internal static class DerivedPadding
{
    /// <summary>The Conv padding auto_pad asks for: SAME_* gives output ceil(in / stride) at any stride.</summary>
    public static (int[] Before, int[] After) ForConv(AutoPad autoPad, Padding padding, int[] input, int[] kernel, int[] stride, int[] dilation)
    {
        CheckDefined(autoPad);
        if (autoPad != AutoPad.NotSet && !padding.IsZero)
            throw new ArgumentException($"auto_pad={Onnx(autoPad)} and padding={padding} both set the padding: give one of them", "auto_pad");
        int rank = kernel.Length;
        var before = new int[rank];
        var after = new int[rank];
        if (autoPad is AutoPad.NotSet or AutoPad.Valid) return (before, after);
        for (int d = 0; d < rank; d++)
        {
            long output = (input[d] + (long)stride[d] - 1) / stride[d];
            long total = Math.Max(0, (output - 1) * stride[d] + (long)(kernel[d] - 1) * dilation[d] + 1 - input[d]);
            if (total > int.MaxValue)
                throw new ArgumentException($"auto_pad={Onnx(autoPad)} would pad {total} in dimension {d}, beyond int32", "auto_pad");
            (before[d], after[d]) = Split(total, upper: autoPad == AutoPad.SameUpper);
        }
        return (before, after);
    }

    /// <summary>
    /// The ConvTranspose padding and output_padding: from auto_pad, output_shape or output_size when one is set,
    /// else the explicit ones. Pads may come out negative (an output beyond the natural size), only with zeros padding.
    /// </summary>
    public static (int[] Before, int[] After, int[] OutputPadding) ForConvTranspose(ConvTransposeOptions options,
        int[] input, int[] kernel, int[] stride, int[] dilation, int[] outputPadding)
    {
        var autoPad = options.AutoPad;
        CheckDefined(autoPad);
        var padding = options.Padding;
        int rank = kernel.Length;
        CheckExclusive(options, padding, outputPadding);
        if (options.OutputSize is not null)
        {
            var (b, a) = padding.Resolve(rank, kernel, dilation, stride);
            return (b, a, OutputPaddingFor(Sizes(options.OutputSize, rank, "output_size"), input, kernel, stride, dilation, b, a));
        }
        if (options.OutputShape is null && autoPad is AutoPad.NotSet or AutoPad.Valid)
        {
            var (b, a) = autoPad == AutoPad.Valid ? (new int[rank], new int[rank]) : padding.Resolve(rank, kernel, dilation, stride);
            return (b, a, outputPadding);
        }

        // ONNX: output_shape given, or SAME_* aiming at in·stride; total = stride·(in − 1) + output_padding + (k − 1)·d + 1 − out.
        string name = options.OutputShape is null ? "auto_pad" : "output_shape";
        var target = options.OutputShape is null ? null : Sizes(options.OutputShape, rank, "output_shape");
        var before = new int[rank];
        var after = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            long output = target is null ? (long)input[d] * stride[d] : target[d];
            long total = (long)stride[d] * (input[d] - 1) + outputPadding[d] + (long)(kernel[d] - 1) * dilation[d] + 1 - output;
            if (total > int.MaxValue || total < -(long)int.MaxValue)
                throw new ArgumentException($"{name}: the derived total padding {total} in dimension {d} is beyond int32", name);
            (before[d], after[d]) = Split(total, upper: autoPad == AutoPad.SameUpper);
            if ((before[d] < 0 || after[d] < 0) && options.PaddingMode != PaddingMode.Zeros)
                throw new ArgumentException($"{name} asks for output size {output} in dimension {d}, beyond the natural size {output + total}: the derived pads ({before[d]}, {after[d]}) are negative, which only padding_mode zeros allows (got {options.PaddingMode.ToString().ToLowerInvariant()})", name);
        }
        return (before, after, outputPadding);
    }

    /// <summary>
    /// ONNX's split of a total padding, with floor division (Python's <c>//</c>, as in ONNX's reference implementation):
    /// upper: begin = ⌊total/2⌋, end = total − begin; lower: end = ⌊total/2⌋, begin = total − end. For total ≥ 0 the odd one goes
    /// to the end (upper) or the beginning (lower); a negative total spreads its extra positions the same way with the signs turned.
    /// </summary>
    internal static (int Before, int After) Split(long total, bool upper)
    {
        long half = total >= 0 ? total / 2 : -((-total + 1) / 2);
        return upper ? ((int)half, (int)(total - half)) : ((int)(total - half), (int)half);
    }

    /// <summary>PyTorch's <c>_output_padding</c>: output_size − min size per dimension, with min ≤ output_size ≤ min + stride − 1.</summary>
    private static int[] OutputPaddingFor(int[] size, int[] input, int[] kernel, int[] stride, int[] dilation, int[] before, int[] after)
    {
        int rank = size.Length;
        var min = new long[rank];
        var max = new long[rank];
        for (int d = 0; d < rank; d++)
        {
            min[d] = (long)(input[d] - 1) * stride[d] - before[d] - after[d] + (long)dilation[d] * (kernel[d] - 1) + 1;
            max[d] = min[d] + stride[d] - 1;
        }
        for (int d = 0; d < rank; d++)
            if (size[d] < min[d] || size[d] > max[d])
                throw new ArgumentException($"output_size: requested an output size of {Check.List(size)}, but valid sizes range from ({string.Join(", ", min)}) to ({string.Join(", ", max)}) (for an input of {Check.List(input)})", "output_size");
        var result = new int[rank];
        for (int d = 0; d < rank; d++) result[d] = (int)(size[d] - min[d]);
        return result;
    }

    /// <summary>Refuses the combinations that would set one thing twice; the message names both options.</summary>
    private static void CheckExclusive(ConvTransposeOptions o, Padding padding, int[] outputPadding)
    {
        if (o.OutputShape is not null && o.OutputSize is not null)
            throw new ArgumentException($"output_shape {Check.List(o.OutputShape)} (ONNX) and output_size {Check.List(o.OutputSize)} (PyTorch) both set the output size: give one of them", "output_shape");
        if (o.AutoPad != AutoPad.NotSet && !padding.IsZero)
            throw new ArgumentException($"auto_pad={Onnx(o.AutoPad)} and padding={padding} both set the padding: give one of them", "auto_pad");
        if (o.OutputShape is not null && !padding.IsZero)
            throw new ArgumentException($"output_shape {Check.List(o.OutputShape)} derives the padding, so padding={padding} cannot be given with it", "output_shape");
        if (o.OutputShape is not null && o.AutoPad == AutoPad.Valid)
            throw new ArgumentException($"output_shape {Check.List(o.OutputShape)} derives the padding, so auto_pad=VALID (no padding) cannot be given with it", "output_shape");
        if (o.OutputSize is not null && o.AutoPad != AutoPad.NotSet)
            throw new ArgumentException($"output_size {Check.List(o.OutputSize)} keeps the given padding, so auto_pad={Onnx(o.AutoPad)} cannot be given with it", "output_size");
        if (o.OutputSize is not null && outputPadding.Any(p => p != 0))
            throw new ArgumentException($"output_size {Check.List(o.OutputSize)} chooses output_padding, so output_padding {Check.List(outputPadding)} cannot be given with it", "output_size");
    }

    /// <summary>One size per spatial dimension, each at least 1.</summary>
    private static int[] Sizes(int[] sizes, int rank, string name)
    {
        if (sizes.Length != rank)
            throw new ArgumentException($"{name} {Check.List(sizes)} has {sizes.Length} values; a {rank}-d transposed convolution needs {rank} (the spatial sizes only)", name);
        Check.AllAtLeast(sizes, 1, name);
        return sizes;
    }

    private static void CheckDefined(AutoPad autoPad)
    {
        if (!Enum.IsDefined(autoPad))
            throw new ArgumentException($"auto_pad {(int)autoPad} is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID", "auto_pad");
    }

    /// <summary>ONNX's spelling of the attribute value.</summary>
    internal static string Onnx(AutoPad autoPad) => autoPad switch
    {
        AutoPad.SameUpper => "SAME_UPPER",
        AutoPad.SameLower => "SAME_LOWER",
        AutoPad.Valid => "VALID",
        _ => "NOTSET",
    };
}
