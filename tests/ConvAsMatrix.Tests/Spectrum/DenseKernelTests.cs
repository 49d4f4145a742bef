using System.Numerics;
using ConvAsMatrix.Spectrum;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ConvAsMatrix.Tests.Spectrum;

/// <summary>The dense kernels of the per-frequency work against plain loops and MathNet's eigen-decomposition.</summary>
public class DenseKernelTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 8)]
    [InlineData(64, 12)]
    [InlineData(65, 17)]
    [InlineData(130, 33)]
    [InlineData(200, 64)]
    public void TheBlockedTransposeProductIsTheTextbookSum(int m, int n)
    {
        var random = new Random(m * 1000 + n);
        var b = Enumerable.Range(0, m * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var c = Enumerable.Range(0, m * n).Select(_ => random.NextDouble() - 0.5).ToArray();
        var target = Enumerable.Range(0, n * n).Select(_ => random.NextDouble()).ToArray();
        var expected = (double[])target.Clone();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int r = 0; r < m; r++) expected[i * n + j] += b[r * n + i] * c[r * n + j];
        TransposeProduct.Add(b, c, m, n, target);
        for (int k = 0; k < n * n; k++) Assert.True(Math.Abs(target[k] - expected[k]) <= 1e-13 * (1 + m), $"entry {k}: {target[k]:R} vs {expected[k]:R}");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(17, 2)]
    [InlineData(64, 3)]
    [InlineData(150, 4)]
    public void HermitianLanczosFindsTheLargestEigenvalueFromBelow(int n, int seed)
    {
        var random = new Random(seed);
        var p = Matrix<Complex>.Build.Dense(n + 3, n, (_, _) => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5));
        var h = p.ConjugateTranspose() * p;
        var (re, im) = Split(h);
        double exact = h.Evd(Symmetricity.Hermitian).EigenValues.Max(z => z.Real);
        var theta = HermitianLanczos.Top(re, im, n, 1e-10);
        Assert.NotNull(theta);
        Assert.True(theta <= exact * (1 + 1e-12), $"Ritz {theta:R} above λ_max {exact:R}");
        Assert.True(theta >= exact * (1 - 1e-12), $"Ritz {theta:R}, λ_max {exact:R}");
    }

    [Fact]
    public void HermitianLanczosReturnsNothingWhenItsStepsRunOutRatherThanAnUnsettledValue()
    {
        // A zero residual tolerance on a 150 × 150 matrix: 96 steps neither meet it nor exhaust the space, so the caller
        // takes the dense eigen-decomposition.
        int n = 150;
        var random = new Random(7);
        var p = Matrix<Complex>.Build.Dense(n, n, (_, _) => new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5));
        var (re, im) = Split(p.ConjugateTranspose() * p);
        Assert.Null(HermitianLanczos.Top(re, im, n, 0));
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 9, 2)]
    [InlineData(40, 24, 3)]
    [InlineData(120, 130, 4)]
    public void TheSymbolsTopSingularPairIsTheSvdsUpToPhase(int m, int c, int seed)
    {
        var random = new Random(seed);
        var p = new Complex[m, c];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < c; j++) p[i, j] = new Complex(random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        var svd = Matrix<Complex>.Build.DenseOfArray(p).Svd(computeVectors: true);
        var (sigma, u) = SymbolTopSingular.Of(p);
        double top = svd.S[0].Real;
        Assert.True(Math.Abs(sigma - top) <= 1e-10 * top, $"σ {sigma:R}, SVD {top:R}");
        // The right singular vector is VT's first row conjugated; a unit phase apart (the top value is simple here).
        var v = svd.VT.Row(0).Conjugate();
        var overlap = Complex.Zero;
        for (int j = 0; j < c; j++) overlap += Complex.Conjugate(v[j]) * u[j];
        Assert.True(Math.Abs(overlap.Magnitude - 1) <= 1e-8, $"|⟨v, u⟩| = {overlap.Magnitude:R}");
    }

    private static (double[] Re, double[] Im) Split(Matrix<Complex> h)
    {
        int n = h.RowCount;
        var re = new double[n * n];
        var im = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) (re[i * n + j], im[i * n + j]) = (h[i, j].Real, h[i, j].Imaginary);
        return (re, im);
    }
}
