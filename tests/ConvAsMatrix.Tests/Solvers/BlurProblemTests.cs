using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>The deblurring test problems: their kernels, phantoms, blur and noise level.</summary>
public class BlurProblemTests
{
    private static void AssertPointSpread(Tensor<double> kernel, int size)
    {
        Assert.Equal([1, 1, size, size], kernel.ShapeArray);
        Assert.All(kernel.Data, v => Assert.True(v >= 0));
        Assert.Equal(1.0, kernel.Data.Sum(), 12);
        // Every one of these is symmetric under a half turn about its centre.
        for (int i = 0; i < kernel.Length; i++) Assert.Equal(kernel.Data[i], kernel.Data[kernel.Length - 1 - i], 12);
    }

    [Fact]
    public void GaussianIsTheNormalisedIsotropicGaussian()
    {
        var g = BlurKernels.Gaussian(9, 1.6);
        AssertPointSpread(g, 9);
        double centre = g.Data[4 * 9 + 4];
        for (int i = 0; i < 9; i++)
            for (int j = 0; j < 9; j++)
                Assert.Equal(Math.Exp(-((i - 4) * (i - 4) + (j - 4) * (j - 4)) / (2 * 1.6 * 1.6)), g.Data[i * 9 + j] / centre, 12);
        Assert.Equal(g.Data, BlurKernels.Separable(Column(g, 4), Column(g, 4)).Data.Select(v => v), new AbsoluteTolerance(1e-15));
    }

    private static double[] Column(Tensor<double> k, int j) => Enumerable.Range(0, k.Shape[2]).Select(i => k.Data[i * k.Shape[3] + j]).ToArray();


    [Fact]
    public void DefocusIsTheDiscByCoverage()
    {
        var d = BlurKernels.Defocus(3);
        AssertPointSpread(d, 7);
        var w = d.Data;
        Assert.Equal(w[3 * 7 + 3], w[3 * 7 + 2], 15); // inside: fully covered
        Assert.Equal(0, w[0]);                         // the corner lies outside the disc
        Assert.True(w[3 * 7 + 0] > 0 && w[3 * 7 + 0] < w[3 * 7 + 3]); // the edge pixel partly
        // Total coverage is the disc's area, π·3², within the sampling's error.
        Assert.Equal(Math.PI * 9, 1 / w[3 * 7 + 3], 0.3);
    }

    [Theory]
    [InlineData(7.0, 0.0)]
    [InlineData(7.0, 90.0)]
    [InlineData(9.0, 30.0)]
    public void MotionSpreadsAlongItsAngle(double length, double angle)
    {
        var m = BlurKernels.Motion(length, angle);
        int k = m.Shape[2], c = k / 2;
        AssertPointSpread(m, k);
        // The first moment is zero (centred) and the second moment lies along the direction: var along ≈ L²/12, across ≈ small.
        double dx = Math.Cos(angle * Math.PI / 180), dy = -Math.Sin(angle * Math.PI / 180), along = 0, across = 0;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                double x = j - c, y = i - c, a = x * dx + y * dy, b = -x * dy + y * dx;
                along += m.Data[i * k + j] * a * a;
                across += m.Data[i * k + j] * b * b;
            }
        Assert.Equal(length * length / 12, along, 0.25 * length);
        Assert.True(across < 0.35, $"variance across the motion {across}");
    }

    [Fact]
    public void BadKernelParametersAreRefused()
    {
        Assert.Equal("size", Assert.Throws<ArgumentException>(() => BlurKernels.Gaussian(4, 1)).ParamName);
        Assert.Equal("sigma", Assert.Throws<ArgumentException>(() => BlurKernels.Gaussian(5, 0)).ParamName);
        Assert.Equal("radius", Assert.Throws<ArgumentException>(() => BlurKernels.Defocus(double.NaN)).ParamName);
        Assert.Equal("length", Assert.Throws<ArgumentException>(() => BlurKernels.Motion(-1, 0)).ParamName);
        Assert.Equal("rowProfile", Assert.Throws<ArgumentException>(() => BlurKernels.Separable([1, 1, 1], [1])).ParamName);
        Assert.Throws<ArgumentException>(() => BlurKernels.Separable([1, -1, 1], [1, 1, 1]));
    }

    [Theory]
    [InlineData(BlurBoundary.Zero, PaddingMode.Zeros)]
    [InlineData(BlurBoundary.Reflect, PaddingMode.Reflect)]
    [InlineData(BlurBoundary.Periodic, PaddingMode.Circular)]
    public void TheProblemIsTheBlurPlusNoiseOfTheAskedLevel(BlurBoundary boundary, PaddingMode mode)
    {
        foreach (var truth in new[] { Phantoms.Smooth(32), Phantoms.PiecewiseConstant(32) })
        {
            Assert.All(truth, v => Assert.InRange(v, 0, 1));
            Assert.Equal(1.0, truth.Max(), 12);
            var kernel = BlurKernels.Gaussian(5, 1.2);
            var p = BlurProblem.Create(truth, kernel, boundary, 0.01, seed: 3);
            Assert.Equal(mode, p.Geometry.PaddingMode);
            Assert.Equal([1, 1, 32, 32], p.Geometry.OutputShape);
            var direct = new double[32 * 32];
            DirectCorrelation.Apply<double>(p.Geometry, truth, kernel.Data, direct);
            Assert.Equal(direct, p.Blurred, new AbsoluteTolerance(1e-14));
            var e = p.Observed.Zip(p.Blurred, (y, b) => y - b).ToArray();
            double norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));
            Assert.Equal(0.01, norm(e) / norm(p.Blurred), 12);
            Assert.Equal(norm(e) / 32, p.NoiseSigma, 12);
            Assert.True(double.IsPositiveInfinity(p.Psnr(truth)));
            Assert.InRange(p.Psnr(p.Observed), 10, 40);
            // Reproducible from the seed, different for another.
            Assert.Equal(p.Observed, BlurProblem.Create(truth, kernel, boundary, 0.01, seed: 3).Observed);
            Assert.NotEqual(p.Observed, BlurProblem.Create(truth, kernel, boundary, 0.01, seed: 4).Observed);
        }
    }

    [Fact]
    public void BadProblemsAreRefused()
    {
        var k = BlurKernels.Gaussian(3, 1);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() => BlurProblem.Create(new double[10], k, BlurBoundary.Zero, 0.01)).ParamName);
        Assert.Equal("noiseLevel", Assert.Throws<ArgumentException>(() => BlurProblem.Create(new double[64], k, BlurBoundary.Zero, -0.1)).ParamName);
        Assert.Equal("kernel", Assert.Throws<ArgumentException>(() => BlurProblem.Create(new double[64], new Tensor<double>(new double[4], 1, 1, 2, 2), BlurBoundary.Zero, 0)).ParamName);
        Assert.Equal("n", Assert.Throws<ArgumentException>(() => Phantoms.Smooth(4)).ParamName);
    }
}
