namespace ConvAsMatrix.Tests.Gradients;

/// <summary>The gradient API's shapes, unbatched inputs, accumulation, and its refusals of bad input.</summary>
public class GradientApiTests
{
    private static Tensor<long> Ramp(params int[] shape) => Tensor.Arange<long>(shape);

    [Fact]
    public void UnbatchedInputsGiveTheBatchOfOnesGradients()
    {
        var x = Ramp(2, 5, 6);
        var gradOutput = Ramp(3, 5, 6);
        var options = new ConvOptions { Padding = 1 };
        var batched = Functional.ConvWeightGrad(x.Reshape(1, 2, 5, 6), [3, 2, 3, 3], gradOutput.Reshape(1, 3, 5, 6), options);
        Assert.Equal(batched.Data, Functional.ConvWeightGrad(x, [3, 2, 3, 3], gradOutput, options).Data);
        var w = Ramp(3, 2, 3, 3);
        var input = Functional.ConvInputGrad([2, 5, 6], w, gradOutput, options);
        Assert.Equal([2, 5, 6], input.ShapeArray);
        Assert.Equal(Functional.ConvInputGrad([1, 2, 5, 6], w, gradOutput.Reshape(1, 3, 5, 6), options).Data, input.Data);
        var tInput = Functional.ConvTransposeInputGrad([3, 5, 6], w, x, new ConvTransposeOptions { Padding = 1 });
        Assert.Equal([3, 5, 6], tInput.ShapeArray);
    }

    [Fact]
    public void TransposeMultiplyWithBetaOneAccumulatesLikeDotGrad()
    {
        var g = ConvGeometry.ForConv([2, 2, 6, 6], [4, 1, 3, 3], new ConvOptions { Groups = 2, Stride = [2], Padding = 1 });
        var u = PatchMatrix<long>.ForConv(g, Ramp(2, 2, 6, 6).Data);
        var grad = Ramp(2, 4, 3, 3).Data;
        var once = new long[g.WeightLength];
        u.TransposeMultiply(grad, once);
        var twice = (long[])once.Clone();
        u.TransposeMultiply(3, grad, 1, twice);
        Assert.Equal(once.Select(v => 4 * v), twice);
        var scaled = Enumerable.Repeat(99L, g.WeightLength).ToArray();
        u.TransposeMultiply(2, grad, 0, scaled);
        Assert.Equal(once.Select(v => 2 * v), scaled);
    }

    [Fact]
    public void GradOutputOfTheWrongShapeIsRefusedNamingBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.ConvWeightGrad(Ramp(1, 2, 5, 5), [3, 2, 3, 3], Ramp(1, 3, 5, 5)));
        Assert.Equal("gradOutput", e.ParamName);
        Assert.Contains("(1, 3, 5, 5)", e.Message);
        Assert.Contains("(1, 3, 3, 3)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.ConvTransposeWeightGrad(Ramp(1, 2, 3, 3), [2, 3, 3, 3], Ramp(1, 3, 3, 3), new ConvTransposeOptions { Stride = [2] }));
        Assert.Equal("gradOutput", e.ParamName);
        Assert.Contains("(1, 3, 7, 7)", e.Message);
    }

    [Fact]
    public void ShapesThatDisagreeAreRefusedByTheGeometry()
    {
        // weight.shape[1] × groups must be the input's channels, as in the forward pass.
        var e = Assert.Throws<ArgumentException>(() => Functional.ConvWeightGrad(Ramp(1, 2, 5, 5), [3, 4, 3, 3], Ramp(1, 3, 3, 3)));
        Assert.Equal("weight", e.ParamName);
        Assert.Throws<ArgumentException>(() => Functional.ConvInputGrad([1, 2, 5], Ramp(3, 2, 3, 3), Ramp(1, 3, 3, 3)));
    }

    [Fact]
    public void PatchMatrixChecksSpansAndBatch()
    {
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3]);
        var e = Assert.Throws<ArgumentException>(() => PatchMatrix<double>.ForConv(g, new double[49]));
        Assert.Equal("input", e.ParamName);
        var u = PatchMatrix<double>.ForConv(g, new double[50]);
        Assert.Equal(3 * 9, u.RowCount);
        Assert.Equal(54, u.ColumnCount);
        Assert.Throws<ArgumentException>(() => u.TransposeMultiply(new double[26], new double[54]));
        Assert.Throws<ArgumentException>(() => u.Multiply(new double[54], new double[26]));
        var shared = new double[100];
        Assert.Throws<ArgumentException>(() => u.Multiply(shared.AsSpan(0, 54), shared.AsSpan(20, 27)));
        Assert.Throws<ArgumentException>(() => PatchMatrix<double>.ForConvTranspose(g, new double[50]));
    }

    [Fact]
    public void ExplicitUTooLargeIsRefusedBeforeAllocating()
    {
        // A 2000² image (16 MB) into 64 channels: U has 64·2000²·9 ≈ 2.3e9 entries, beyond one array.
        var g = ConvGeometry.ForConv([1, 1, 2000, 2000], [64, 1, 3, 3], new ConvOptions { Padding = 1 });
        Assert.True(PatchMatrix<float>.ForConv(g, new float[g.Batch * g.InputLength]).NonZeroCount > Array.MaxLength);
        var e = Assert.Throws<ArgumentException>(() => PatchMatrix<float>.ForConv(g, new float[g.Batch * g.InputLength]).ToCompressedRows());
        Assert.Equal("input", e.ParamName);
        Assert.Contains("entries", e.Message);
    }

    [Theory]
    [InlineData(new[] { 9, 10 })]
    [InlineData(new[] { 11, 12 })]
    public void CroppingGeometriesOfOnnxOutputShapeGiveTheReferenceGradient(int[] outputShape)
    {
        // ONNX's output_shape beyond the natural 7×7 size: negative pads, the forward convolution crops its input.
        var options = new ConvTransposeOptions { Stride = [2], OutputShape = outputShape };
        var x = Ramp(2, 2, 3, 3);
        var g = ConvGeometry.ForConvTranspose(x.ShapeArray, [2, 3, 3, 3], options);
        Assert.Contains(g.PaddingAfter.Concat(g.PaddingBefore), p => p < 0);
        var grad = Tensor.From(Enumerable.Range(0, g.Batch * g.InputLength).Select(i => (long)(i % 7 - 3)).ToArray(), g.InputShape);
        var expected = new long[g.WeightLength];
        DirectWeightGradient.Apply<long>(g, grad.Data, x.Data, expected);
        Assert.Equal(expected, Functional.ConvTransposeWeightGrad(x, [2, 3, 3, 3], grad, options).Data);
        var asDouble = Functional.ConvTransposeWeightGrad(Tensor.From(x.Data.Select(v => (double)v).ToArray(), x.ShapeArray), [2, 3, 3, 3],
            Tensor.From(grad.Data.Select(v => (double)v).ToArray(), grad.ShapeArray), options);
        Assert.Equal(expected.Select(v => (double)v), asDouble.Data);
        var u = PatchMatrix<long>.ForConvTranspose(g, x.Data);
        var viaExplicit = new long[g.WeightLength];
        u.ToCompressedRows().TransposeMultiply(grad.Data, viaExplicit);
        Assert.Equal(expected, viaExplicit);
    }

    [Fact]
    public void BiasGradientNeedsABatchedTensor()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.BiasGrad(Ramp(3, 4)));
        Assert.Equal("gradOutput", e.ParamName);
        Assert.Equal([2 * (0 + 1 + 2 + 3) + 2 * 4 * 4, 2 * (4 + 5 + 6 + 7) + 2 * 4 * 4], Functional.BiasGrad(Ramp(2, 2, 4)).Data);
    }
}
