using ConvAsMatrix.Tests.Properties;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Verification;

/// <summary>The library side of <c>convmat check</c>: <see cref="ConvolutionCheck"/>'s tolerance rule, its reports and its refusals.</summary>
public class ConvolutionCheckTests
{
    [ConvProperty]
    public void VsOwnOutputAgreesAndOneChangedElementIsLocated(GeometrySpec s)
    {
        var (x, w, y) = s.Data();
        var g = s.Build();
        var weight = Tensor.From(w.Select(v => (double)v).ToArray(), g.WeightShape);
        var bias = Tensor.From(Enumerable.Range(0, s.Kind == SpecKind.Conv ? g.OutChannels : g.InChannels).Select(i => 0.25 * i).ToArray(),
            s.Kind == SpecKind.Conv ? g.OutChannels : g.InChannels);
        var input = s.Kind == SpecKind.Conv
            ? Tensor.From(x.Select(v => (double)v).ToArray(), g.InputShape)
            : Tensor.From(y.Select(v => (double)v).ToArray(), g.OutputShape);
        ConvolutionCheckResult Check(Tensor<double> claimed) => s.Kind == SpecKind.Conv
            ? ConvolutionCheck.Conv(input, weight, bias, claimed, s.ConvOptions)
            : ConvolutionCheck.ConvTranspose(input, weight, bias, claimed, s.ConvTransposeOptions);
        var right = s.Kind == SpecKind.Conv
            ? Functional.Conv(input, weight, bias, s.ConvOptions, ConvMethod.Direct)
            : Functional.ConvTranspose(input, weight, bias, s.ConvTransposeOptions, ConvMethod.Direct);

        var agree = Check(right);
        Assert.True(agree.Agree, string.Join(" / ", agree.Lines()));
        Assert.Equal(0, agree.MismatchCount);

        // One element off by 1000: an integer-valued sum of magnitude ≤ 81·fan-in cannot hide it.
        int k = (int)((uint)s.DataSeed % right.Length);
        var wrong = Tensor.From((double[])right.Data.Clone(), right.ShapeArray);
        wrong.Data[k] += 1000;
        var result = Check(wrong);
        Assert.False(result.Agree);
        Assert.Equal(1, result.MismatchCount);
        Assert.Equal(1000, result.MaxAbsoluteError, 9);
        int plane = right.Length / (right.Shape[0] * right.Shape[1]);
        Assert.Equal([k / plane % right.Shape[1]], result.MismatchedChannels);
        Assert.Equal(result.FirstMismatch, result.LastMismatch);
        Assert.Equal(wrong.Data[k], result.WorstValues.Claimed);
        Assert.Equal(right.Data[k], result.WorstValues.Expected);
    }

    [ConvProperty]
    public void GradientsFromTheLoopsAgreeAndOneChangedElementIsLocated(GeometrySpec s)
    {
        var (x, w, y) = s.Data();
        var g = s.Build();
        var weight = Tensor.From(w.Select(v => (double)v).ToArray(), g.WeightShape);
        // The forward geometry's input-side and output-side arrays: for a tconv, its input is y-shaped and its output gradient x-shaped.
        var inputSide = Tensor.From(x.Select(v => (double)v).ToArray(), g.InputShape);
        var outputSide = Tensor.From(y.Select(v => (double)v).ToArray(), g.OutputShape);
        var weightGrad = new long[g.WeightLength];
        DirectWeightGradient.Apply(g, x, y, weightGrad);
        var inputGrad = new long[s.Kind == SpecKind.Conv ? x.Length : y.Length];
        if (s.Kind == SpecKind.Conv) DirectScatter.Apply(g, y, w, inputGrad);
        else DirectCorrelation.Apply(g, x, w, inputGrad);

        foreach (var (right, shape, check) in new (long[], int[], Func<Tensor<double>, ConvolutionCheckResult>)[]
        {
            (inputGrad, s.Kind == SpecKind.Conv ? g.InputShape : g.OutputShape, claimed => s.Kind == SpecKind.Conv
                ? ConvolutionCheck.ConvGradInput(inputSide, weight, outputSide, claimed, s.ConvOptions)
                : ConvolutionCheck.ConvTransposeGradInput(outputSide, weight, inputSide, claimed, s.ConvTransposeOptions)),
            (weightGrad, g.WeightShape, claimed => s.Kind == SpecKind.Conv
                ? ConvolutionCheck.ConvGradWeight(inputSide, weight, outputSide, claimed, s.ConvOptions)
                : ConvolutionCheck.ConvTransposeGradWeight(outputSide, weight, inputSide, claimed, s.ConvTransposeOptions)),
        })
        {
            var agree = check(Tensor.From(right.Select(v => (double)v).ToArray(), shape));
            Assert.True(agree.Agree, string.Join(" / ", agree.Lines()));
            Assert.Equal(0, agree.MismatchCount);
            // One element off by 1000: an integer sum of at most N·∏out products of magnitude ≤ 81 cannot hide it.
            int k = (int)((uint)s.DataSeed % right.Length);
            var wrong = right.Select(v => (double)v).ToArray();
            wrong[k] += 1000;
            var result = check(Tensor.From(wrong, shape));
            Assert.False(result.Agree);
            Assert.Equal(1, result.MismatchCount);
            Assert.Equal(1000, result.MaxAbsoluteError, 9);
            Assert.Equal((wrong[k], (double)right[k]), result.WorstValues);
        }
    }

    [Fact]
    public void GradientFanInIsTheProductsOneElementSums()
    {
        // conv 3 -> 4 channels, 3x3 kernel, batch 2, 2x2 output: the weight gradient sums 2·4 products, the input gradient 4·9.
        var x = Tensor.Zeros<double>(2, 3, 4, 4);
        var w = Tensor.Zeros<double>(4, 3, 3, 3);
        var g = Tensor.Zeros<double>(2, 4, 2, 2);
        Assert.Equal(ConvolutionCheck.DefaultTolerance(8, false), ConvolutionCheck.ConvGradWeight(x, w, g, Tensor.Zeros<double>(4, 3, 3, 3)).Tolerance);
        Assert.Equal(ConvolutionCheck.DefaultTolerance(36, false), ConvolutionCheck.ConvGradInput(x, w, g, Tensor.Zeros<double>(2, 3, 4, 4)).Tolerance);
        // tconv 4 -> 3 channels (weight (4, 3, 3, 3)): its input gradient is V·g, a conv summing 3·9 products per element.
        Assert.Equal(ConvolutionCheck.DefaultTolerance(27, true),
            ConvolutionCheck.ConvTransposeGradInput(g, w, x, Tensor.Zeros<double>(2, 4, 2, 2), singlePrecision: true).Tolerance);
    }

    [Fact]
    public void DefaultToleranceIsFourTimesFanInTimesUnitRoundoff()
    {
        Assert.Equal(4 * 28 * Math.ScaleB(1, -24), ConvolutionCheck.DefaultTolerance(28, singlePrecision: true));
        Assert.Equal(4 * 28 * Math.ScaleB(1, -53), ConvolutionCheck.DefaultTolerance(28, singlePrecision: false));
        // conv 3 -> 4 channels, 3x3 kernel, bias: F = 3·9 + 1 = 28.
        var x = Tensor.Zeros<double>(1, 3, 4, 4);
        var w = Tensor.Zeros<double>(4, 3, 3, 3);
        var b = Tensor.Zeros<double>(4);
        var r = ConvolutionCheck.Conv(x, w, b, Tensor.Zeros<double>(1, 4, 2, 2), singlePrecision: true);
        Assert.Equal(4 * 28 * Math.ScaleB(1, -24), r.Tolerance);
        Assert.Equal("agree (max rel err 0)", r.Verdict);
    }

    [Fact]
    public void UnbatchedOutputsAreCheckedAndReportedWithoutTheBatch()
    {
        var x = Tensor.Arange<double>(2, 6);
        var w = Tensor.Arange<double>(3, 2, 3);
        var right = Functional.Conv(x, w);
        Assert.Equal([3, 4], right.ShapeArray);
        Assert.True(ConvolutionCheck.Conv(x, w, null, right).Agree);
        var wrong = Tensor.From((double[])right.Data.Clone(), 3, 4);
        wrong.Data[5] = double.NaN;
        var r = ConvolutionCheck.Conv(x, w, null, wrong);
        Assert.Equal(double.PositiveInfinity, r.MaxRelativeError);
        Assert.Equal([1, 1], r.WorstIndex);
        Assert.Equal("disagree: unexplained", r.Verdict);
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        var x = Tensor.Zeros<double>(1, 2, 5);
        var w = Tensor.Zeros<double>(3, 2, 3);
        var y = Tensor.Zeros<double>(1, 3, 3);
        Assert.Equal("tolerance", Assert.ThrowsAny<ArgumentException>(() => ConvolutionCheck.Conv(x, w, null, y, tolerance: -1e-9)).ParamName);
        Assert.True(ConvolutionCheck.Conv(x, w, null, y, tolerance: 0).Agree); // 0 is an exact check: zeros agree with zeros
        Assert.Equal("tolerance", Assert.ThrowsAny<ArgumentException>(() => ConvolutionCheck.Conv(x, w, null, y, tolerance: double.PositiveInfinity)).ParamName);
        Assert.Equal("output", Assert.ThrowsAny<ArgumentException>(() => ConvolutionCheck.Conv(x, w, null, Tensor.Zeros<double>(3, 3))).ParamName);
        Assert.Equal("bias", Assert.ThrowsAny<ArgumentException>(() => ConvolutionCheck.Conv(x, w, Tensor.Zeros<double>(2), y)).ParamName);
        Assert.Equal("weight", Assert.ThrowsAny<ArgumentException>(() => ConvolutionCheck.ConvTranspose(x, w, null, y)).ParamName);
    }
}
