namespace ConvAsMatrix.Tests.Onnx;

/// <summary>A class of attribute combinations where ONNX Runtime departs from ONNX's semantics, with the message it gives.</summary>
public sealed record OnnxRuntimeDifference(string Id, string Explanation, params string[] Messages)
{
    public bool Matches(string what) => Messages.Any(m => what.Contains(m, StringComparison.Ordinal));
}

/// <summary>
/// Where ONNX Runtime 1.31.1 (CPU) and ONNX's semantics (the spec and its reference test cases, which the library
/// follows) differ, as measured by <see cref="OnnxRuntimeAgreementTests"/>; docs/onnx.md lists the same four.
/// </summary>
public static class OnnxRuntimeDifferences
{
    public static readonly OnnxRuntimeDifference ConvSameWithDilation = new("conv-same-dilation",
        "Conv with auto_pad SAME_UPPER/SAME_LOWER and a dilation above 1: ONNX defines it, ONNX Runtime refuses to run it.",
        "Dilation not supported for AutoPadType::SAME_UPPER or AutoPadType::SAME_LOWER");

    public static readonly OnnxRuntimeDifference OutputPaddingBelowDilation = new("tconv-output-padding-vs-stride",
        "ConvTranspose with output_padding >= stride in a dimension where it is below the dilation (PyTorch allows output_padding < max(stride, dilation)): ONNX Runtime refuses it.",
        "inconsistent with input spatial dimensions");

    public static readonly OnnxRuntimeDifference OutputShapeBeyondNatural = new("tconv-output-shape-beyond-natural",
        "ConvTranspose with an output_shape larger than the natural size (negative total padding: ONNX's split puts ⌊total/2⌋ at the end, the rest at the beginning): ONNX Runtime refuses it, except when the size passes its stride check (stride 3 in 1-D here), where it returns other values (max abs error ~2, a different placement of the zero-fed border).",
        "Explicit output_shape is inconsistent with input spatial dimensions", "max abs err");

    public static readonly OnnxRuntimeDifference SameWithNegativeTotal = new("tconv-same-negative-total",
        "ConvTranspose with auto_pad SAME_UPPER/SAME_LOWER where in·stride exceeds the natural size (total padding negative, e.g. stride 3 with kernel 2): ONNX's output is in·stride; ONNX Runtime clamps the total padding to 0 and returns the natural size, one or more elements short.",
        "ONNX Runtime's output is");

    public static IReadOnlyList<OnnxRuntimeDifference> All { get; } = [ConvSameWithDilation, OutputPaddingBelowDilation, OutputShapeBeyondNatural, SameWithNegativeTotal];

    /// <summary>The difference a spec falls under, or null when ONNX Runtime should agree with V.</summary>
    public static OnnxRuntimeDifference? Classify(ConvSpec s)
    {
        int rank = s.Rank;
        int[] stride = s.Strides ?? Enumerable.Repeat(1, rank).ToArray();
        int[] dilation = s.Dilations ?? Enumerable.Repeat(1, rank).ToArray();
        bool same = s.AutoPad is "SAME_UPPER" or "SAME_LOWER";
        if (s.Op == "Conv") return same && dilation.Any(d => d > 1) ? ConvSameWithDilation : null;
        int[] outputPadding = s.OutputPadding ?? new int[rank];
        if (Enumerable.Range(0, rank).Any(d => outputPadding[d] >= stride[d])) return OutputPaddingBelowDilation;
        var natural = Enumerable.Range(0, rank).Select(d => (s.InputShape[2 + d] - 1) * stride[d] + (s.WeightShape[2 + d] - 1) * dilation[d] + 1 + outputPadding[d]).ToArray();
        if (s.OutputShape is { } os && Enumerable.Range(0, rank).Any(d => os[d] > natural[d])) return OutputShapeBeyondNatural;
        if (same && s.OutputShape is null && Enumerable.Range(0, rank).Any(d => s.InputShape[2 + d] * stride[d] > natural[d])) return SameWithNegativeTotal;
        return null;
    }
}
