using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// The properties of issue 2 over random valid geometries (<see cref="GeometryArbitraries"/>): half of them
/// from ForConv, half from ForConvTranspose, every rank, padding style and mode, in exact long arithmetic.
/// </summary>
public class ConvProperties
{
    [ConvProperty]
    public void GeometryFollowsPyTorchsFormulas(GeometrySpec s)
    {
        var g = s.Build();
        Assert.Equal(s.Rank, g.Rank);
        Assert.Equal([s.Batch, s.InChannels, .. s.InputSizes], g.InputShape);
        Assert.Equal([s.Batch, s.OutChannels, .. s.OutputSizes], g.OutputShape);
        Assert.Equal(s.WeightShape, g.WeightShape);
        Assert.Equal(s.PaddingBefore, g.PaddingBefore);
        Assert.Equal(s.PaddingAfter, g.PaddingAfter);
        Assert.Equal(s.OutputPaddings, g.OutputPadding);
        Assert.Equal(s.Strides, g.Stride);
        Assert.Equal(s.Mode, g.PaddingMode);
        Assert.Equal(s.InChannels * s.InputSizes.Aggregate(1, (p, x) => p * x), g.InputLength);
        Assert.Equal(s.OutChannels * s.OutputSizes.Aggregate(1, (p, x) => p * x), g.OutputLength);
    }

    [ConvProperty]
    public void ConvolutionThroughVEqualsDirectCorrelation(GeometrySpec s)
    {
        var (g, v, x, w, _) = Compile(s);
        var direct = Apply(g.Batch * g.OutputLength, r => DirectCorrelation.Apply<long>(g, x, w, r));
        Assert.Equal(direct, Apply(direct.Length, r => v.Convolve(x, r)));
        if (s.Kind == SpecKind.Conv)
            Assert.Equal(direct, Functional.Conv(Tensor.From(x, g.InputShape), Tensor.From(w, g.WeightShape), options: s.ConvOptions).Data);
    }

    [ConvProperty]
    public void TransposedConvolutionThroughVEqualsDirectScatter(GeometrySpec s)
    {
        var (g, v, _, w, y) = Compile(s);
        var direct = Apply(g.Batch * g.InputLength, r => DirectScatter.Apply<long>(g, y, w, r));
        Assert.Equal(direct, Apply(direct.Length, r => v.ConvolveTranspose(y, r)));
        // The no-copy CSC view of the same arrays multiplies as Vᵀ too, sample by sample.
        var vt = v.Transpose();
        Assert.Equal(direct, Apply(direct.Length, r =>
        {
            for (int n = 0; n < g.Batch; n++)
                vt.Multiply(y.AsSpan(n * g.OutputLength, g.OutputLength), r.AsSpan(n * g.InputLength, g.InputLength));
        }));
        if (s.Kind == SpecKind.ConvTranspose)
            Assert.Equal(direct, Functional.ConvTranspose(Tensor.From(y, g.OutputShape), Tensor.From(w, g.WeightShape), options: s.ConvTransposeOptions).Data);
    }

    /// <summary>A fresh array of <paramref name="length"/>, pre-filled with garbage that an overwriting product must not keep, after <paramref name="fill"/>.</summary>
    private static long[] Apply(int length, Action<long[]> fill)
    {
        var result = Enumerable.Repeat(long.MinValue / 3, length).ToArray();
        fill(result);
        return result;
    }

    [ConvProperty]
    public void AdjointIdentityHoldsExactly(GeometrySpec s)
    {
        var (g, v, x, w, y) = Compile(s);
        Assert.Equal(Dot(Apply(y.Length, r => v.Convolve(x, r)), y), Dot(x, Apply(x.Length, r => v.ConvolveTranspose(y, r))));
        // The two references are adjoint to each other as well, without V.
        Assert.Equal(Dot(Apply(y.Length, r => DirectCorrelation.Apply<long>(g, x, w, r)), y),
                     Dot(x, Apply(x.Length, r => DirectScatter.Apply<long>(g, y, w, r))));
    }

    [ConvProperty]
    public void VIsItsDefinitionAndNnzItsClosedForm(GeometrySpec s)
    {
        var (g, v, _, w, _) = Compile(s);
        var definition = DefinitionOfV.Entries(s, w);
        long closedForm = DefinitionOfV.ClosedFormCount(s);
        Assert.Equal(closedForm, definition.Count);
        Assert.Equal(closedForm, g.NonZeroCount);
        Assert.Equal(closedForm, v.NonZerosCount);
        for (int r = 0; r < v.RowCount; r++)
            for (int k = v.RowPointers[r]; k < v.RowPointers[r + 1]; k++)
            {
                // Columns strictly ascending: sorted, and taps on one input element folded into one entry.
                if (k > v.RowPointers[r]) Assert.True(v.ColumnIndices[k] > v.ColumnIndices[k - 1], $"row {r} columns not strictly ascending at {k}");
                Assert.True(definition.TryGetValue((r, v.ColumnIndices[k]), out long expected), $"V stores ({r}, {v.ColumnIndices[k]}), which no tap reads");
                Assert.Equal(expected, v.Values[k]);
            }
    }

    [ConvProperty]
    public void TransposedConvolutionRestoresTheInputShape(GeometrySpec spec)
    {
        // A conv, then the conv_transpose with the same hyperparameters and
        // output_padding = (in + before + after − d·(k − 1) − 1) mod stride, gives back the input's shape.
        var s = spec with { Kind = SpecKind.Conv };
        var conv = s.Build();
        var outputPadding = Enumerable.Range(0, s.Rank)
            .Select(d => (s.InputSize(d) + s.Pad(d).Before + s.Pad(d).After - s.Extent(d)) % s.Stride(d)).ToArray();
        var options = new ConvTransposeOptions
        {
            Stride = s.Strides, Dilation = s.Dilations, Groups = s.Groups, PaddingMode = s.Mode, OutputPadding = outputPadding,
            Padding = Padding.Asymmetric(s.PaddingBefore.Zip(s.PaddingAfter).ToArray()),
        };
        var back = ConvGeometry.ForConvTranspose(conv.OutputShape, conv.WeightShape, options);
        Assert.Equal(conv.InputShape, back.InputShape);
        Assert.Equal(conv.OutputShape, back.OutputShape);

        var (x, w, _) = s.Data();
        var y = Functional.Conv(Tensor.From(x, conv.InputShape), Tensor.From(w, conv.WeightShape), options: s.ConvOptions);
        var z = Functional.ConvTranspose(y, Tensor.From(w, conv.WeightShape), options: options);
        Assert.Equal(conv.InputShape, z.ShapeArray);
    }

    /// <summary>The property cases stay small (fast, readable counterexamples); these cross ParallelRows' threshold.</summary>
    public static class LargeArbitraries
    {
        public static Arbitrary<GeometrySpec> Large() => Arb.From(GeometryArbitraries.LargeSpec, GeometryArbitraries.Shrink);
    }

    [Property(MaxTest = 300, Arbitrary = [typeof(LargeArbitraries)], QuietOnSuccess = true)]
    public void LargeVCompiledInParallelIsItsDefinition(GeometrySpec s)
    {
        VIsItsDefinitionAndNnzItsClosedForm(s);
        ConvolutionThroughVEqualsDirectCorrelation(s);
    }

    [Fact]
    public void SeedsShapeRoundTrip()
    {
        // The seed: conv 10 -> 20 channels, kernel 5, padding 2, stride 3 on 16x16, then the transposed conv.
        var x = Tensor.Zeros<double>(1, 10, 16, 16);
        var w = Tensor.Zeros<double>(20, 10, 5, 5);
        var y = Functional.Conv(x, w, options: new ConvOptions { Padding = 2, Stride = [3] });
        Assert.Equal(new[] { 1, 20, 6, 6 }, y.ShapeArray);
        var z = Functional.ConvTranspose(y, w, options: new ConvTransposeOptions { Padding = 2, Stride = [3] });
        Assert.Equal(new[] { 1, 10, 16, 16 }, z.ShapeArray);
    }

    internal static (ConvGeometry G, ConvolutionMatrix<long> V, long[] X, long[] W, long[] Y) Compile(GeometrySpec s)
    {
        var g = s.Build();
        var (x, w, y) = s.Data();
        return (g, ConvolutionMatrix<long>.Compile(w, g), x, w, y);
    }

    private static long Dot(long[] a, long[] b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
