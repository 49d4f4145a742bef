namespace ConvAsMatrix.Tests.Properties;

/// <summary>Whether a spec describes <c>conv</c> (built with ForConv) or <c>conv_transpose</c> (built with ForConvTranspose).</summary>
public enum SpecKind { Conv, ConvTranspose }

/// <summary>How a spec's padding is spelled. <see cref="Same"/> is only generated for <see cref="SpecKind.Conv"/>.</summary>
public enum PaddingStyle { Symmetric, Asymmetric, Same, Valid }

/// <summary>
/// The free parameters of one spatial dimension. Any values in the generator's ranges give a valid geometry:
/// the input size is derived from them (<see cref="Extra"/> is only the slack above the smallest valid size) and
/// the output padding is <see cref="OutputPaddingSeed"/> reduced below max(stride, dilation).
/// </summary>
public sealed record DimSpec(int Kernel, int Stride, int Dilation, int Before, int After, int Extra, int OutputPaddingSeed)
{
    public override string ToString() => $"k{Kernel} s{Stride} d{Dilation} p{Before}:{After} +{Extra} op~{OutputPaddingSeed}";
}

/// <summary>
/// A convolution geometry described by its free parameters, valid by construction: every size that has a
/// constraint (input size against padding and kernel extent, output padding against stride and dilation, groups
/// against channels) is derived here, in the test, from PyTorch's formulas, never from the library. Shrinking any
/// parameter toward its minimum therefore still gives a valid geometry.
/// </summary>
public sealed record GeometrySpec(
    SpecKind Kind, int Batch, int Groups, int InPerGroup, int OutPerGroup, PaddingMode Mode, PaddingStyle Style,
    DimSpec[] Dims, int DataSeed)
{
    public int Rank => Dims.Length;

    /// <summary>Forward convolution's input channels.</summary>
    public int InChannels => Groups * InPerGroup;

    /// <summary>Forward convolution's output channels (the transposed convolution's input channels).</summary>
    public int OutChannels => Groups * OutPerGroup;

    public int Stride(int d) => Style == PaddingStyle.Same ? 1 : Dims[d].Stride;

    public int Extent(int d) => Dims[d].Dilation * (Dims[d].Kernel - 1) + 1;

    /// <summary>Padding before/after as PyTorch resolves it ('same': total d·(k−1), the smaller half before).</summary>
    public (int Before, int After) Pad(int d) => Style switch
    {
        PaddingStyle.Symmetric => (Dims[d].Before, Dims[d].Before),
        PaddingStyle.Asymmetric => (Dims[d].Before, Dims[d].After),
        PaddingStyle.Same => ((Extent(d) - 1) / 2, Extent(d) - 1 - (Extent(d) - 1) / 2),
        _ => (0, 0),
    };

    /// <summary>output_padding of a transposed spec: below max(stride, dilation), so ≥ stride is possible when dilation > stride.</summary>
    public int OutputPadding(int d) => Kind == SpecKind.Conv ? 0 : Dims[d].OutputPaddingSeed % Math.Max(Stride(d), Dims[d].Dilation);

    /// <summary>The smallest forward input size the padding mode allows: reflect pad &lt; n, circular pad ≤ n.</summary>
    private int ModeMinimum(int d)
    {
        var (b, a) = Pad(d);
        return Mode switch
        {
            PaddingMode.Reflect => Math.Max(b, a) + 1,
            PaddingMode.Circular => Math.Max(Math.Max(b, a), 1),
            _ => 1,
        };
    }

    /// <summary>
    /// The transposed convolution's input size m (the forward output size): the smallest m ≥ 1 whose output
    /// (m − 1)·s − b − a + d·(k − 1) + output_padding + 1 satisfies the mode's minimum, plus the slack.
    /// </summary>
    public int TransposedInputSize(int d)
    {
        int m = 1;
        while (TransposedOutputSize(d, m) < ModeMinimum(d)) m++;
        return m + Dims[d].Extra;
    }

    private int TransposedOutputSize(int d, int m)
    {
        var (b, a) = Pad(d);
        return (m - 1) * Stride(d) - b - a + Extent(d) - 1 + OutputPadding(d) + 1;
    }

    /// <summary>The forward convolution's spatial input size (for a transposed spec, its output size).</summary>
    public int InputSize(int d)
    {
        if (Kind == SpecKind.ConvTranspose) return TransposedOutputSize(d, TransposedInputSize(d));
        var (b, a) = Pad(d);
        return Math.Max(Math.Max(1, Extent(d) - b - a), ModeMinimum(d)) + Dims[d].Extra;
    }

    /// <summary>The forward convolution's spatial output size: PyTorch's floor formula, or the transposed input size.</summary>
    public int OutputSize(int d)
    {
        if (Kind == SpecKind.ConvTranspose) return TransposedInputSize(d);
        var (b, a) = Pad(d);
        return (InputSize(d) + b + a - Extent(d)) / Stride(d) + 1;
    }

    public int[] InputSizes => Enumerable.Range(0, Rank).Select(InputSize).ToArray();

    public int[] OutputSizes => Enumerable.Range(0, Rank).Select(OutputSize).ToArray();

    public int[] PaddingBefore => Enumerable.Range(0, Rank).Select(d => Pad(d).Before).ToArray();

    public int[] PaddingAfter => Enumerable.Range(0, Rank).Select(d => Pad(d).After).ToArray();

    public int[] Kernel => Dims.Select(x => x.Kernel).ToArray();

    public int[] Strides => Enumerable.Range(0, Rank).Select(Stride).ToArray();

    public int[] Dilations => Dims.Select(x => x.Dilation).ToArray();

    public int[] OutputPaddings => Enumerable.Range(0, Rank).Select(OutputPadding).ToArray();

    /// <summary>True when some dimension has output_padding ≥ stride: the forward convolution's last rows are cropped.</summary>
    public bool IsCropped => Enumerable.Range(0, Rank).Any(d => OutputPadding(d) >= Stride(d));

    public Padding Padding => Style switch
    {
        PaddingStyle.Symmetric => Padding.Symmetric(PaddingBefore),
        PaddingStyle.Asymmetric => Padding.Asymmetric(PaddingBefore.Zip(PaddingAfter).ToArray()),
        PaddingStyle.Same => Padding.Same,
        _ => Padding.Valid,
    };

    /// <summary>The forward weight (C_out, C_in/groups, *k), which is also the transposed weight (C_in_t, C_out_t/groups, *k).</summary>
    public int[] WeightShape => [OutChannels, InPerGroup, .. Kernel];

    public ConvOptions ConvOptions => new() { Stride = Strides, Padding = Padding, Dilation = Dilations, Groups = Groups, PaddingMode = Mode };

    public ConvTransposeOptions ConvTransposeOptions => new()
    {
        Stride = Strides, Padding = Padding, OutputPadding = OutputPaddings, Dilation = Dilations, Groups = Groups, PaddingMode = Mode,
    };

    /// <summary>The library's geometry for this spec, through the public factory of its kind.</summary>
    public ConvGeometry Build() => Kind == SpecKind.Conv
        ? ConvGeometry.ForConv([Batch, InChannels, .. InputSizes], WeightShape, ConvOptions)
        : ConvGeometry.ForConvTranspose([Batch, OutChannels, .. OutputSizes], WeightShape, ConvTransposeOptions);

    /// <summary>Integer data in [−9, 9], reproducible from <see cref="DataSeed"/>.</summary>
    public (long[] Input, long[] Weight, long[] Output) Data()
    {
        var rng = new Random(DataSeed);
        long[] Draw(int n) => Enumerable.Range(0, n).Select(_ => (long)rng.Next(-9, 10)).ToArray();
        long sampleIn = InChannels * InputSizes.Aggregate(1L, (p, s) => p * s);
        long sampleOut = OutChannels * OutputSizes.Aggregate(1L, (p, s) => p * s);
        return (Draw((int)(Batch * sampleIn)), Draw(WeightShape.Aggregate(1, (p, s) => p * s)), Draw((int)(Batch * sampleOut)));
    }

    public override string ToString() =>
        $"{Kind} rank {Rank} N{Batch} g{Groups} cin {InChannels} cout {OutChannels} {Mode} {Style} [{string.Join("; ", Dims.Select(x => x.ToString()))}] " +
        $"in ({string.Join(",", InputSizes)}) out ({string.Join(",", OutputSizes)}) op ({string.Join(",", OutputPaddings)}) seed {DataSeed}";
}
