using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Gradients;

/// <summary>
/// U(x), the weight-side matrix, over random valid geometries (<see cref="GeometryArbitraries"/>: conv and
/// conv_transpose, ranks 1–3, groups, stride, dilation, every padding style and mode, output_padding, batches), exact in long.
/// </summary>
public class PatchMatrixProperties
{
    /// <summary>U of the spec's own operation: a conv's U(x) of its input, a conv_transpose's U(x_t) of its input (the forward output side).</summary>
    private static (ConvGeometry G, PatchMatrix<long> U, long[] X, long[] W, long[] G2) Build(GeometrySpec s)
    {
        var g = s.Build();
        var (x, w, y) = s.Data();
        // The batch U is built from and the output gradient it is paired with: each on its own side of V.
        return s.Kind == SpecKind.Conv
            ? (g, PatchMatrix<long>.ForConv(g, x), x, w, y)
            : (g, PatchMatrix<long>.ForConvTranspose(g, y), y, w, x);
    }

    /// <summary>The convolution (or transposed convolution) of the spec's batch through the explicit V.</summary>
    private static long[] Forward(GeometrySpec s, ConvGeometry g, long[] w, long[] batch)
    {
        var v = ConvolutionMatrix<long>.Compile(w, g);
        var result = new long[s.Kind == SpecKind.Conv ? g.Batch * g.OutputLength : g.Batch * g.InputLength];
        if (s.Kind == SpecKind.Conv) v.Convolve(batch, result);
        else v.ConvolveTranspose(batch, result);
        return result;
    }

    [ConvProperty]
    public void UTimesWeightIsVTimesInput(GeometrySpec s)
    {
        var (g, u, x, w, _) = Build(s);
        var uw = Filled(u.RowCount);
        u.Multiply(w, uw);
        Assert.Equal(Forward(s, g, w, x), uw);
    }

    [ConvProperty]
    public void BilinearIdentityHoldsExactly(GeometrySpec s)
    {
        // ⟨V(w)x, g⟩ = ⟨w, U(x)ᵀg⟩ = ⟨x, V(w)ᵀg⟩ for a conv; for a conv_transpose V(w)ᵀ plays V(w)'s part.
        var (g, u, x, w, grad) = Build(s);
        var gw = Filled(g.WeightLength);
        u.TransposeMultiply(grad, gw);
        var v = ConvolutionMatrix<long>.Compile(w, g);
        var back = new long[x.Length];
        if (s.Kind == SpecKind.Conv) v.ConvolveTranspose(grad, back);
        else v.Convolve(grad, back);
        long output = Dot(Forward(s, g, w, x), grad), weight = Dot(w, gw), input = Dot(x, back);
        Assert.Equal(output, weight);
        Assert.Equal(output, input);
    }

    [ConvProperty]
    public void UTransposeTimesGradientIsTheReferenceLoop(GeometrySpec s)
    {
        var (g, u, x, _, grad) = Build(s);
        var expected = new long[g.WeightLength];
        if (s.Kind == SpecKind.Conv) DirectWeightGradient.Apply<long>(g, x, grad, expected);
        else DirectWeightGradient.Apply<long>(g, grad, x, expected);
        var gw = Filled(g.WeightLength);
        u.TransposeMultiply(grad, gw);
        Assert.Equal(expected, gw);

        // The functional API, with PyTorch's argument order, gives the same.
        var functional = s.Kind == SpecKind.Conv
            ? Functional.ConvWeightGrad(Tensor.From(x, g.InputShape), g.WeightShape, Tensor.From(grad, g.OutputShape), s.ConvOptions)
            : Functional.ConvTransposeWeightGrad(Tensor.From(x, g.OutputShape), g.WeightShape, Tensor.From(grad, g.InputShape), s.ConvTransposeOptions);
        Assert.Equal(g.WeightShape, functional.ShapeArray);
        Assert.Equal(expected, functional.Data);
    }

    [ConvProperty]
    public void ExplicitUIsItsDefinitionAndTheStructuredU(GeometrySpec s)
    {
        var (g, u, x, w, grad) = Build(s);
        var definition = Definition(s, x);
        var explicitU = u.ToCompressedRows();
        Assert.Equal(definition.Count, explicitU.NonZerosCount);
        Assert.Equal(definition.Count, u.NonZeroCount);
        for (int r = 0; r < explicitU.RowCount; r++)
            for (int k = explicitU.RowPointers[r]; k < explicitU.RowPointers[r + 1]; k++)
            {
                if (k > explicitU.RowPointers[r]) Assert.True(explicitU.ColumnIndices[k] > explicitU.ColumnIndices[k - 1], $"row {r} columns not strictly ascending at {k}");
                Assert.True(definition.TryGetValue((r, explicitU.ColumnIndices[k]), out long expected), $"U stores ({r}, {explicitU.ColumnIndices[k]}), which no tap reads");
                Assert.Equal(expected, explicitU.Values[k]);
            }
        // Entry for entry the same operator: both products agree with the structured U.
        var (a, b) = (Filled(u.RowCount), Filled(u.RowCount));
        explicitU.Multiply(w, a);
        u.Multiply(w, b);
        Assert.Equal(a, b);
        var (c, d) = (Filled(g.WeightLength), Filled(g.WeightLength));
        explicitU.TransposeMultiply(grad, c);
        u.TransposeMultiply(grad, d);
        Assert.Equal(c, d);
    }

    [ConvProperty]
    public void InputAndBiasGradientsArePyTorchs(GeometrySpec s)
    {
        var g = s.Build();
        var (x, w, y) = s.Data();
        var weight = Tensor.From(w, g.WeightShape);
        if (s.Kind == SpecKind.Conv)
        {
            var expected = new long[x.Length];
            DirectScatter.Apply<long>(g, y, w, expected);
            Assert.Equal(expected, Functional.ConvInputGrad(g.InputShape, weight, Tensor.From(y, g.OutputShape), s.ConvOptions).Data);
            Assert.Equal(expected, Functional.ConvInputGrad(g.InputShape, weight, Tensor.From(y, g.OutputShape), s.ConvOptions, ConvMethod.Direct).Data);
        }
        else
        {
            var expected = new long[y.Length];
            DirectCorrelation.Apply<long>(g, x, w, expected);
            Assert.Equal(expected, Functional.ConvTransposeInputGrad(g.OutputShape, weight, Tensor.From(x, g.InputShape), s.ConvTransposeOptions).Data);
        }
        var gradOutput = s.Kind == SpecKind.Conv ? Tensor.From(y, g.OutputShape) : Tensor.From(x, g.InputShape);
        int channels = gradOutput.Shape[1], plane = gradOutput.Length / (gradOutput.Shape[0] * channels);
        var bias = new long[channels];
        for (int n = 0; n < gradOutput.Shape[0]; n++)
            for (int ch = 0; ch < channels; ch++)
                for (int p = 0; p < plane; p++) bias[ch] += gradOutput.Data[(n * channels + ch) * plane + p];
        Assert.Equal(bias, Functional.BiasGrad(gradOutput).Data);
    }

    /// <summary>
    /// U's entries from the definition, sharing nothing with the library: for a conv, row (n, co, o), column (co, c, t)
    /// holds x[n, ci, source(o, t)]; for a conv_transpose, row (n, ci, i), column (co, c, t) holds the sum of x_t[n, co, o]
    /// over the output positions o whose tap t reads i (U_t·w = V(w)ᵀ·x_t).
    /// </summary>
    private static Dictionary<(int Row, int Column), long> Definition(GeometrySpec s, long[] batch)
    {
        var inSize = s.InputSizes;
        var outSize = s.OutputSizes;
        int inPlane = inSize.Aggregate(1, (p, v) => p * v), outPlane = outSize.Aggregate(1, (p, v) => p * v);
        var taps = DefinitionOfV.Indices(s.Kernel).ToArray();
        var entries = new Dictionary<(int, int), long>();
        var source = new int[s.Rank];
        for (int n = 0; n < s.Batch; n++)
            for (int co = 0; co < s.OutChannels; co++)
                foreach (var o in DefinitionOfV.Indices(outSize))
                    for (int c = 0; c < s.InPerGroup; c++)
                    {
                        int ci = co / s.OutPerGroup * s.InPerGroup + c;
                        for (int t = 0; t < taps.Length; t++)
                        {
                            bool zero = false;
                            for (int d = 0; d < s.Rank && !zero; d++)
                            {
                                source[d] = DefinitionOfV.Source((long)o[d] * s.Stride(d) - s.Pad(d).Before + (long)taps[t][d] * s.Dims[d].Dilation, inSize[d], s.Mode);
                                zero = source[d] < 0;
                            }
                            if (zero) continue;
                            int column = (co * s.InPerGroup + c) * taps.Length + t;
                            int outRow = (n * s.OutChannels + co) * outPlane + DefinitionOfV.Flatten(o, outSize);
                            int inRow = (n * s.InChannels + ci) * inPlane + DefinitionOfV.Flatten(source, inSize);
                            if (s.Kind == SpecKind.Conv) entries[(outRow, column)] = batch[inRow];
                            else entries[(inRow, column)] = entries.GetValueOrDefault((inRow, column)) + batch[outRow];
                        }
                    }
        return entries;
    }

    /// <summary>A destination pre-filled with garbage an overwriting product must not keep.</summary>
    private static long[] Filled(int length) => Enumerable.Repeat(long.MinValue / 3, length).ToArray();

    private static long Dot(long[] a, long[] b)
    {
        long sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>The weight gradient in every element type: on integer-valued data, double, float, decimal and BigInteger give long's exact result.</summary>
public class WeightGradientElementTypeProperties
{
    [ConvProperty]
    public void EveryElementTypeAgreesWithLong(GeometrySpec s)
    {
        var g = s.Build();
        var (x, _, y) = s.Data();
        // Conv: U(x)ᵀ·y; the transposed spec's batch sits on the other side, so swap (the core is the same).
        var (a, b) = s.Kind == SpecKind.Conv ? (x, y) : (y, x);
        var expected = new long[g.WeightLength];
        DirectWeightGradient.Apply<long>(g, s.Kind == SpecKind.Conv ? a : b, s.Kind == SpecKind.Conv ? b : a, expected);
        Check(g, s, a, b, expected, l => (double)l, d => checked((long)d));
        Check(g, s, a, b, expected, l => (float)l, f => checked((long)f));
        Check(g, s, a, b, expected, l => (decimal)l, m => (long)m);
        Check(g, s, a, b, expected, l => (System.Numerics.BigInteger)l, v => (long)v);
    }

    private static void Check<T>(ConvGeometry g, GeometrySpec s, long[] batch, long[] grad, long[] expected, Func<long, T> from, Func<T, long> back)
        where T : System.Numerics.IAdditionOperators<T, T, T>, System.Numerics.IMultiplyOperators<T, T, T>, System.Numerics.IAdditiveIdentity<T, T>
    {
        var u = s.Kind == SpecKind.Conv ? PatchMatrix<T>.ForConv(g, batch.Select(from).ToArray()) : PatchMatrix<T>.ForConvTranspose(g, batch.Select(from).ToArray());
        var gw = new T[g.WeightLength];
        u.TransposeMultiply(grad.Select(from).ToArray(), gw);
        Assert.True(expected.SequenceEqual(gw.Select(back)), $"{typeof(T).Name}: Uᵀ·g differs from long's");
    }
}
