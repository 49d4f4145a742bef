namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// Every combination of ONNX Conv/ConvTranspose attributes the tests run through ONNX Runtime: padding kinds
/// (none, symmetric and asymmetric pads, auto_pad NOTSET/SAME_UPPER/SAME_LOWER/VALID, and for ConvTranspose
/// output_shape below and beyond the natural size, alone and with SAME_UPPER) × strides × dilations × groups
/// (× output_padding for ConvTranspose), in 1-D, 2-D and 3-D.
/// </summary>
public static class AttributeCombinations
{
    public static IReadOnlyList<ConvSpec> Conv(int rank)
    {
        int[] size = rank switch { 1 => [9], 2 => [7, 6], _ => [5, 4, 5] };
        int[] kernel = new[] { 3, 2, 2 }[..rank];
        var specs = new List<ConvSpec>();
        foreach (var strides in new[] { Fill(rank, 1), Mixed(rank, [2, 1, 2]) })
        foreach (var dilations in new[] { Fill(rank, 1), Mixed(rank, [1, 2, 1]) })
        foreach (var group in new[] { 1, 2 })
        {
            var basic = new ConvSpec("Conv", [1, 4, .. size], [4, 4 / group, .. kernel], Strides: strides, Dilations: dilations, Group: group);
            specs.Add(basic);
            specs.Add(basic with { Pads = Fill(2 * rank, 1), KernelShape = true });
            specs.Add(basic with { Pads = Asymmetric(rank) });
            specs.Add(basic with { AutoPad = "NOTSET", Pads = Asymmetric(rank).Reverse().ToArray() });
            specs.Add(basic with { AutoPad = "SAME_UPPER" });
            specs.Add(basic with { AutoPad = "SAME_LOWER" });
            specs.Add(basic with { AutoPad = "VALID", Bias = false });
        }
        return specs;
    }

    public static IReadOnlyList<ConvSpec> ConvTranspose(int rank)
    {
        int[] size = rank switch { 1 => [4], 2 => [3, 4], _ => [3, 2, 3] };
        int[] kernel = new[] { 3, 2, 2 }[..rank];
        var specs = new List<ConvSpec>();
        foreach (var strides in new[] { Fill(rank, 1), Mixed(rank, [2, 3, 2]) })
        foreach (var dilations in new[] { Fill(rank, 1), Mixed(rank, [1, 2, 1]) })
        foreach (var group in new[] { 1, 2 })
        foreach (var withOutputPadding in new[] { false, true })
        {
            // output_padding must stay below max(stride, dilation) in each dimension.
            int[]? outputPadding = null;
            if (withOutputPadding)
            {
                outputPadding = Enumerable.Range(0, rank).Select(d => Math.Max(strides[d], dilations[d]) > 1 ? 1 : 0).ToArray();
                if (outputPadding.All(p => p == 0)) continue;
            }
            var natural = Enumerable.Range(0, rank).Select(d => (size[d] - 1) * strides[d] + (kernel[d] - 1) * dilations[d] + 1 + (outputPadding?[d] ?? 0)).ToArray();
            var basic = new ConvSpec("ConvTranspose", [1, 4, .. size], [4, 4 / group, .. kernel], Strides: strides, Dilations: dilations, Group: group, OutputPadding: outputPadding);
            specs.Add(basic);
            specs.Add(basic with { Pads = Fill(2 * rank, 1), KernelShape = true });
            specs.Add(basic with { Pads = Asymmetric(rank) });
            specs.Add(basic with { AutoPad = "SAME_UPPER" });
            specs.Add(basic with { AutoPad = "SAME_LOWER" });
            specs.Add(basic with { AutoPad = "VALID", Bias = false });
            specs.Add(basic with { OutputShape = natural.Select(n => n - 1).ToArray() });
            specs.Add(basic with { OutputShape = natural.Select(n => n - 1).ToArray(), AutoPad = "SAME_UPPER" });
            specs.Add(basic with { OutputShape = natural.Select(n => n + 2).ToArray() });
        }
        return specs;
    }

    private static int[] Fill(int n, int value) => Enumerable.Repeat(value, n).ToArray();

    /// <summary>Per-dimension values that differ between dimensions; in 1-D the value above 1.</summary>
    private static int[] Mixed(int rank, int[] values) => rank == 1 ? [values.Max()] : values[..rank];

    /// <summary>pads = [begins…, ends…] that differ between begin and end in every dimension.</summary>
    private static int[] Asymmetric(int rank) => [.. new[] { 0, 1, 2 }[..rank], .. new[] { 2, 0, 1 }[..rank]];
}
