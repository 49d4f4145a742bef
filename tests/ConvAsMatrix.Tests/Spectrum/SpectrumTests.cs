using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Solvers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Spectrum;

/// <summary>‖V‖₂ and σ(V) three ways: power iteration, dense SVD, and Sedghi–Gupta–Long's DFT formula.</summary>
public class SpectrumTests(ITestOutputHelper output)
{
    /// <summary>Both spectra sorted descending; the largest |difference| relative to σ_max.</summary>
    private static double Disagreement(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double scale = Math.Max(a.Length == 0 ? 0 : a[0], 1e-300), worst = 0;
        for (int i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]) / scale);
        return worst;
    }

    [Property(MaxTest = 300)]
    public Property SedghiFormulaEqualsTheSvdOfV() =>
        Prop.ForAll(CircularCase.Arbitrary, c =>
        {
            var g = c.Geometry;
            var v = ConvolutionMatrix<double>.Compile(c.Weight, g);
            double difference = Disagreement(SingularValues.Circular(c.Weight, g), SingularValues.Dense(v));
            Assert.True(difference < 1e-12, $"{c}: {difference}");
        });

    [Property(MaxTest = 300)]
    public Property PowerIterationEqualsTheLargestSingularValue() =>
        Prop.ForAll(CircularCase.Arbitrary, c =>
        {
            var v = ConvolutionMatrix<double>.Compile(c.Weight, c.Geometry);
            var svd = SingularValues.Dense(v);
            var estimate = SpectralNorm.Estimate(v, maxIterations: 20_000);
            // A Rayleigh quotient never exceeds σ_max; when converged, the eigen-residual bounds the error of σ²
            // (so of σ by half of it). Near-equal top values may end at the iteration limit: that is reported.
            Assert.True(estimate.Value <= svd[0] * (1 + 1e-14), $"{c}: {estimate} above {svd[0]}");
            double error = Math.Abs(estimate.Value - svd[0]) / svd[0];
            if (estimate.Status == SolverStatus.Converged)
                Assert.True(error <= estimate.Residual + 1e-12, $"{c}: {error} vs residual {estimate.Residual}");
            else
                Assert.Equal(SolverStatus.IterationLimit, estimate.Status);
        });

    /// <summary>Sweeps a fixed sample of cases (also non-circular modes and strides for power vs SVD) and reports the worst disagreements.</summary>
    [Fact]
    public void LargestDisagreementsAreRoundOff()
    {
        var cases = Enumerable.Range(0, 200).Select(CircularCase.FromSeed).ToArray();
        double sedghiVsSvd = 0, powerVsSvd = 0, powerVsSedghi = 0;
        foreach (var c in cases)
        {
            var v = ConvolutionMatrix<double>.Compile(c.Weight, c.Geometry);
            var svd = SingularValues.Dense(v);
            var sedghi = SingularValues.Circular(c.Weight, c.Geometry);
            var power = SpectralNorm.Estimate(v, tolerance: 1e-12, maxIterations: 100_000);
            sedghiVsSvd = Math.Max(sedghiVsSvd, Disagreement(sedghi, svd));
            powerVsSvd = Math.Max(powerVsSvd, Math.Abs(power.Value - svd[0]) / svd[0]);
            if (Math.Abs(power.Value - svd[0]) / svd[0] > 1e-9) output.WriteLine($"{c}: {power} svd {svd[0]:R} {(svd.Length > 1 ? svd[1] : 0):R}");
            powerVsSedghi = Math.Max(powerVsSedghi, Math.Abs(power.Value - sedghi[0]) / sedghi[0]);
        }
        var random = new Random(5);
        foreach (var mode in Enum.GetValues<PaddingMode>())
            for (int stride = 1; stride <= 3; stride++)
            {
                var v = Problems.Random2D(random, 2, 3, 7, 3, new ConvOptions { Padding = 1, Stride = [stride], PaddingMode = mode });
                var power = SpectralNorm.Estimate(v, tolerance: 1e-12, maxIterations: 100_000);
                powerVsSvd = Math.Max(powerVsSvd, Math.Abs(power.Value - SingularValues.Dense(v)[0]) / power.Value);
            }
        output.WriteLine($"{cases.Length} circular cases + 12 strided/padded: max relative disagreement Sedghi vs SVD {sedghiVsSvd:G3}, power vs SVD {powerVsSvd:G3}, power vs Sedghi {powerVsSedghi:G3}");
        Assert.True(sedghiVsSvd < 1e-12, $"Sedghi vs SVD {sedghiVsSvd}");
        Assert.True(powerVsSvd < 1e-9, $"power vs SVD {powerVsSvd}");
        Assert.True(powerVsSedghi < 1e-9, $"power vs Sedghi {powerVsSedghi}");
    }

    [Fact]
    public void NearlyEqualTopValuesEndAtTheIterationLimitAndSaySo()
    {
        // Found by a sweep: two groups of 2×2 channels, 1×1 kernel on 3 positions; the top singular value (3-fold,
        // one per position) has a neighbour within a relative 1e-5, so power iteration crawls and says so. The
        // eigen-residual then bounds the distance to *some* eigenvalue only, not to σ_max: the estimate is a lower bound.
        var c = new CircularCase(4, 4, 2, [3], [1], [1], [0], 2277);
        var v = ConvolutionMatrix<double>.Compile(c.Weight, c.Geometry);
        var svd = SingularValues.Dense(v);
        var estimate = SpectralNorm.Estimate(v, tolerance: 1e-12, maxIterations: 2000);
        output.WriteLine($"{estimate}; SVD {string.Join(", ", svd.Take(6).Select(x => x.ToString("R")))}");
        Assert.Equal(SolverStatus.IterationLimit, estimate.Status);
        Assert.Equal(2000, estimate.Iterations);
        Assert.True(estimate.Value <= svd[0]);
        Assert.InRange((svd[0] - estimate.Value) / svd[0], 0, 1e-4);
        Assert.InRange(estimate.Residual, 1e-12, 1e-4);
        Assert.Equal(svd[0], SingularValues.Circular(c.Weight, c.Geometry)[0], 1e-14);
    }

    [Fact]
    public void TwoTapKernelHasTheTextbookSpectrum()
    {
        // x ↦ x[i] + x[i+1] on a 4-cycle: |1 + e^(2πif/4)| = 2, √2, 0, √2.
        var g = ConvGeometry.ForConv([1, 1, 4], [1, 1, 2], new ConvOptions { Padding = Padding.Asymmetric((0, 1)), PaddingMode = PaddingMode.Circular });
        var s = SingularValues.Circular([1.0, 1.0], g);
        Assert.Equal(4, s.Length);
        Assert.Equal(2, s[0], 1e-15);
        Assert.Equal(Math.Sqrt(2), s[1], 1e-15);
        Assert.Equal(Math.Sqrt(2), s[2], 1e-15);
        Assert.Equal(0, s[3], 1e-15);
    }

    [Fact]
    public void UnsuitableGeometriesAreRefusedWithTheReason()
    {
        var zeros = ConvGeometry.ForConv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Padding = 1 });
        Assert.Equal("padding_mode", Assert.Throws<ArgumentException>(() => SingularValues.Circular(new double[9], zeros)).ParamName);
        var strided = ConvGeometry.ForConv([1, 1, 6], [1, 1, 3], new ConvOptions { Padding = 1, Stride = [2], PaddingMode = PaddingMode.Circular });
        Assert.Equal("stride", Assert.Throws<ArgumentException>(() => SingularValues.Circular(new double[3], strided)).ParamName);
        var shrinking = ConvGeometry.ForConv([1, 1, 6], [1, 1, 3], new ConvOptions { Padding = 0, PaddingMode = PaddingMode.Circular });
        var e = Assert.Throws<ArgumentException>(() => SingularValues.Circular(new double[3], shrinking));
        Assert.Equal("padding", e.ParamName);
        Assert.Contains("output 4", e.Message);
        var circular = ConvGeometry.ForConv([1, 1, 6], [1, 1, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular });
        Assert.Equal("weight", Assert.Throws<ArgumentException>(() => SingularValues.Circular(new double[2], circular)).ParamName);

        var big = ConvolutionMatrix<double>.Compile(new double[1], ConvGeometry.ForConv([1, 1, 4100, 1100], [1, 1, 1, 1]));
        Assert.Equal("matrix", Assert.Throws<ArgumentException>(() => SingularValues.Dense(big)).ParamName);
        Assert.Equal("tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralNorm.Estimate(big, tolerance: 0)).ParamName);
        Assert.Equal("maxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => SpectralNorm.Estimate(big, maxIterations: 0)).ParamName);
    }

    [Fact]
    public void PowerIterationReportsItsStatus()
    {
        var v = Problems.Random2D(new Random(9), 2, 2, 8, 3, new ConvOptions { Padding = 1 });
        var limited = SpectralNorm.Estimate(v, tolerance: 1e-15, maxIterations: 2);
        Assert.Equal(SolverStatus.IterationLimit, limited.Status);
        Assert.Equal(2, limited.Iterations);
        Assert.True(limited.Value <= SingularValues.Dense(v)[0] * (1 + 1e-14), "the Rayleigh estimate never exceeds sigma_max");

        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stopped = SpectralNorm.Estimate(v, cancellationToken: cancelled.Token);
        Assert.Equal(SolverStatus.Cancelled, stopped.Status);
        Assert.Equal(0, stopped.Iterations);

        var zero = ConvolutionMatrix<double>.Compile(new double[9], ConvGeometry.ForConv([1, 1, 4, 4], [1, 1, 3, 3]));
        var nothing = SpectralNorm.Estimate(zero);
        Assert.Equal((0.0, SolverStatus.Converged), (nothing.Value, nothing.Status));
    }

    [Fact]
    public void SeedMakesTheEstimateReproducible()
    {
        var v = Problems.Random2D(new Random(10), 1, 2, 9, 3, new ConvOptions { Padding = 1 });
        Assert.Equal(SpectralNorm.Estimate(v, seed: 3), SpectralNorm.Estimate(v, seed: 3));
    }
}
