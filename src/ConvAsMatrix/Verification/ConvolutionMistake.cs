namespace ConvAsMatrix.Verification;

/// <summary>
/// A common way to get a convolution wrong, which <see cref="ConvolutionCheck"/> recomputes to see whether it
/// reproduces someone's output: its identifier, a one-line explanation, and the calls that commit it.
/// </summary>
/// <param name="Id">The identifier <c>convmat check</c> prints, e.g. <c>flipped-kernel</c>.</param>
/// <param name="Explanation">One line saying what the mistake is.</param>
public sealed record ConvolutionMistake(string Id, string Explanation)
{
    /// <summary>The variants of the mistake for one call (several where it has several forms, e.g. which way padding moved).</summary>
    internal Func<CheckedCall, IEnumerable<CheckedCall>> Variants { get; private init; } = _ => [];

    /// <summary>Every mistake the check tries, in the order it reports them.</summary>
    public static IReadOnlyList<ConvolutionMistake> All { get; } =
    [
        new("flipped-kernel", "the kernel is flipped in every spatial axis: true convolution instead of cross-correlation")
            { Variants = c => [c with { Weight = CheckTensors.FlipKernel(c.Weight) }] },
        new("swapped-channels", "the weight's C_in and C_out axes are swapped: Conv's (C_out, C_in/g, *k) and ConvTranspose's (C_in, C_out/g, *k) layouts confused")
            { Variants = c => [c with { Weight = CheckTensors.SwapChannelAxes(c.Weight, Groups(c)) }] },
        new("padding-shifted", "the padding is moved between before and after (pads swapped, or all on one side: SAME_UPPER vs SAME_LOWER)")
            { Variants = PaddingShifted },
        new("output-padding-wrong-side", "output_padding is added at the start of each dimension, as zeros after the output without it, instead of at the end")
            { Variants = OutputPaddingWrongSide },
        new("stride-dilation-swapped", "stride and dilation are exchanged")
            { Variants = StrideDilationSwapped },
        new("groups-ignored", "every group reads the first group's input channels: the group offset of the input channel is forgotten")
            { Variants = c => Groups(c) > 1 ? [c with { Input = CheckTensors.FirstGroupEverywhere(c.Input, Groups(c)) }] : [] },
        new("transposed-spatial", "the kernel's last two spatial axes are exchanged (H and W swapped)")
            { Variants = c => c.Weight.Rank >= 4 ? [c with { Weight = CheckTensors.SwapLastSpatialAxes(c.Weight) }] : [] },
        new("bias-missing", "the bias is not added")
            { Variants = c => c.Bias is null ? [] : [c with { BiasTimes = 0 }] },
        new("bias-twice", "the bias is added twice")
            { Variants = c => c.Bias is null ? [] : [c with { BiasTimes = 2 }] },
        new("no-padding", "the padding is ignored (no padding at all)")
            { Variants = NoPadding },
        new("channels-last", "the output is in (N, *spatial, C) memory order (NHWC) though labelled (N, C, *spatial)")
            { Variants = c => [c with { After = CheckTensors.ChannelsLastBuffer }] },
    ];

    private static int Groups(CheckedCall c) => c.Transposed ? c.TransposeOptions.Groups : c.ConvOptions.Groups;

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
        yield return call with { TransposeOptions = call.TransposeOptions with { OutputPadding = new int[op.Length] }, After = y => CheckTensors.PadStart(y, op) };
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
