using System.Diagnostics;
using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The "how close each rule comes to the best λ" table of docs/solvers.md: for every blur test problem, the best λ by
/// brute force (Tikhonov to 1e-7 on a logarithmic grid, refined) against each parameter-choice rule run through hybrid
/// LSQR and the default λ, as PSNR gaps in dB; with the misfit ‖V·x_best − y‖/(σ√m) at the best λ (what a discrepancy
/// rule would have to aim at), the hybrid's steps, and its time against one LSQR solve at the λ it chose. One thread.
/// </summary>
/// <remarks>
/// <c>lambda-rules [N] [subset] [BLUR/BOUNDARY]</c>: N the image side (128 by default); <c>subset</c> runs only 1 % noise, the periodic and zero
/// boundaries and the Gaussian and motion blurs (the 512² rows: each brute-force solve there takes seconds); a last
/// argument such as <c>motion/zero</c> runs only the rows of that blur (its name's first word) and boundary.
/// </remarks>
internal static class LambdaRules
{
    private sealed record Rule(string Name, Func<BlurProblem, HybridLsqrOptions> Options, bool Estimate);

    public static void Run(int size, bool subset, string? only = null)
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        const int Steps = 300;
        var rules = new Rule[]
        {
            new("DP true σ", p => new HybridLsqrOptions { Rule = ParameterRule.Discrepancy, NoiseSigma = p.NoiseSigma, MaxIterations = Steps }, false),
            new("DP est. σ", _ => new HybridLsqrOptions { Rule = ParameterRule.Discrepancy, MaxIterations = Steps }, true),
            new("GCV", _ => new HybridLsqrOptions { Rule = ParameterRule.Gcv, MaxIterations = Steps }, false),
            new("WGCV adaptive", _ => new HybridLsqrOptions { Rule = ParameterRule.WeightedGcv, MaxIterations = Steps }, false),
            new("L-curve", _ => new HybridLsqrOptions { Rule = ParameterRule.LCurve, MaxIterations = Steps }, false),
        };
        Console.WriteLine($"lambda-rules {size}{(subset ? " subset" : "")}, started {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine("| blur | boundary | image | noise | best λ | best PSNR | ‖r_best‖/σ√m | " + string.Join(" | ", rules.Select(r => r.Name + " gap")) +
                          " | default 1e-3·‖V‖² gap | DP true σ: λ/best, steps | DP est.: σ̂/σ, steps, time | LSQR at its λ: certified steps, time; atol 1e-6 steps, time |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|" + string.Concat(rules.Select(_ => "---:|")) + "---:|---:|---:|---:|");
        var total = Stopwatch.StartNew();
        var blurs = subset ? [StandardBlurs.Gaussian, StandardBlurs.Motion] : StandardBlurs.All;
        var boundaries = subset ? new[] { BlurBoundary.Periodic, BlurBoundary.Zero } : [BlurBoundary.Periodic, BlurBoundary.Zero, BlurBoundary.Reflect];
        var noises = subset ? new[] { 0.01 } : [0.001, 0.01, 0.05];
        foreach (var blur in blurs)
            foreach (var boundary in boundaries)
                if (only is null || string.Equals(only, $"{blur.Name.Split(' ')[0]}/{boundary}", StringComparison.OrdinalIgnoreCase))
                foreach (var (image, truth) in new[] { ("smooth", Phantoms.Smooth(size)), ("piecewise", Phantoms.PiecewiseConstant(size)) })
                    foreach (var noise in noises)
                        Console.WriteLine(Row(BlurProblem.Create(truth, blur.Kernel, boundary, noise, seed: 1), blur.Name, boundary, image, noise, rules, size));
        Console.WriteLine($"({total.Elapsed.TotalSeconds:F0} s)");
    }

    private static string Row(BlurProblem p, string blur, BlurBoundary boundary, string image, double noise, Rule[] rules, int size)
    {
        var v = LinearOperator.From(StructuredConvolution<double>.Compile(p.Kernel, p.Geometry));
        double misfitScale = p.NoiseSigma * Math.Sqrt(v.RowCount);
        (double Psnr, double Misfit) Tikhonov(double lambda)
        {
            var x = new double[v.ColumnCount];
            var options = new SolverOptions { Tolerance = 1e-7, MaxIterations = 5000 };
            // A periodic blur is its own circulant: the preconditioned iteration is exact in a step or two.
            var r = boundary == BlurBoundary.Periodic
                ? Cgls.SolvePreconditioned(v, p.Observed, x, lambda, CirculantPreconditioner.Create(p.Kernel, p.Geometry, lambda).Apply, options)
                : Cgls.Solve(v, p.Observed, x, lambda, options);
            return (p.Psnr(x), r.Residual / misfitScale);
        }
        // 25 λ from 1e-6 to 1 (4 a decade), then 9 more around the best, 16 a decade.
        var best = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -6 + i * 0.25)).Select(l => (L: l, T: Tikhonov(l))).MaxBy(s => s.T.Psnr);
        foreach (var l in Enumerable.Range(-4, 9).Select(i => best.L * Math.Pow(10, i * 0.0625)))
        {
            var q = Tikhonov(l);
            if (q.Psnr > best.T.Psnr) best = (l, q);
        }
        var results = rules.Select(rule =>
        {
            var x = new double[v.ColumnCount];
            var (r, seconds) = Timed(() => HybridLsqr.Solve(v, p.Observed, x, rule.Options(p), rule.Estimate ? [size, size] : default));
            return (Result: r, Gap: best.T.Psnr - p.Psnr(x), Seconds: seconds);
        }).ToArray();
        var estimated = results[1];
        // One LSQR solve at the λ the hybrid chose: stopped by the same certificate ‖x − x_λ‖ ≤ ‖Aᵀr − λx‖/λ ≤ 1e-6·‖x‖ (its own
        // tests switched off), and by its default test at atol = btol = 1e-6.
        double lambda = estimated.Result.Lambda;
        var certified = new MathNet.Numerics.LinearAlgebra.Solvers.DelegateStopCriterion<double>((_, x, _, normal) =>
            normal[0] <= 1e-6 * lambda * x.L2Norm() ? MathNet.Numerics.LinearAlgebra.Solvers.IterationStatus.Converged : MathNet.Numerics.LinearAlgebra.Solvers.IterationStatus.Continue);
        var lsqrCertified = Timed(() => Lsqr.Solve(v, p.Observed, new double[v.ColumnCount], lambda,
            new SolverOptions { Tolerance = 1e-15, MaxIterations = 20000, ExtraCriteria = [certified] }, new LsqrOptions { ConditionLimit = 1e300 }));
        var lsqrDefault = Timed(() => Lsqr.Solve(v, p.Observed, new double[v.ColumnCount], lambda, new SolverOptions { Tolerance = 1e-6, MaxIterations = 20000 }));
        var dp = results[0].Result;
        string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        string Steps(HybridLsqrResult r) => F(r.Iterations, "0") + (r.Status == SolverStatus.Converged ? "" : " " + r.Status);
        var cells = results.Select(r => F(r.Gap, "F2")).Append(F(best.T.Psnr - Tikhonov(1e-3).Psnr, "F2"))
            .Append($"{F(dp.Lambda / best.L, "G2")}, {Steps(dp)}")
            .Append($"{F(estimated.Result.NoiseSigma!.Value / p.NoiseSigma, "F2")}, {Steps(estimated.Result)}, {F(estimated.Seconds, "F2")} s")
            .Append($"{lsqrCertified.Value.Iterations}, {F(lsqrCertified.Seconds, "F2")} s; {lsqrDefault.Value.Iterations}, {F(lsqrDefault.Seconds, "F2")} s");
        return $"| {blur} | {boundary} | {image} | {F(noise * 100, "0.#")}% | {F(best.L, "E1")} | {F(best.T.Psnr, "F2")} | {F(best.T.Misfit, "F2")} | {string.Join(" | ", cells)} |";
    }

    private static (T Value, double Seconds) Timed<T>(Func<T> run)
    {
        var clock = Stopwatch.StartNew();
        var value = run();
        return (value, clock.Elapsed.TotalSeconds);
    }
}
