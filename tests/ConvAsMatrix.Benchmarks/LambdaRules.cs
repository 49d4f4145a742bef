using System.Diagnostics;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The "how close each rule comes to the best λ" table of docs/solvers.md: for every blur test problem, the best λ by
/// brute force (Tikhonov to 1e-7 on a logarithmic grid, refined) against each parameter-choice rule run through hybrid
/// LSQR and the default λ, as PSNR gaps in dB. One thread; quality only, no timing.
/// </summary>
internal static class LambdaRules
{
    public static void Run(int size)
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        var rules = new (string Name, Func<BlurProblem, HybridLsqrOptions> Options, bool Estimate)[]
        {
            ("DP true σ", p => new HybridLsqrOptions { Rule = ParameterRule.Discrepancy, NoiseSigma = p.NoiseSigma, MaxIterations = 150 }, false),
            ("DP est. σ", _ => new HybridLsqrOptions { Rule = ParameterRule.Discrepancy, MaxIterations = 150 }, true),
            ("GCV", _ => new HybridLsqrOptions { Rule = ParameterRule.Gcv, MaxIterations = 150 }, false),
            ("WGCV 0.5", _ => new HybridLsqrOptions { Rule = ParameterRule.WeightedGcv, GcvWeight = 0.5, MaxIterations = 150 }, false),
            ("L-curve", _ => new HybridLsqrOptions { Rule = ParameterRule.LCurve, MaxIterations = 150 }, false),
        };
        Console.WriteLine("| blur | boundary | image | noise | best λ | best PSNR | " + string.Join(" | ", rules.Select(r => r.Name + " gap")) + " | default 1e-3·‖V‖² gap |");
        Console.WriteLine("|---|---|---|---:|---:|---:|" + string.Concat(rules.Select(_ => "---:|")) + "---:|");
        var total = Stopwatch.StartNew();
        foreach (var (blur, kernel) in new[] { ("Gaussian 9×9 σ1.6", BlurKernels.Gaussian(9, 1.6)), ("disc r3", BlurKernels.Defocus(3)) })
            foreach (var boundary in new[] { BlurBoundary.Periodic, BlurBoundary.Zero, BlurBoundary.Reflect })
                foreach (var (image, truth) in new[] { ("smooth", Phantoms.Smooth(size)), ("piecewise", Phantoms.PiecewiseConstant(size)) })
                    foreach (var noise in new[] { 0.001, 0.01, 0.05 })
                        Console.WriteLine(Row(BlurProblem.Create(truth, kernel, boundary, noise, seed: 1), blur, boundary, image, noise, rules, size));
        Console.WriteLine($"({total.Elapsed.TotalSeconds:F0} s)");
    }

    private static string Row(BlurProblem p, string blur, BlurBoundary boundary, string image, double noise,
        (string Name, Func<BlurProblem, HybridLsqrOptions> Options, bool Estimate)[] rules, int size)
    {
        var v = LinearOperator.From(StructuredConvolution<double>.Compile(p.Kernel, p.Geometry));
        double Tikhonov(double lambda)
        {
            var x = new double[v.ColumnCount];
            var options = new SolverOptions { Tolerance = 1e-7, MaxIterations = 3000 };
            // A periodic blur is its own circulant: the preconditioned iteration is exact in a step or two.
            if (boundary == BlurBoundary.Periodic) Cgls.SolvePreconditioned(v, p.Observed, x, lambda, CirculantPreconditioner.Create(p.Kernel, p.Geometry, lambda).Apply, options);
            else Cgls.Solve(v, p.Observed, x, lambda, options);
            return p.Psnr(x);
        }
        // 25 λ from 1e-6 to 1 (4 a decade), then 9 more around the best, 16 a decade.
        var best = Enumerable.Range(0, 25).Select(i => Math.Pow(10, -6 + i * 0.25)).Select(l => (L: l, Psnr: Tikhonov(l))).MaxBy(s => s.Psnr);
        foreach (var l in Enumerable.Range(-4, 9).Select(i => best.L * Math.Pow(10, i * 0.0625)))
        {
            double q = Tikhonov(l);
            if (q > best.Psnr) best = (l, q);
        }
        var gaps = rules.Select(rule =>
        {
            var x = new double[v.ColumnCount];
            HybridLsqr.Solve(v, p.Observed, x, rule.Options(p), rule.Estimate ? [size, size] : default);
            return $"{best.Psnr - p.Psnr(x):F2}";
        }).Append($"{best.Psnr - Tikhonov(1e-3):F2}");
        return $"| {blur} | {boundary} | {image} | {noise * 100:0.#}% | {best.L:E1} | {best.Psnr:F2} | {string.Join(" | ", gaps)} |";
    }
}
