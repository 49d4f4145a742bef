using ConvAsMatrix.Solvers;
using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// Parameter choice and hybrid LSQR against dense linear algebra: the Tikhonov curves from an SVD against the explicit
/// influence matrix, the bidiagonalisation's identities, hybrid LSQR against full Tikhonov at its own λ, the noise estimate.
/// </summary>
public class RegularizationTests
{
    private static Matrix<double> Dense(LinearOperator a)
    {
        var m = Matrix<double>.Build.Dense(a.RowCount, a.ColumnCount);
        var e = new double[a.ColumnCount];
        var column = new double[a.RowCount];
        for (int j = 0; j < a.ColumnCount; j++)
        {
            e[j] = 1;
            a.Apply(e, column);
            m.SetColumn(j, column);
            e[j] = 0;
        }
        return m;
    }

    private static LinearOperator Operator(Matrix<double> m) => new(m.RowCount, m.ColumnCount,
        (x, y) => (m * Vector<double>.Build.DenseOfArray(x.ToArray())).AsArray().CopyTo(y),
        (x, y) => (m.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(x.ToArray()))).AsArray().CopyTo(y));

    /// <summary>A 16×16 Gaussian blur problem (reflect boundary) at 1 % noise: small enough for dense algebra.</summary>
    private static (BlurProblem P, LinearOperator A, Matrix<double> Dense) Small(BlurBoundary boundary = BlurBoundary.Reflect, double noise = 0.01)
    {
        var p = BlurProblem.Create(Phantoms.PiecewiseConstant(16), BlurKernels.Gaussian(5, 1.2), boundary, noise, seed: 11);
        var a = LinearOperator.From(StructuredConvolution<double>.Compile(p.Kernel, p.Geometry));
        return (p, a, Dense(a));
    }

    private static double[] Tikhonov(Matrix<double> a, double[] b, double lambda)
    {
        var normal = a.TransposeThisAndMultiply(a) + lambda * Matrix<double>.Build.DenseIdentity(a.ColumnCount);
        return normal.Solve(a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(b))).ToArray();
    }

    [Fact]
    public void TheCurvesFromTheSvdAreTheExplicitOnes()
    {
        var (p, _, a) = Small();
        var spectrum = TikhonovSpectrum.Of(a, p.Observed);
        var b = Vector<double>.Build.DenseOfArray(p.Observed);
        foreach (double lambda in new[] { 1e-6, 1e-3, 1e-1, 3.0 })
        {
            var x = Vector<double>.Build.DenseOfArray(Tikhonov(a, p.Observed, lambda));
            var r = a * x - b;
            var influence = a * (a.TransposeThisAndMultiply(a) + lambda * Matrix<double>.Build.DenseIdentity(a.ColumnCount)).Inverse() * a.Transpose();
            double trace = a.RowCount - influence.Trace();
            Assert.Equal(r.DotProduct(r), spectrum.ResidualSquared(lambda), 1e-9 * r.DotProduct(r));
            Assert.Equal(x.DotProduct(x), spectrum.SolutionNormSquared(lambda), 1e-9 * x.DotProduct(x));
            Assert.Equal(influence.Trace(), spectrum.FilterSum(lambda), 1e-8 * a.RowCount);
            double gcv = r.DotProduct(r) / (trace * trace);
            Assert.Equal(gcv, spectrum.Gcv(lambda), 1e-8 * gcv);
        }
    }

    [Fact]
    public void CurvatureIsTheLCurvesGeometricCurvature()
    {
        var (p, _, a) = Small();
        var s = TikhonovSpectrum.Of(a, p.Observed);
        // Finite differences of (log ρ, log η) in u = log λ, the same orientation as μ = √λ.
        foreach (double lambda in new[] { 1e-5, 1e-3, 1e-2, 1e-1 })
        {
            const double h = 1e-3;
            (double X, double Y) At(double u) => (0.5 * Math.Log(s.ResidualSquared(Math.Exp(u))), 0.5 * Math.Log(s.SolutionNormSquared(Math.Exp(u))));
            double u0 = Math.Log(lambda);
            var (m, c, q) = (At(u0 - h), At(u0), At(u0 + h));
            double x1 = (q.X - m.X) / (2 * h), y1 = (q.Y - m.Y) / (2 * h), x2 = (q.X - 2 * c.X + m.X) / (h * h), y2 = (q.Y - 2 * c.Y + m.Y) / (h * h);
            double numeric = (x1 * y2 - y1 * x2) / Math.Pow(x1 * x1 + y1 * y1, 1.5);
            Assert.Equal(numeric, s.Curvature(lambda), 1e-3 * Math.Max(1, Math.Abs(numeric)));
        }
    }

    [Fact]
    public void TheDiscrepancyLambdaMeetsItsTarget()
    {
        var (p, _, a) = Small();
        var s = TikhonovSpectrum.Of(a, p.Observed);
        double target = 1.01 * p.NoiseSigma * 16;
        var lambda = s.DiscrepancyLambda(target);
        Assert.NotNull(lambda);
        Assert.Equal(target, Math.Sqrt(s.ResidualSquared(lambda.Value)), 1e-9 * target);
        Assert.Null(s.DiscrepancyLambda(10 * VectorMath(p.Observed))); // beyond ‖b‖: no λ reaches it
    }

    private static double VectorMath(double[] v) => Math.Sqrt(v.Sum(t => t * t));

    [Fact]
    public void GolubKahanKeepsItsIdentities()
    {
        var (p, op, a) = Small();
        var gk = new GolubKahan(op, p.Observed);
        for (int k = 0; k < 30; k++) Assert.True(gk.Step());
        var v = Matrix<double>.Build.DenseOfColumnArrays(gk.V);
        var u = Matrix<double>.Build.DenseOfColumnArrays(gk.U);
        var b = Matrix<double>.Build.Dense(31, 30);
        for (int i = 0; i < 30; i++) (b[i, i], b[i + 1, i]) = (gk.Alphas[i], gk.Betas[i + 1]);
        Assert.True((v.TransposeThisAndMultiply(v) - Matrix<double>.Build.DenseIdentity(30)).InfinityNorm() < 1e-12);
        Assert.True((u.TransposeThisAndMultiply(u) - Matrix<double>.Build.DenseIdentity(31)).InfinityNorm() < 1e-12);
        Assert.True((a * v - u * b).InfinityNorm() < 1e-12 * a.InfinityNorm());
        Assert.Equal(VectorMath(p.Observed), gk.Beta1, 12);
    }

    [Fact]
    public void TheProjectedProblemIsTheDenseSvdsOfTheBidiagonal()
    {
        var (p, op, _) = Small();
        var gk = new GolubKahan(op, p.Observed);
        for (int k = 1; k <= 60; k++)
        {
            Assert.True(gk.Step());
            if (k is not (1 or 2 or 7 or 30 or 60)) continue;
            var b = Matrix<double>.Build.Dense(k + 1, k);
            for (int i = 0; i < k; i++) (b[i, i], b[i + 1, i]) = (gk.Alphas[i], gk.Betas[i + 1]);
            var rhs = new double[k + 1];
            rhs[0] = gk.Beta1;
            var dense = TikhonovSpectrum.Of(b, rhs);
            var fast = ProjectedProblem.Spectrum(gk.Alphas, gk.Betas, k, k + 1);
            foreach (double lambda in new[] { 1e-7, 1e-4, 1e-2, 1.0 })
            {
                Assert.Equal(dense.ResidualSquared(lambda), fast.ResidualSquared(lambda), 1e-9 * gk.Beta1 * gk.Beta1);
                Assert.Equal(dense.SolutionNormSquared(lambda), fast.SolutionNormSquared(lambda), 1e-8 * dense.SolutionNormSquared(lambda));
                Assert.Equal(dense.FilterSum(lambda), fast.FilterSum(lambda), 1e-8 * k);
                var y = ProjectedProblem.Solve(gk.Alphas, gk.Betas, k, lambda);
                var expected = Tikhonov(b, rhs, lambda);
                Assert.Equal(expected, y, new AbsoluteTolerance(1e-9 * VectorMath(expected)));
            }
        }
    }

    [Fact]
    public void TheAdaptiveGcvWeightMakesTheSmallestSingularValueStationary()
    {
        // Chung, Nagy & O'Leary's ω: d/dμ of ‖r_μ‖²/(m − ω·Σf)² vanishes at μ = σ_min, checked by central differences.
        var (p, _, a) = Small();
        var s = TikhonovSpectrum.Of(a.SubMatrix(0, 256, 0, 40), p.Observed);
        double omega = s.AdaptiveGcvWeight(), mu = s.SingularValues.Min(), h = 1e-5 * mu;
        double G(double m) => s.Gcv(m * m, omega);
        double slope = (G(mu + h) - G(mu - h)) / (2 * h), scale = G(mu) / mu;
        Assert.True(omega > 0, $"ω = {omega}");
        Assert.True(Math.Abs(slope) <= 1e-6 * scale, $"ω = {omega}: dG/dμ = {slope:E2} against G/μ = {scale:E2}");
    }

    [Theory]
    [InlineData(ParameterRule.Gcv, true)]
    [InlineData(ParameterRule.WeightedGcv, true)]
    [InlineData(ParameterRule.Discrepancy, true)]
    [InlineData(ParameterRule.LCurve, true)]
    [InlineData(ParameterRule.Gcv, false)]
    [InlineData(ParameterRule.WeightedGcv, false)]
    [InlineData(ParameterRule.Discrepancy, false)]
    [InlineData(ParameterRule.LCurve, false)]
    public void HybridLsqrIsFullTikhonovAtItsOwnLambda(ParameterRule rule, bool reorthogonalize)
    {
        var (p, op, a) = Small();
        var x = new double[op.ColumnCount];
        var result = HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { Rule = rule, NoiseSigma = rule == ParameterRule.Discrepancy ? p.NoiseSigma : null, MaxIterations = 512, Reorthogonalize = reorthogonalize });
        Assert.Equal(SolverStatus.Converged, result.Status);
        Assert.True(result.Lambda > 0, result.ToString());
        var full = Tikhonov(a, p.Observed, result.Lambda);
        double difference = Math.Sqrt(full.Zip(x, (f, h) => (f - h) * (f - h)).Sum()), norm = VectorMath(full);
        Assert.True(difference <= 1e-6 * norm, $"{result}: ‖x_hybrid − x_full‖/‖x_full‖ = {difference / norm:E2}");
        if (rule == ParameterRule.Discrepancy)
            Assert.Equal(1.01 * p.NoiseSigma * 16, result.Residual, 1e-6 * result.Residual);
        // The adaptive ω is reported for weighted GCV (a mean of min(1, ω_k)), and only there.
        Assert.Equal(rule == ParameterRule.WeightedGcv, result.GcvWeight is > 0 and <= 1);
        Assert.Equal(rule == ParameterRule.WeightedGcv, result.ToString().Contains("omega", StringComparison.Ordinal));
        Assert.True(p.Psnr(x) > p.Psnr(p.Observed), $"{result}: PSNR {p.Psnr(x):F2} dB, data {p.Psnr(p.Observed):F2} dB");
    }

    [Theory]
    [InlineData(ParameterRule.Discrepancy, 1)]
    [InlineData(ParameterRule.Discrepancy, 5)]
    [InlineData(ParameterRule.Gcv, 2)]
    [InlineData(ParameterRule.LCurve, 7)]
    public void HybridLsqrBeyondItsBasisMemoryGivesTheSameBits(ParameterRule rule, int keptVectors)
    {
        // Past BasisMemory the v_i are regenerated when x is formed; with the structured V's deterministic products the
        // result is the one keeping every vector gives, to the last bit.
        var (p, op, _) = Small(noise: 0.03);
        var options = new HybridLsqrOptions { Rule = rule, NoiseSigma = rule == ParameterRule.Discrepancy ? p.NoiseSigma : null, MaxIterations = 512 };
        var whole = new double[op.ColumnCount];
        var all = HybridLsqr.Solve(op, p.Observed, whole, options);
        Assert.True(all.Iterations > keptVectors + 2, $"{all}: too few steps to leave the budget");
        var part = new double[op.ColumnCount];
        var bounded = HybridLsqr.Solve(op, p.Observed, part, options with { BasisMemory = 8L * op.ColumnCount * keptVectors + 7 });
        Assert.Equal((all.Iterations, all.Lambda), (bounded.Iterations, bounded.Lambda));
        Assert.Equal(whole, part);
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridLsqr.Solve(op, p.Observed, part, options with { BasisMemory = 0 }));
    }

    [Fact]
    public void HybridLsqrReportsTheGcvWeightItWasGiven()
    {
        var (p, op, _) = Small();
        var x = new double[op.ColumnCount];
        var given = HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { Rule = ParameterRule.WeightedGcv, GcvWeight = 0.9, MaxIterations = 512 });
        Assert.Equal(0.9, given.GcvWeight);
        var plain = HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { Rule = ParameterRule.Gcv, MaxIterations = 512 });
        Assert.Null(plain.GcvWeight);
    }

    [Fact]
    public void WeightedGcvChoosesLessSmoothingAsItsWeightFalls()
    {
        var (p, _, a) = Small();
        var s = TikhonovSpectrum.Of(a, p.Observed);
        double previous = double.PositiveInfinity;
        foreach (double weight in new[] { 1.0, 0.995, 0.99 })
        {
            double lambda = s.GcvLambda(weight);
            Assert.True(lambda <= previous, $"ω = {weight}: λ = {lambda:E3} after {previous:E3}");
            previous = lambda;
        }
        Assert.Equal(s.GcvLambda(), s.GcvLambda(1.0));
    }

    [Fact]
    public void HybridLsqrRefusesWhatItCannotUse()
    {
        var (p, op, _) = Small();
        var x = new double[op.ColumnCount];
        // The default rule is the discrepancy principle; without σ or a shape, σ is estimated from b as one signal.
        var flat = HybridLsqr.Solve(op, p.Observed, x);
        Assert.Equal(ParameterRule.Discrepancy, flat.Rule);
        Assert.Equal(NoiseEstimate.Haar(p.Observed, [p.Observed.Length]), flat.NoiseSigma);
        var one = new LinearOperator(1, 1, (u, w) => w[0] = 2 * u[0], (u, w) => w[0] = 2 * u[0]);
        Assert.Throws<ArgumentException>(() => HybridLsqr.Solve(one, [1.0], new double[1], new HybridLsqrOptions { Rule = ParameterRule.Discrepancy }));
        var nan = (double[])p.Observed.Clone();
        nan[3] = double.NaN;
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => HybridLsqr.Solve(op, nan, x)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { NoiseSigma = -1 }));
        // Three steps cannot certify anything: the limit is reported as such, not as convergence.
        Assert.Equal(SolverStatus.IterationLimit, HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { MaxIterations = 3 }).Status);
        // σ estimated from the image when only its shape is given.
        var estimated = HybridLsqr.Solve(op, p.Observed, x, new HybridLsqrOptions { Rule = ParameterRule.Discrepancy }, [16, 16]);
        Assert.NotNull(estimated.NoiseSigma);
    }

    [Theory]
    [InlineData(DeconvolutionMethod.Cgls)]
    [InlineData(DeconvolutionMethod.Lsqr)]
    public void EarlyStoppingStopsAtTheFirstIterateWithinTheDiscrepancy(DeconvolutionMethod method)
    {
        var (p, op, _) = Small();
        double target = 1.01 * p.NoiseSigma * 16;
        var x = new double[op.ColumnCount];
        var r = Deconvolution.Solve(op, p.Observed, x, new DeconvolutionOptions { Lambda = 0, Method = method, Solver = new SolverOptions { MisfitTarget = target } });
        var history = r.Solver.ResidualHistory;
        Assert.Equal(SolverStatus.Converged, r.Solver.Status);
        Assert.True(history[^1] <= target, $"stopped at misfit {history[^1]:G6} above {target:G6}");
        Assert.True(history[^2] > target, "it went on past the first iterate within the target");
        Assert.Equal(r.Solver.Iterations + 1, history.Count);
        Assert.True(p.Psnr(x) > p.Psnr(p.Observed), $"{method}: PSNR {p.Psnr(x):F2} dB, data {p.Psnr(p.Observed):F2} dB");
        Assert.Throws<ArgumentOutOfRangeException>(() => Deconvolution.Solve(op, p.Observed, x, new DeconvolutionOptions { Lambda = 0, Solver = new SolverOptions { MisfitTarget = -1 } }));
    }

    [Fact]
    public void MrnsdStaysNonNegativeAndMeetsTheKktConditions()
    {
        var (p, op, a) = Small(noise: 0.05);
        double lambda = 1e-2;
        var x = new double[op.ColumnCount];
        // MRNSD is a scaled steepest descent: measured here, the KKT residual reaches 4e-5 in 20,000 iterations, 1e-4 sooner.
        var r = Mrnsd.Solve(op, p.Observed, x, lambda, new SolverOptions { Tolerance = 1e-4, MaxIterations = 20000 });
        Assert.True(r.Status == SolverStatus.Converged, $"{r.Status} after {r.Iterations}: relative KKT residual {r.RelativeResidual:E2}");
        Assert.All(x, v => Assert.True(v >= 0));
        // KKT, checked here from scratch: g = Aᵀ(Ax − b) + λx ≥ 0 where x = 0 (to tolerance), g ≈ 0 where x > 0.
        var xv = Vector<double>.Build.DenseOfArray(x);
        var g = a.TransposeThisAndMultiply(a * xv - Vector<double>.Build.DenseOfArray(p.Observed)) + lambda * xv;
        double scale = a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(p.Observed)).AbsoluteMaximum(), top = x.Max();
        int atBound = 0;
        for (int i = 0; i < x.Length; i++)
        {
            // min(x_i/‖x‖, g_i/‖Aᵀb‖) ≈ 0: either x_i ≈ 0 with g_i ≥ 0, or g_i ≈ 0.
            Assert.True(Math.Abs(Math.Min(x[i] / top, g[i] / scale)) <= 1e-4, $"component {i}: x {x[i]:E2}, gradient {g[i]:E2}");
            if (x[i] <= 1e-5 * top) atBound++;
        }
        Assert.True(atBound > 0, "the bound never binds: the test would not test it");
        // Where the unconstrained minimiser is positive it is the constrained one too: a smooth, positive image with a large λ.
        var q = BlurProblem.Create(Phantoms.Smooth(16).Select(v => v + 0.5).ToArray(), BlurKernels.Gaussian(3, 0.8), BlurBoundary.Periodic, 0.001, seed: 2);
        var opq = LinearOperator.From(StructuredConvolution<double>.Compile(q.Kernel, q.Geometry));
        var full = Tikhonov(Dense(opq), q.Observed, 0.1);
        Assert.True(full.Min() > 0);
        var xq = new double[full.Length];
        var rq = Mrnsd.Solve(opq, q.Observed, xq, 0.1, new SolverOptions { Tolerance = 1e-8, MaxIterations = 20000 });
        Assert.True(rq.Converged, $"{rq.Status} after {rq.Iterations}: KKT {rq.RelativeResidual:E2}");
        Assert.Equal(full, xq, new AbsoluteTolerance(1e-6 * full.Max()));
    }


    [Fact]
    public void TheNoiseEstimateFindsWhiteNoisesSigma()
    {
        var noise = new double[128 * 128];
        var rng = new Random(2);
        for (int i = 0; i < noise.Length; i++) noise[i] = 0.03 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        Assert.Equal(0.03, NoiseEstimate.Haar(noise, [128, 128]), 0.03 * 0.05);
        Assert.Equal(0.03, NoiseEstimate.Haar(noise, [16384]), 0.03 * 0.05);
        Assert.Equal(0.03, NoiseEstimate.Haar(noise, [16, 32, 32]), 0.03 * 0.05);
        // On a smooth image with 1 % noise the image's own detail adds little.
        var p = BlurProblem.Create(Phantoms.Smooth(128), BlurKernels.Gaussian(9, 1.6), BlurBoundary.Periodic, 0.01, seed: 5);
        Assert.Equal(p.NoiseSigma, NoiseEstimate.Haar(p.Observed, [128, 128]), 0.1 * p.NoiseSigma);
        Assert.Throws<ArgumentException>(() => NoiseEstimate.Haar(noise, [127, 129]));
        Assert.Throws<ArgumentException>(() => NoiseEstimate.Haar(noise, [1, 16384]));
    }
}
