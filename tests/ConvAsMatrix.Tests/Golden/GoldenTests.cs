namespace ConvAsMatrix.Tests.Golden;

/// <summary>
/// V·x, Vᵀ·y and the weight gradient U(x)ᵀ·g against real PyTorch (tests/golden/*.json): through <see cref="Functional"/> with
/// <see cref="ConvMethod.Matrix"/>, through <see cref="ConvolutionMatrix{T}"/> directly, and the direct references,
/// each to a relative error of at most 1e-12 of the expected tensor's largest magnitude.
/// </summary>
public class GoldenTests
{
    /// <summary>Relative to max |expected|; double rounding of these sums is ~1e-15.</summary>
    private const double Tolerance = 1e-12;

    public static TheoryData<string> ConvIds => GoldenCases.Ids("conv");

    public static TheoryData<string> TransposeIds => GoldenCases.Ids("conv_transpose");

    [Theory]
    [MemberData(nameof(ConvIds))]
    public void ConvMatchesPyTorch(string id)
    {
        var c = GoldenCases.Get(id);
        MatchesPyTorch(c, (x, w, b, method) => Functional.Conv(x, w, b, c.ToConvOptions(), method));
    }

    /// <summary>For reflect, replicate and circular padding autograd is the only PyTorch oracle of Vᵀ: ConvTranspose has zeros only.</summary>
    [Theory]
    [MemberData(nameof(ConvIds))]
    public void ConvAdjointMatchesAutograd(string id) => AdjointMatchesAutograd(GoldenCases.Get(id));

    [Theory]
    [MemberData(nameof(TransposeIds))]
    public void ConvTransposeMatchesPyTorch(string id)
    {
        var c = GoldenCases.Get(id);
        MatchesPyTorch(c, (x, w, b, method) => Functional.ConvTranspose(x, w, b, c.ToConvTransposeOptions(), method));
    }

    /// <summary>
    /// The case's output through the Functional API (Matrix and Direct), and through the compiled V itself:
    /// V·x for a conv, Vᵀ·y for a conv_transpose, plus the bias.
    /// </summary>
    private static void MatchesPyTorch(GoldenCase c, Func<Tensor<double>, Tensor<double>, Tensor<double>?, ConvMethod, Tensor<double>> call)
    {
        var input = Tensor.From(c.Input, c.InputShape);
        var weight = Tensor.From(c.Weight, c.WeightShape);
        var bias = c.Bias is null ? null : Tensor.From(c.Bias, c.Bias.Length);
        var viaMatrix = call(input, weight, bias, ConvMethod.Matrix);
        Assert.Equal(c.OutputShape, viaMatrix.ShapeArray);
        AssertClose(c.Output, viaMatrix.Data, $"{c.Kind} (Matrix)");
        AssertClose(c.Output, call(input, weight, bias, ConvMethod.Direct).Data, $"{c.Kind} (Direct)");

        var g = c.Geometry();
        Assert.Equal(c.InputShape, c.IsTranspose ? g.OutputShape : g.InputShape);
        Assert.Equal(c.OutputShape, c.IsTranspose ? g.InputShape : g.OutputShape);
        var v = ConvolutionMatrix<double>.Compile(weight, g);
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);
        var y = new double[c.Output.Length];
        if (c.IsTranspose) v.ConvolveTranspose(c.Input, y);
        else v.Convolve(c.Input, y);
        AssertClose(c.Output, WithBias(y, c.Bias, c.OutputShape[0], c.OutputShape[1]), c.IsTranspose ? "Vᵀ·y + bias" : "V·x + bias");
    }

    /// <summary>The gradient of conv_transpose is V·g, V being the forward convolution (cropped when output_padding >= stride).</summary>
    [Theory]
    [MemberData(nameof(TransposeIds))]
    public void ConvTransposeAdjointMatchesAutograd(string id) => AdjointMatchesAutograd(GoldenCases.Get(id));

    /// <summary>The adjoint of the case's operation applied to grad_output: Vᵀ·g for a conv, V·g for a conv_transpose.</summary>
    private static void AdjointMatchesAutograd(GoldenCase c)
    {
        var g = c.Geometry();
        var v = ConvolutionMatrix<double>.Compile(c.Weight, g);
        var viaMatrix = new double[c.GradInput.Length];
        var viaDirect = new double[c.GradInput.Length];
        if (c.IsTranspose)
        {
            v.Convolve(c.GradOutput, viaMatrix);
            DirectCorrelation.Apply<double>(g, c.GradOutput, c.Weight, viaDirect);
        }
        else
        {
            v.ConvolveTranspose(c.GradOutput, viaMatrix);
            DirectScatter.Apply<double>(g, c.GradOutput, c.Weight, viaDirect);
            // The no-copy CSC view must give the same Vᵀ·g, one sample at a time.
            var viaCsc = new double[viaMatrix.Length];
            for (int n = 0; n < g.Batch; n++)
                v.Transpose().Multiply(c.GradOutput.AsSpan(n * g.OutputLength, g.OutputLength), viaCsc.AsSpan(n * g.InputLength, g.InputLength));
            AssertClose(c.GradInput, viaCsc, "Transpose().Multiply");
        }
        AssertClose(c.GradInput, viaMatrix, c.IsTranspose ? "V·g" : "Vᵀ·g");
        AssertClose(c.GradInput, viaDirect, c.IsTranspose ? "DirectCorrelation" : "DirectScatter");
    }

    [Theory]
    [MemberData(nameof(ConvIds))]
    public void ConvWeightGradientMatchesAutograd(string id) => WeightGradientMatchesAutograd(GoldenCases.Get(id));

    [Theory]
    [MemberData(nameof(TransposeIds))]
    public void ConvTransposeWeightGradientMatchesAutograd(string id) => WeightGradientMatchesAutograd(GoldenCases.Get(id));

    /// <summary>
    /// The weight, input and bias gradients of the case's operation for grad_output: through the functional API (structured U
    /// and V, and the reference loops), through U itself and its explicit compressed rows. For a conv_transpose U's batch is its input.
    /// </summary>
    private static void WeightGradientMatchesAutograd(GoldenCase c)
    {
        var input = Tensor.From(c.Input, c.InputShape);
        var gradOutput = Tensor.From(c.GradOutput, c.OutputShape);
        foreach (var method in new[] { ConvMethod.Matrix, ConvMethod.Direct })
        {
            var viaFunctional = c.IsTranspose
                ? Functional.ConvTransposeWeightGrad(input, c.WeightShape, gradOutput, c.ToConvTransposeOptions(), method)
                : Functional.ConvWeightGrad(input, c.WeightShape, gradOutput, c.ToConvOptions(), method);
            Assert.Equal(c.WeightShape, viaFunctional.ShapeArray);
            AssertClose(c.GradWeight, viaFunctional.Data, $"{c.Kind} weight gradient ({method})");
            var weight = Tensor.From(c.Weight, c.WeightShape);
            var inputGrad = c.IsTranspose
                ? Functional.ConvTransposeInputGrad(c.InputShape, weight, gradOutput, c.ToConvTransposeOptions(), method)
                : Functional.ConvInputGrad(c.InputShape, weight, gradOutput, c.ToConvOptions(), method);
            Assert.Equal(c.InputShape, inputGrad.ShapeArray);
            AssertClose(c.GradInput, inputGrad.Data, $"{c.Kind} input gradient ({method})");
        }
        var g = c.Geometry();
        var u = c.IsTranspose ? PatchMatrix<double>.ForConvTranspose(g, c.Input) : PatchMatrix<double>.ForConv(g, c.Input);
        var viaU = new double[c.GradWeight.Length];
        u.TransposeMultiply(c.GradOutput, viaU);
        AssertClose(c.GradWeight, viaU, "Uᵀ·g");
        var viaExplicit = new double[c.GradWeight.Length];
        u.ToCompressedRows().TransposeMultiply(c.GradOutput, viaExplicit);
        AssertClose(c.GradWeight, viaExplicit, "explicit Uᵀ·g");

        Assert.Equal(c.Bias is null, c.GradBias is null);
        if (c.GradBias is not null) AssertClose(c.GradBias, Functional.BiasGrad(gradOutput).Data, "bias gradient");
    }

    [Fact]
    public void EveryHyperparameterIsCovered()
    {
        var conv = GoldenCases.OfKind("conv").ToList();
        var tconv = GoldenCases.OfKind("conv_transpose").ToList();
        foreach (int rank in new[] { 1, 2, 3 })
        {
            foreach (var mode in new[] { "zeros", "reflect", "replicate", "circular" })
                foreach (var style in new[] { "symmetric", "asymmetric", "same", "valid" })
                    Assert.Contains(conv, c => c.Rank == rank && c.PaddingModeName == mode && c.PaddingStyle == style);
            foreach (var style in new[] { "symmetric", "asymmetric", "valid" })
                Assert.Contains(tconv, c => c.Rank == rank && c.PaddingStyle == style);
            var ranked = conv.Concat(tconv).Where(c => c.Rank == rank).ToList();
            Assert.Contains(ranked, c => c.Stride.Any(s => s > 1));
            Assert.Contains(ranked, c => c.Dilation.Any(d => d > 1));
            Assert.Contains(ranked, c => c.Groups > 1);
            Assert.Contains(ranked, c => c.Bias is not null);
            Assert.Contains(ranked, c => c.Bias is null);
            Assert.Contains(tconv, c => c.Rank == rank && c.OutputPadding!.Zip(c.Stride).Any(p => p.First > 0 && p.First < p.Second));
            // output_padding >= stride (allowed since dilation > stride): the forward conv is cropped.
            Assert.Contains(tconv, c => c.Rank == rank && c.OutputPadding!.Zip(c.Stride).Any(p => p.First >= p.Second && p.First > 0));
        }
        Assert.InRange(conv.Count + tconv.Count, 300, 400);
    }

    /// <summary>y[n, c, ...] + bias[c] for y of shape (batch, channels, *spatial).</summary>
    private static double[] WithBias(double[] y, double[]? bias, int batch, int channels)
    {
        if (bias is null) return y;
        int plane = y.Length / (batch * channels);
        var r = (double[])y.Clone();
        for (int i = 0; i < r.Length; i++) r[i] += bias[i / plane % channels];
        return r;
    }

    internal static void AssertClose(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 0, error = 0;
        int worst = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            scale = Math.Max(scale, Math.Abs(expected[i]));
            double e = Math.Abs(expected[i] - actual[i]);
            if (!(e <= error)) { error = e; worst = i; }
        }
        double relative = scale == 0 ? error : error / scale;
        Assert.True(relative <= Tolerance,
            $"{what}: relative error {relative:E3} > {Tolerance:E0} at element {worst} (expected {(worst >= 0 ? expected[worst] : 0)}, got {(worst >= 0 ? actual[worst] : 0)})");
    }
}
