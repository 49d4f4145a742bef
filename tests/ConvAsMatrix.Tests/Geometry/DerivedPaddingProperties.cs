using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Geometry;

/// <summary>
/// ONNX's auto_pad and output_shape, PyTorch's output_size and unbatched input, over random valid geometries
/// (<see cref="GeometryArbitraries"/>). The expected pads are computed here from the formulas of the ONNX spec and
/// PyTorch's <c>_output_padding</c>, never from the library; the expected values of an output_shape beyond the
/// natural size from the natural output, cropped or extended with zeros.
/// </summary>
public class DerivedPaddingProperties
{
    /// <summary>ONNX's split with Python's floor division: upper begin = ⌊t/2⌋; lower (and NOTSET) end = ⌊t/2⌋.</summary>
    private static (int Before, int After) OnnxSplit(int total, bool upper)
    {
        int half = (int)Math.Floor(total / 2.0);
        return upper ? (half, total - half) : (total - half, half);
    }

    [ConvProperty]
    public void ConvAutoPadIsOnnxsPaddingGivenExplicitly(GeometrySpec spec, AutoPad autoPad)
    {
        var s = spec with { Kind = SpecKind.Conv };
        var pairs = Enumerable.Range(0, s.Rank).Select(d =>
        {
            if (autoPad is AutoPad.NotSet or AutoPad.Valid) return (0, 0);
            int n = s.InputSize(d), stride = s.Stride(d), output = (n + stride - 1) / stride;
            return OnnxSplit(Math.Max(0, (output - 1) * stride + s.Extent(d) - n), autoPad == AutoPad.SameUpper);
        }).ToArray();
        int[] input = [s.Batch, s.InChannels, .. s.InputSizes];
        var auto = Build(() => ConvGeometry.ForConv(input, s.WeightShape, s.ConvOptions with { Padding = Padding.Zero, AutoPad = autoPad }));
        var given = Build(() => ConvGeometry.ForConv(input, s.WeightShape, s.ConvOptions with { Padding = Padding.Asymmetric(pairs) }));
        Assert.Equal(given, auto);
        if (auto is ConvGeometry g && autoPad is AutoPad.SameUpper or AutoPad.SameLower)
            Assert.Equal(s.InputSizes.Select((n, d) => (n + s.Stride(d) - 1) / s.Stride(d)), g.OutputSize);
    }

    [ConvProperty]
    public void OutputShapeAndTransposedAutoPadCropOrExtendTheNaturalOutput(GeometrySpec spec, AutoPad autoPad, byte deltaSeed)
    {
        // Two thirds in zeros mode, where the values are checked; the rest checks the other modes' refusals and explicit equivalents.
        var s = spec with { Kind = SpecKind.ConvTranspose, Style = PaddingStyle.Symmetric, Mode = deltaSeed % 3 == 0 ? spec.Mode : PaddingMode.Zeros };
        int rank = s.Rank;
        var m = s.OutputSizes; // the transposed input
        var natural = Enumerable.Range(0, rank).Select(d => (m[d] - 1) * s.Stride(d) + s.Extent(d) + s.OutputPadding(d)).ToArray();
        // SAME_* alone aims at in·stride; otherwise an output_shape from 4 below to 2 beyond the natural size (VALID: natural).
        bool same = autoPad is AutoPad.SameUpper or AutoPad.SameLower;
        bool withShape = !same || deltaSeed % 2 == 1;
        if (autoPad == AutoPad.Valid) withShape = false;
        var target = Enumerable.Range(0, rank).Select(d =>
            autoPad == AutoPad.Valid ? natural[d] : withShape ? Math.Max(1, natural[d] + (deltaSeed + 3 * d) % 7 - 4) : m[d] * s.Stride(d)).ToArray();
        var pads = Enumerable.Range(0, rank).Select(d => OnnxSplit(natural[d] - target[d], autoPad == AutoPad.SameUpper)).ToArray();
        var options = s.ConvTransposeOptions with { Padding = Padding.Zero, AutoPad = autoPad, OutputShape = withShape ? target : null };
        int[] input = [s.Batch, s.OutChannels, .. m];

        bool negative = pads.Any(p => p.Before < 0 || p.After < 0);
        if (negative && s.Mode != PaddingMode.Zeros)
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, options));
            Assert.Contains(ex.ParamName, new[] { "output_shape", "auto_pad" });
            return;
        }
        if (s.Mode != PaddingMode.Zeros)
        {
            // Non-negative pads: the same geometry as the pads given explicitly (or the same refusal, e.g. reflect pads too large).
            var given = Build(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, s.ConvTransposeOptions with { Padding = Padding.Asymmetric(pads) }));
            Assert.Equal(given, Build(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, options)));
            return;
        }
        var g = ConvGeometry.ForConvTranspose(input, s.WeightShape, options);
        Assert.Equal(target, g.InputSize);
        Assert.Equal(pads.Select(p => p.Before), g.PaddingBefore);
        Assert.Equal(pads.Select(p => p.After), g.PaddingAfter);

        // Values: output[i] = natural[i + before] inside the natural output, 0 outside (negative pads add zero-fed positions).
        var (_, w, y) = s.Data();
        var weight = Tensor.From(w, s.WeightShape);
        var yt = Tensor.From(y, input);
        // The closed-form entry count holds with negative pads too (their columns of V are empty), and V·x is the direct correlation.
        var v = ConvolutionMatrix<long>.Compile(w, g);
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);
        var rng = new Random(s.DataSeed);
        var x = Enumerable.Range(0, g.Batch * g.InputLength).Select(_ => (long)rng.Next(-9, 10)).ToArray();
        var direct = new long[g.Batch * g.OutputLength];
        DirectCorrelation.Apply<long>(g, x, w, direct);
        var viaV = new long[direct.Length];
        v.Convolve(x, viaV);
        Assert.Equal(direct, viaV);
        var full = Functional.ConvTranspose(yt, weight, options: s.ConvTransposeOptions with { Padding = Padding.Zero });
        Assert.Equal(natural, full.ShapeArray[2..]);
        foreach (var method in new[] { ConvMethod.Matrix, ConvMethod.Direct })
        {
            var result = Functional.ConvTranspose(yt, weight, options: options, method: method);
            Assert.Equal([s.Batch, s.InChannels, .. target], result.ShapeArray);
            var t3 = ConvGeometry.Pad3(target, 1);
            var n3 = ConvGeometry.Pad3(natural, 1);
            var b3 = ConvGeometry.Pad3(pads.Select(p => p.Before).ToArray(), 0);
            int i = 0;
            for (int bc = 0; bc < s.Batch * s.InChannels; bc++)
                for (int i0 = 0; i0 < t3[0]; i0++)
                    for (int i1 = 0; i1 < t3[1]; i1++)
                        for (int i2 = 0; i2 < t3[2]; i2++, i++)
                        {
                            int j0 = i0 + b3[0], j1 = i1 + b3[1], j2 = i2 + b3[2];
                            bool inside = j0 >= 0 && j0 < n3[0] && j1 >= 0 && j1 < n3[1] && j2 >= 0 && j2 < n3[2];
                            long expected = inside ? full.Data[((bc * n3[0] + j0) * n3[1] + j1) * n3[2] + j2] : 0;
                            Assert.Equal(expected, result.Data[i]);
                        }
        }
    }

    [ConvProperty]
    public void OutputSizeChoosesOutputPaddingAsPyTorchDoes(GeometrySpec spec, byte deltaSeed)
    {
        var s = spec with { Kind = SpecKind.ConvTranspose, Style = spec.Style == PaddingStyle.Same ? PaddingStyle.Symmetric : spec.Style };
        int rank = s.Rank, last = rank - 1;
        // PyTorch's range per dimension: [min, min + stride − 1], min the output without output_padding.
        var min = Enumerable.Range(0, rank).Select(d => s.InputSize(d) - s.OutputPadding(d)).ToArray();
        int delta = deltaSeed % (s.Stride(last) + 2) - 1; // −1 … stride: one below and one above the range included
        var size = min.Select((v, d) => d == last ? v + delta : v).ToArray();
        int[] input = [s.Batch, s.OutChannels, .. s.OutputSizes];
        var options = s.ConvTransposeOptions with { OutputPadding = [0], OutputSize = size };
        if (delta < 0 || delta >= s.Stride(last))
        {
            var ex = Assert.ThrowsAny<ArgumentException>(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, options));
            Assert.Equal("output_size", ex.ParamName);
            return;
        }
        var outputPadding = Enumerable.Range(0, rank).Select(d => d == last ? delta : 0).ToArray();
        var given = Build(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, s.ConvTransposeOptions with { OutputPadding = outputPadding }));
        var chosen = Build(() => ConvGeometry.ForConvTranspose(input, s.WeightShape, options));
        Assert.Equal(given, chosen);
        if (chosen is ConvGeometry g) Assert.Equal(size, g.InputSize);
    }

    [ConvProperty]
    public void UnbatchedInputIsABatchOfOneWithoutItsBatchDimension(GeometrySpec spec)
    {
        var s = spec with { Batch = 1 };
        var g = s.Build();
        var (x, w, y) = s.Data();
        var weight = Tensor.From(w, s.WeightShape);
        var (batched, unbatched) = s.Kind == SpecKind.Conv
            ? (Functional.Conv(Tensor.From(x, g.InputShape), weight, options: s.ConvOptions),
               Functional.Conv(Tensor.From(x, g.InputShape[1..]), weight, options: s.ConvOptions))
            : (Functional.ConvTranspose(Tensor.From(y, g.OutputShape), weight, options: s.ConvTransposeOptions),
               Functional.ConvTranspose(Tensor.From(y, g.OutputShape[1..]), weight, options: s.ConvTransposeOptions));
        Assert.Equal(batched.ShapeArray[1..], unbatched.ShapeArray);
        Assert.Equal(batched.Data, unbatched.Data);
    }

    /// <summary>The geometry, or the ArgumentException type's marker when the call refuses it (anything else fails the test).</summary>
    private static object Build(Func<ConvGeometry> build)
    {
        try { return build(); }
        catch (ArgumentException) { return "refused"; }
    }
}
