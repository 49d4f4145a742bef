using ConvAsMatrix.Solvers;
using ConvAsMatrix.SuiteSparse;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// The test of the rules: on each small blur test problem (every standard blur × every boundary, 1 % noise, 32×32)
/// the best λ by brute force on a logarithmic grid, each λ solved exactly by CHOLMOD (Debian's libsuitesparse-dev; without
/// it these tests FAIL), and each rule's λ from hybrid LSQR compared with it; the hybrid's x is also CHOLMOD's solution
/// at the hybrid's own λ. The bounds are loose (a small image makes every gap noisier than at 128², where docs/solvers.md
/// measures them); what they catch is a rule or a solver that has gone wrong, e.g. a λ off by orders of magnitude.
/// </summary>
public class RuleAgainstBestLambdaTests(ITestOutputHelper output)
{
    public static TheoryData<int, BlurBoundary> Cases()
    {
        var data = new TheoryData<int, BlurBoundary>();
        for (int blur = 0; blur < StandardBlurs.All.Count; blur++)
            foreach (var boundary in Enum.GetValues<BlurBoundary>()) data.Add(blur, boundary);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EachRuleLandsNearTheBruteForceBestLambda(int blur, BlurBoundary boundary)
    {
        const int N = 32;
        var p = BlurProblem.Create(Phantoms.PiecewiseConstant(N), StandardBlurs.All[blur].Kernel, boundary, 0.01, seed: 3);
        var v = ConvolutionMatrix<double>.Compile(p.Kernel, p.Geometry);
        var op = LinearOperator.From(v);
        double[] Exact(double lambda)
        {
            using var cholesky = CholmodCholesky.Create(v, lambda);
            var x = new double[v.ColumnCount];
            cholesky.Solve(p.Observed, x);
            return x;
        }
        // 8 λ a decade from 1e-6 to 1.
        var grid = Enumerable.Range(0, 49).Select(i => Math.Pow(10, -6 + i / 8.0)).ToArray();
        var psnr = grid.Select(l => p.Psnr(Exact(l))).ToArray();
        double best = psnr.Max(), bestLambda = grid[Array.IndexOf(psnr, best)];
        var rules = new (string Name, HybridLsqrOptions Options, double Bound)[]
        {
            ("discrepancy, true σ", new() { Rule = ParameterRule.Discrepancy, NoiseSigma = p.NoiseSigma, MaxIterations = 600 }, 1.5),
            ("discrepancy, estimated σ", new() { Rule = ParameterRule.Discrepancy, MaxIterations = 600 }, 4),
            ("GCV", new() { Rule = ParameterRule.Gcv, MaxIterations = 600 }, 3),
            ("weighted GCV", new() { Rule = ParameterRule.WeightedGcv, MaxIterations = 600 }, 3),
        };
        foreach (var (name, options, bound) in rules)
        {
            var x = new double[v.ColumnCount];
            var r = HybridLsqr.Solve(op, p.Observed, x, options, [N, N]);
            double gap = best - p.Psnr(x);
            output.WriteLine($"{StandardBlurs.All[blur].Name}, {boundary}: best λ {bestLambda:E2} ({best:F2} dB); {name}: λ {r.Lambda:E2}, gap {gap:F2} dB, {r.Iterations} steps");
            Assert.True(r.Status == SolverStatus.Converged, $"{name}: {r}");
            Assert.True(gap <= bound, $"{name}: λ {r.Lambda:E3} is {gap:F2} dB below the best λ {bestLambda:E3} ({best:F2} dB); bound {bound} dB");
            // The hybrid's x is the exact Tikhonov solution at its λ, here by CHOLMOD.
            var exact = Exact(r.Lambda);
            double difference = Math.Sqrt(exact.Zip(x, (e, h) => (e - h) * (e - h)).Sum() / exact.Sum(e => e * e));
            Assert.True(difference <= 1e-5, $"{name}: ‖x_hybrid − x_CHOLMOD‖/‖x‖ = {difference:E2}");
        }
    }
}
