namespace ConvAsMatrix.Verification;

/// <summary>
/// A common way to get a convolution layer's pass wrong, which <see cref="ConvolutionCheck"/> recomputes to see whether
/// it reproduces someone's result: its identifier, a one-line explanation, the passes it can happen in, and the calls
/// that commit it.
/// </summary>
/// <remarks>
/// A mistake of a forward pass has, in each gradient pass, the form a backward kernel written with the same slip
/// takes: e.g. groups-ignored reads group 0's input in the weight gradient, and adds every group into group 0's
/// channels in the input gradient (the adjoint). Gradient passes also have mistakes of their own: batch-mean,
/// weight-grad-flipped, weight-grad-transposed.
/// </remarks>
/// <param name="Id">The identifier <c>convmat check</c> prints, e.g. <c>flipped-kernel</c>.</param>
/// <param name="Explanation">One line saying what the mistake is.</param>
public sealed record ConvolutionMistake(string Id, string Explanation)
{
    /// <summary>The variants of the mistake for one call (several where it has several forms, e.g. which way padding moved).</summary>
    internal Func<CheckedCall, IEnumerable<CheckedCall>> Variants { get; private init; } = _ => [];

    /// <summary>The passes the mistake can be made in.</summary>
    internal CheckedPass Passes { get; private init; } = CheckedPass.All;

    /// <summary>Whether the check tries this mistake on a result of <paramref name="operation"/>.</summary>
    public bool AppliesTo(CheckedOperation operation) => (Passes & operation.Pass()) != 0;

    /// <summary>Every mistake the check tries, in the order it reports them (each only on the passes it <see cref="AppliesTo"/>).</summary>
    public static IReadOnlyList<ConvolutionMistake> All { get; } =
    [
        new("flipped-kernel", "the kernel is flipped in every spatial axis: true convolution instead of cross-correlation")
            { Variants = c => [c with { Weight = CheckTensors.FlipKernel(c.Weight) }], Passes = CheckedPass.Forward | CheckedPass.InputGradient },
        new("swapped-channels", "the weight's C_in and C_out axes are swapped: Conv's (C_out, C_in/g, *k) and ConvTranspose's (C_in, C_out/g, *k) layouts confused")
            { Variants = c => [c with { Weight = CheckTensors.SwapChannelAxes(c.Weight, c.Groups) }], Passes = CheckedPass.Forward | CheckedPass.InputGradient },
        new("padding-shifted", "the padding is moved between before and after (pads swapped, or all on one side: SAME_UPPER vs SAME_LOWER)")
            { Variants = PaddingShifted },
        new("output-padding-wrong-side", "output_padding is added at the start of each dimension, as zeros after the output without it, instead of at the end")
            { Variants = OutputPaddingWrongSide },
        new("stride-dilation-swapped", "stride and dilation are exchanged")
            { Variants = StrideDilationSwapped },
        new("groups-ignored", "every group reads the first group's input channels: the group offset of the input channel is forgotten")
            { Variants = GroupsIgnored },
        new("transposed-spatial", "the kernel's last two spatial axes are exchanged (H and W swapped)")
            { Variants = TransposedSpatial },
        new("bias-missing", "the bias is not added")
            { Variants = c => c.Bias is null ? [] : [c with { BiasTimes = 0 }], Passes = CheckedPass.Forward },
        new("bias-twice", "the bias is added twice")
            { Variants = c => c.Bias is null ? [] : [c with { BiasTimes = 2 }], Passes = CheckedPass.Forward },
        // Forward only: in a gradient the output gradient fixes the output's size, and where no padding keeps that size
        // it never reads the padding after the input, so it is padding-shifted's "all after" to the last element.
        new("no-padding", "the padding is ignored (no padding at all)")
            { Variants = NoPadding, Passes = CheckedPass.Forward },
        new("channels-last", "the result is in (N, *spatial, C) memory order (NHWC; a weight gradient (C_out, *k, C_in/g), OHWI) though labelled (N, C, *spatial)")
            { Variants = c => [c with { After = CheckTensors.ChannelsLastBuffer }] },
        new("batch-mean", "the gradient is divided by the batch size (the loss taken as a mean over the batch, not a sum)")
            { Variants = BatchMean, Passes = CheckedPass.Gradients },
        new("weight-grad-flipped", "the weight gradient is flipped in every spatial axis (a convolution of the input with the output gradient instead of a correlation)")
            { Variants = c => [c with { After = CheckTensors.FlipKernel }], Passes = CheckedPass.WeightGradient },
        new("weight-grad-transposed", "the weight gradient is written in the other channel layout: (C_in, C_out/g, *k) for conv's (C_out, C_in/g, *k), or back for conv_transpose; with that shape or read with the right one (w.transpose(0, 1) for g = 1 and square channels)")
            { Variants = WeightGradTransposed, Passes = CheckedPass.WeightGradient },
    ];

    /// <summary>
    /// The mistakes of a quantized convolution that <see cref="QuantizedCheck"/> tries (by recomputing the integer
    /// arithmetic), after the convolution's own: <c>zero-point-ignored</c> and <c>requantize-rounding</c>.
    /// </summary>
    public static IReadOnlyList<ConvolutionMistake> Quantized { get; } =
    [
        new("zero-point-ignored", "a zero point is not subtracted: x_zero_point, w_zero_point or both taken as 0") { Passes = 0 },
        new("requantize-rounding", "requantization rounds halves away from zero (C's round) instead of to even (ONNX, std::nearbyint)") { Passes = 0 },
    ];

    private static IEnumerable<CheckedCall> GroupsIgnored(CheckedCall c)
    {
        if (c.Groups <= 1) return [];
        int groups = c.Groups;
        // The forward pass, and the weight gradient (it correlates the output gradient with the input the forward pass
        // read), read group 0's input everywhere; the input gradient of such a forward pass is its adjoint: it adds
        // every group's gradient into group 0's channels.
        return c.Pass == CheckedPass.InputGradient
            ? [c with { After = t => CheckTensors.SumIntoFirstGroup(t, groups) }]
            : [c with { Input = CheckTensors.FirstGroupEverywhere(c.Input, groups) }];
    }

    private static IEnumerable<CheckedCall> TransposedSpatial(CheckedCall c)
    {
        if (c.Weight.Rank < 4) return [];
        // A weight gradient has no kernel operand: its own last two axes are exchanged.
        return c.Pass == CheckedPass.WeightGradient
            ? [c with { After = CheckTensors.SwapLastSpatialAxes }]
            : [c with { Weight = CheckTensors.SwapLastSpatialAxes(c.Weight) }];
    }

    private static IEnumerable<CheckedCall> BatchMean(CheckedCall c)
    {
        int n = c.Input.Shape[0];
        return n <= 1 ? [] : [c with { After = t => CheckTensors.Scale(t, 1.0 / n) }];
    }

    private static IEnumerable<CheckedCall> WeightGradTransposed(CheckedCall c)
    {
        int groups = c.Groups;
        // The other layout with its own shape, and (when the shapes differ) the same buffer labelled with the right shape.
        yield return c with { After = t => CheckTensors.OtherChannelLayout(t, groups) };
        if (c.Weight.Shape[1] * groups != c.Weight.Shape[0])
            yield return c with { After = t => CheckTensors.OtherChannelLayout(t, groups).Reshape(t.ShapeArray) };
    }

    /// <summary>The call with explicit pads (before, after) per dimension and everything derived from the padding fixed as resolved.</summary>
    private static CheckedCall WithPads(CheckedCall c, ConvGeometry g, (int Before, int After)[] pads) => c with
    {
        ConvOptions = c.ConvOptions with { Padding = Padding.Asymmetric(pads), AutoPad = AutoPad.NotSet },
        TransposeOptions = c.TransposeOptions with
        {
            Padding = Padding.Asymmetric(pads), AutoPad = AutoPad.NotSet, OutputShape = null, OutputSize = null, OutputPadding = [.. g.OutputPadding],
        },
    };

    private static IEnumerable<CheckedCall> PaddingShifted(CheckedCall c)
    {
        var g = c.Geometry;
        var pads = g.PaddingBefore.Zip(g.PaddingAfter).ToArray();
        if (pads.Any(p => p.First < 0 || p.Second < 0) || pads.All(p => p.First == 0 && p.Second == 0)) yield break;
        // Swapped in every dimension, in one dimension, or all of it before / after: each keeps the output's size.
        var variants = new List<(int, int)[]> { pads.Select(p => (p.Second, p.First)).ToArray() };
        for (int d = 0; d < pads.Length && pads.Length > 1; d++)
            variants.Add(pads.Select((p, i) => i == d ? (p.Second, p.First) : (p.First, p.Second)).ToArray());
        variants.Add(pads.Select(p => (p.First + p.Second, 0)).ToArray());
        variants.Add(pads.Select(p => (0, p.First + p.Second)).ToArray());
        foreach (var v in variants.Where(v => !v.SequenceEqual(pads.Select(p => (p.First, p.Second)))).Distinct(new PadsComparer()))
            yield return WithPads(c, g, v);
    }

    private static IEnumerable<CheckedCall> OutputPaddingWrongSide(CheckedCall c)
    {
        if (!c.Transposed) yield break;
        var g = c.Geometry;
        var op = g.OutputPadding.ToArray();
        if (op.All(p => p == 0) || g.PaddingBefore.Any(p => p < 0) || g.PaddingAfter.Any(p => p < 0)) yield break;
        // The output without output_padding, then output_padding zeros in front of it.
        var call = WithPads(c, g, g.PaddingBefore.Zip(g.PaddingAfter).ToArray());
        call = call with { TransposeOptions = call.TransposeOptions with { OutputPadding = new int[op.Length] } };
        if (call.Pass == CheckedPass.Forward)
        {
            yield return call with { After = y => CheckTensors.PadStart(y, op) };
            yield break;
        }
        // A gradient pass of that forward pass reads the output gradient without its first output_padding positions (the adjoint);
        // an output gradient no longer than output_padding leaves nothing to read.
        if (call.GradOutput!.ShapeArray[2..].Zip(op).Any(p => p.First <= p.Second)) yield break;
        yield return call with { GradOutput = CheckTensors.CropStart(call.GradOutput, op) };
    }

    private static IEnumerable<CheckedCall> StrideDilationSwapped(CheckedCall c)
    {
        var g = c.Geometry;
        if (g.Stride.SequenceEqual(g.Dilation)) return [];
        int[] stride = [.. g.Dilation], dilation = [.. g.Stride];
        return [c with
        {
            ConvOptions = c.ConvOptions with { Stride = stride, Dilation = dilation },
            TransposeOptions = c.TransposeOptions with { Stride = stride, Dilation = dilation },
        }];
    }

    private static IEnumerable<CheckedCall> NoPadding(CheckedCall c)
    {
        var g = c.Geometry;
        if (g.PaddingBefore.All(p => p == 0) && g.PaddingAfter.All(p => p == 0)) return [];
        return [WithPads(c, g, new (int, int)[g.Rank])];
    }

    private sealed class PadsComparer : IEqualityComparer<(int, int)[]>
    {
        public bool Equals((int, int)[]? x, (int, int)[]? y) => x!.SequenceEqual(y!);

        public int GetHashCode((int, int)[] obj) => obj.Aggregate(17, (h, p) => HashCode.Combine(h, p.Item1, p.Item2));
    }
}
