using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Properties;
using ConvAsMatrix.Tests.Solvers;
using FsCheck;
using FsCheck.Fluent;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Spectrum;

/// <summary>The certified interval of ‖V‖₂ (<see cref="SpectralNorm.Bound(LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>) against the dense SVD of V.</summary>
public class NormBoundTests(ITestOutputHelper output)
{
    /// <summary>Relative round-off allowed between a Rayleigh quotient / a certified bound and MathNet's SVD of the same V.</summary>
    private const double RoundOff = 1e-12;

    private static (double[] Weight, ConvGeometry Geometry, CompressedRowStorage<double> V, double Sigma) Case(GeometrySpec spec)
    {
        var g = spec.Build();
        var w = Problems.Gaussian(new Random(spec.DataSeed), g.WeightLength);
        var v = ConvolutionMatrix<double>.Compile(w, g);
        return (w, g, v, SingularValues.Dense(v)[0]);
    }

    [ConvProperty]
    public void TheIntervalContainsTheLargestSingularValue(GeometrySpec spec)
    {
        var (w, g, v, sigma) = Case(spec);
        var bound = SpectralNorm.Bound(v, w, g);
        Assert.True(bound.Lower <= sigma * (1 + RoundOff), $"{spec}: lower {bound.Lower:R} above sigma {sigma:R}");
        Assert.True(bound.Upper >= sigma * (1 - RoundOff), $"{spec}: upper {bound.Upper:R} below sigma {sigma:R}");
        Assert.True(bound.Lower <= bound.Value && bound.Value <= bound.Upper, $"{spec}: {bound}");
        if (bound.Exact)
            Assert.True(Math.Abs(bound.Value - sigma) <= 1e-9 * sigma, $"{spec}: exact {bound.Value:R}, SVD {sigma:R}");
        // Every V here is small: the dense Gram certificate closes the interval to round-off.
        // (σ = 0: a V whose every tap reads padding; nothing certifies zero from above but the weight's own bound.)
        Assert.True(sigma == 0 || bound.RelativeWidth <= 1e-8, $"{spec}: {bound}");
        // Zero padding loses only the embedding's slack: the upper end is the circular norm of the padded grid, so
        // it can be far from sigma on these tiny sizes, but never below it; the other modes add the factor ‖P‖.
        Assert.True(bound.Upper <= sigma * 1e3 + 1e-300 || sigma == 0, $"{spec}: {bound}");
    }

    [ConvProperty]
    public void TheCircularOrPolyphaseUpperEndAloneIsAboveTheLargestSingularValue(GeometrySpec spec)
    {
        // Small V take the Gram certificate, so the interval property above no longer reaches the embeddings' bound
        // for them: check it on its own, for every geometry (strided ones through the polyphase spectrum).
        var (w, g, _, sigma) = Case(spec);
        var circular = CircularBound.Of(w, g, CancellationToken.None);
        Assert.True(circular.Upper >= sigma * (1 - RoundOff), $"{spec}: {circular.Method}: {circular.Upper:R} below sigma {sigma:R}");
        if (circular.Embedding.Exact)
            Assert.True(Math.Abs(circular.Best - sigma) <= 1e-9 * sigma, $"{spec}: exact {circular.Best:R}, SVD {sigma:R}");
    }

    [ConvProperty]
    public void TheLanczosValueNeverExceedsTheLargestSingularValue(GeometrySpec spec)
    {
        var (_, g, v, sigma) = Case(spec);
        var x = new double[g.InputLength];
        VectorMath.FillGaussian(new Random(spec.DataSeed), x);
        SpectralNorm.Normalize(x);
        var run = LanczosNorm.Run(LinearOperator.From(v), x, 1e-12, 200, _ => false, CancellationToken.None);
        Assert.True(run.Best <= sigma * (1 + RoundOff), $"{spec}: Lanczos {run.Best:R} above sigma {sigma:R}");
        Assert.True(run.Best >= sigma * (1 - 1e-9), $"{spec}: Lanczos {run.Best:R} after {run.Products} products, sigma {sigma:R} ({run.Status})");
    }

    [ConvProperty]
    public void ALanczosRunSettledByTheWidthStaysBelowTheLargestSingularValueAndTakesNoMoreProducts(GeometrySpec spec)
    {
        // The looser stop SpectralNorm.Bound gives the lower end where the upper one keeps the interval wide: a residual
        // worth 1e-4 of σ instead of the 1e-12 tolerance.
        var (_, g, v, sigma) = Case(spec);
        var a = LinearOperator.From(v);
        var x = new double[g.InputLength];
        VectorMath.FillGaussian(new Random(spec.DataSeed), x);
        SpectralNorm.Normalize(x);
        var start = (double[])x.Clone();
        var settled = LanczosNorm.Run(a, x, 1e-12, 200, _ => false, CancellationToken.None, (s, r) => r * s / 2 <= 1e-4 * s);
        var full = LanczosNorm.Run(a, start, 1e-12, 200, _ => false, CancellationToken.None);
        Assert.True(settled.Best <= sigma * (1 + RoundOff), $"{spec}: settled Lanczos {settled.Best:R} above sigma {sigma:R}");
        Assert.True(settled.Products <= full.Products, $"{spec}: settled after {settled.Products} products, the tolerance after {full.Products}");
        Assert.Equal(SolverStatus.Converged, settled.Status);
    }

    [ConvProperty]
    public void TheUpperEndIsTheClosedFormNormOfTheEmbeddingTimesItsFactor(GeometrySpec spec)
    {
        // Independent of the per-frequency certificate: Sedghi's closed form (an SVD at every frequency) of the
        // circular convolution on the embedding's grid, built as a geometry of its own.
        var (w, g, v, _) = Case(spec);
        if (CirculantEmbedding.Strided(g) is not null) return; // bounded by the polyphase spectrum instead (PolyphaseTests)
        var e = CirculantEmbedding.Of(g);
        var grid = e.Grid[(3 - g.Rank)..];
        var before = new (int, int)[g.Rank];
        for (int d = 0; d < g.Rank; d++)
        {
            // Circular padding of d·(k − 1) in total, at most the grid size per side (PyTorch's limit). A dilated kernel
            // wider than twice a circular spec's own grid cannot be written as such a geometry; the other properties cover it.
            int total = g.Dilation[d] * (g.KernelSize[d] - 1);
            if (total > 2 * grid[d]) return;
            before[d] = (Math.Min(total, grid[d]), total - Math.Min(total, grid[d]));
        }
        var circular = ConvGeometry.ForConv([1, g.InChannels, .. grid], g.WeightShape, new ConvOptions
        {
            Dilation = [.. g.Dilation], Groups = g.Groups, PaddingMode = PaddingMode.Circular, Padding = Padding.Asymmetric(before),
        });
        double expected = Math.Sqrt(e.FactorSquared) * SingularValues.Circular(w, circular)[0];
        var bound = CircularBound.Of(w, g, CancellationToken.None);
        Assert.True(bound.Upper >= expected * (1 - 1e-13) && bound.Upper <= expected * (1 + 1e-9), $"{spec}: upper {bound.Upper:R}, closed form x factor {expected:R}");
    }

    [ConvProperty]
    public void CircularStrideOneIsExactToOneInABillion(int seed)
    {
        var c = CircularCase.FromSeed(Math.Abs(seed));
        var g = c.Geometry;
        var v = ConvolutionMatrix<double>.Compile(c.Weight, g);
        double sigma = SingularValues.Dense(v)[0];
        var bound = SpectralNorm.Bound(v, c.Weight, g);
        Assert.True(bound.Exact, $"{c}: {bound}");
        Assert.Equal(1, bound.Iterations);
        Assert.True(Math.Abs(bound.Value - sigma) <= 1e-9 * sigma, $"{c}: {bound.Value:R} vs SVD {sigma:R}");
        Assert.True(bound.RelativeWidth <= 1e-9, $"{c}: {bound}");
        Assert.Equal(SingularValues.Circular(c.Weight, g)[0], bound.Value, 1e-12 * sigma);
    }

    [Fact]
    public void TheCircularNormOnTheUnpaddedGridIsNotABound()
    {
        // x ↦ x[i] − x[i+1] with one zero on each side of 3 samples: V is 4 × 3 with norm 2·cos(π/8) = 1.848, while the
        // circular convolution on the same 3 points peaks at |1 − e^{2πi/3}| = √3 = 1.732 < ‖V‖. On the padded
        // grid of 5 points the peak is 2·sin(2π/5) = 1.902 ≥ ‖V‖, which is the bound the library uses.
        double[] w = [1, -1];
        var zeros = ConvGeometry.ForConv([1, 1, 3], [1, 1, 2], new ConvOptions { Padding = 1 });
        var circularSameN = ConvGeometry.ForConv([1, 1, 3], [1, 1, 2], new ConvOptions { Padding = Padding.Asymmetric((0, 1)), PaddingMode = PaddingMode.Circular });
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(w, zeros))[0];
        double circular = SingularValues.Circular(w, circularSameN)[0];
        Assert.Equal(2 * Math.Cos(Math.PI / 8), sigma, 1e-14);
        Assert.Equal(Math.Sqrt(3), circular, 1e-14);
        Assert.True(circular < sigma);

        var embedded = CircularBound.Of(w, zeros, CancellationToken.None);
        Assert.InRange(embedded.Upper, 2 * Math.Sin(2 * Math.PI / 5), 2 * Math.Sin(2 * Math.PI / 5) * (1 + 1e-10)); // the slack: 5e-11 relative
        Assert.Contains("5 grid", embedded.Method);
        // V is small, so the interval itself closes on ‖V‖₂ through the dense Gram certificate.
        var bound = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, zeros), w, zeros);
        Assert.True(bound.Exact && bound.Lower <= sigma && sigma <= bound.Upper && bound.RelativeWidth <= 1e-9, bound.ToString());
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, 1)]
    [InlineData(PaddingMode.Reflect, 4)]
    [InlineData(PaddingMode.Replicate, 9)]
    public void ThePaddingFactorIsTheNormOfThePaddingMatrix(PaddingMode mode, long factorSquared)
    {
        // 2-D, padding 2 before and 1 after: reflect reads one index twice per dimension (√2·√2), replicate reads the
        // first index 1 + 2 times per dimension (√3·√3).
        var g = ConvGeometry.ForConv([1, 1, 6, 5], [1, 1, 3, 3], new ConvOptions { Padding = Padding.Asymmetric((2, 1), (2, 1)), PaddingMode = mode });
        var e = CirculantEmbedding.Of(g);
        Assert.Equal([1, 9, 8], e.Grid);
        Assert.Equal(factorSquared, e.FactorSquared);
        Assert.False(e.Exact);
    }

    [Theory]
    [InlineData(7, 7, 1, 1, 1, true)]     // stride 1, same size: a permutation of C_n
    [InlineData(7, 7, 3, 0, 1, true)]     // stride 3 coprime to 7 with 7 outputs: still a permutation
    [InlineData(8, 4, 2, 1, 1, false)]    // stride 2: half the rows
    [InlineData(5, 7, 1, 1, 2, false)]    // padding beyond d(k-1): rows 0 and 5 of C_5 repeat
    public void CircularRowsAreASelectionWithMultiplicity(int n, int m, int stride, int before, int count, bool allOnce)
    {
        Assert.Equal((count, allOnce), CirculantEmbedding.RowMultiplicity(n, m, stride, before));
    }

    [Fact]
    public void CholeskyCertifiesExactlyTheEigenvaluesBelowTheShift()
    {
        // H = [[2, i], [−i, 2]]: eigenvalues 1 and 3.
        double[] re = [2, 0, 0, 2], im = [0, 1, -1, 0];
        var lr = new double[4];
        var li = new double[4];
        Assert.True(HermitianCholesky.IsBelow(3.000001, re, im, 2, lr, li));
        Assert.False(HermitianCholesky.IsBelow(2.999999, re, im, 2, lr, li));
    }

    [Theory]
    [InlineData(PaddingMode.Zeros, 1)]
    [InlineData(PaddingMode.Reflect, 1)]
    [InlineData(PaddingMode.Zeros, 2)]
    public void AMidSizeLayerIsExactThroughItsBandedGram(PaddingMode mode, int stride)
    {
        // 4 → 5 channels, 3×3, on 11×10: the Gram of VᵀV has order 440 and half-bandwidth 2·(10 + 1)·4 + 3 = 91, so the
        // band, not the whole matrix, is factored; the interval closes on the dense SVD's value.
        var g = ConvGeometry.ForConv([1, 4, 11, 10], [5, 4, 3, 3], new ConvOptions { Padding = 1, Stride = [stride, stride], PaddingMode = mode });
        var w = Problems.Gaussian(new Random(21), g.WeightLength);
        var v = ConvolutionMatrix<double>.Compile(w, g);
        double sigma = SingularValues.Dense(v)[0];
        var bound = SpectralNorm.Bound(v, w, g);
        Assert.True(bound.Exact && bound.Lower <= sigma * (1 + RoundOff) && sigma <= bound.Upper * (1 + RoundOff) && bound.RelativeWidth <= 1e-9, $"{bound} vs SVD {sigma:R}");
        Assert.Contains("Cholesky certificate", bound.Method);
    }

    [Fact]
    public void ZeroWeightHasNormZero()
    {
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var bound = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(new double[g.WeightLength], g), new double[g.WeightLength], g);
        Assert.Equal((0.0, 0.0, 0.0, true), (bound.Value, bound.Lower, bound.Upper, bound.Exact));
    }

    [Fact]
    public void BadArgumentsAreRefusedWithTheirNames()
    {
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Problems.Gaussian(new Random(1), g.WeightLength);
        var v = ConvolutionMatrix<double>.Compile(w, g);
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => SpectralNorm.Bound(v, new double[5], g)).ParamName);
        var other = ConvGeometry.ForConv([1, 2, 6, 5], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        Assert.Equal("a", Assert.Throws<ArgumentException>(() => SpectralNorm.Bound(v, w, other)).ParamName);
        var nan = (double[])w.Clone();
        nan[3] = double.NaN;
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => SpectralNorm.Bound(v, nan, g)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralNorm.Bound(v, w, g, tolerance: double.NaN)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralNorm.Bound(v, w, g, maxIterations: 0)).ParamName);
    }

    [Fact]
    public void CancellationDuringTheUpperBoundThrows()
    {
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Problems.Gaussian(new Random(1), g.WeightLength);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, g), w, g, cancellationToken: cancelled.Token));
    }

    [Fact]
    public void AnyOperatorServesAndCancellingDuringThePowerStepsKeepsTheInterval()
    {
        // The reference loops as the operator (as a structured V would be), cancelled from inside the first product.
        var g = ConvGeometry.ForConv([1, 3, 9, 8], [4, 3, 3, 3], new ConvOptions { Padding = 1, Stride = [2, 1], PaddingMode = PaddingMode.Replicate });
        var w = Problems.Gaussian(new Random(7), g.WeightLength);
        using var cancel = new CancellationTokenSource();
        var a = new LinearOperator(g.OutputLength, g.InputLength,
            (x, y) => { DirectCorrelation.Apply<double>(g, x, w, y); cancel.Cancel(); },
            (y, x) => DirectScatter.Apply<double>(g, y, w, x));
        var bound = SpectralNorm.Bound(a, w, g, cancellationToken: cancel.Token);
        Assert.Equal(SolverStatus.Cancelled, bound.Status);
        Assert.Equal(1, bound.Iterations);
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(w, g))[0];
        Assert.True(bound.Lower > 0 && bound.Lower <= sigma && sigma <= bound.Upper, $"{bound} vs SVD {sigma}");

        var full = SpectralNorm.Bound(a, w, g);
        Assert.Equal(SolverStatus.Converged, full.Status);
        Assert.True(Math.Abs(full.Value - sigma) <= 1e-9 * sigma, $"{full} vs SVD {sigma}");
    }

    [Fact]
    public void AStartInTheNullSpaceRestartsFromAGaussian()
    {
        // Kernel (1, 0, −1) on a 4-cycle peaks at f = 1 (|1 − e^{iπ}| = 2); with stride 4 V keeps one row,
        // y = x[3] − x[1], and the peak's plane wave cos(πi/2) = (1, 0, −1, 0) gives V·x = 0. ‖V‖₂ = √2.
        double[] w = [1, 0, -1];
        var g = ConvGeometry.ForConv([1, 1, 4], [1, 1, 3], new ConvOptions { Padding = 1, Stride = [4], PaddingMode = PaddingMode.Circular });
        var bound = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, g), w, g);
        Assert.Equal(SolverStatus.Converged, bound.Status);
        Assert.Equal(Math.Sqrt(2), bound.Value, 1e-12);
        // The polyphase embedding: stride 4 divides n = 4, one output row, so V is the strided circular operator and its
        // block at the one output frequency, (1/2)·[P(0) … P(3)] = (1/2)·[0, 2, 0, 2], has norm √2 exactly.
        Assert.True(bound.Exact, bound.ToString());
        Assert.InRange(bound.Upper, Math.Sqrt(2), Math.Sqrt(2) * (1 + 1e-9));
        Assert.True(bound.Iterations >= 2, bound.ToString());
    }

    [Fact]
    public void TheStructuredOperatorGivesTheSameInterval()
    {
        var g = ConvGeometry.ForConv([1, 4, 12, 10], [6, 2, 3, 3], new ConvOptions { Padding = 1, Groups = 2, Dilation = [1, 2], PaddingMode = PaddingMode.Reflect });
        var w = Problems.Gaussian(new Random(8), g.WeightLength);
        var structured = SpectralNorm.Bound(StructuredConvolution<double>.Compile(w, g), w, maxIterations: 30);
        var explicitV = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, g), w, g, maxIterations: 30);
        Assert.Equal(explicitV.Upper, structured.Upper, 1e-12 * explicitV.Upper);   // the dense certificate starts from each one's Lanczos value
        Assert.Equal(explicitV.Lower, structured.Lower, 1e-9 * explicitV.Upper);   // the products differ by rounding only
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(w, g))[0];
        Assert.True(structured.Lower <= sigma && sigma <= structured.Upper, $"{structured} vs SVD {sigma}");
    }

    [Fact]
    public void TheWindowedPlaneWaveClosesTheIntervalInOneOrTwoProducts()
    {
        // 8 → 8 channels, k3, padding 1 on 96 × 96, weight uniform in [−1, 1) like the workloads'. The interval's
        // width shrinks like 1/n² (the window's loss, and the padded grid's excess over V), so 1e-3 is reached here
        // from the start vector alone; at 224 × 224 (W6) it is about 1e-4.
        var g = ConvGeometry.ForConv([1, 8, 96, 96], [8, 8, 3, 3], new ConvOptions { Padding = 1 });
        var random = new Random(1);
        var w = Enumerable.Range(0, g.WeightLength).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        var bound = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, g), w, g, tolerance: 1e-3, maxIterations: 100);
        output.WriteLine(bound.ToString());
        Assert.Equal(SolverStatus.Converged, bound.Status);
        Assert.InRange(bound.Iterations, 1, 2);
        Assert.True(bound.RelativeWidth <= 1e-3, bound.ToString());
    }
}
