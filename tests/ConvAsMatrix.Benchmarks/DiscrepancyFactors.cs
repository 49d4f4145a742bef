using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// Whether any safety factor τ would let the discrepancy principle ‖V·x_λ − y‖ = τ·σ·√m meet the issue's targets: on the
/// periodic test problems, where V is BCCB and the Tikhonov solution is exact in one preconditioned step, every x_λ of a
/// fine λ grid, its PSNR and its misfit ‖V·x_λ − y‖/(σ√m) with the true σ; then, for each τ, the λ whose misfit is τ
/// (interpolated in log λ) and its PSNR gap to the best λ. Beside them, the λ two other rules choose on the same grid from
/// the exact trace of the influence matrix (V is BCCB, so tr H_λ = Σ_f |ĥ_f|²/(|ĥ_f|² + λ)): GCV, ‖r‖²/(m − tr H)², and
/// UPRE (Mallows' C_L, Vogel 2002 §7.1), ‖r‖² + 2σ²·tr H − mσ², which needs σ as the discrepancy principle does. One thread.
/// </summary>
internal static class DiscrepancyFactors
{
    public static void Run(int size)
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        var grid = Enumerable.Range(0, 85).Select(i => Math.Pow(10, -7 + i / 12.0)).ToArray();
        double[] taus = [0.8, 0.9, 0.95, 1.0, 1.01, 1.05, 1.1, 1.2, 1.3, 1.5, 2.0];
        var gaps = new List<double[]>();
        Console.WriteLine($"discrepancy-factors {size}: periodic problems, exact Tikhonov on {grid.Length} λ from 1e-7 to 1 (12 a decade)");
        Console.WriteLine("| blur | image | noise | best λ | misfit at best | misfits within 1 dB | " + string.Join(" | ", taus.Select(t => $"τ={F(t)}")) + " | GCV (exact) | UPRE (true σ) |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|" + string.Concat(taus.Select(_ => "---:|")) + "---:|---:|");
        foreach (var blur in StandardBlurs.All)
            foreach (var (image, truth) in new[] { ("smooth", Phantoms.Smooth(size)), ("piecewise", Phantoms.PiecewiseConstant(size)) })
                foreach (var noise in new[] { 0.001, 0.01, 0.05 })
                {
                    var p = BlurProblem.Create(truth, blur.Kernel, BlurBoundary.Periodic, noise, seed: 1);
                    var v = LinearOperator.From(StructuredConvolution<double>.Compile(p.Kernel, p.Geometry));
                    double scale = p.NoiseSigma * Math.Sqrt(v.RowCount);
                    var power = CirculantPreconditioner.BlurPower(p.Kernel, p.Geometry);
                    double m = v.RowCount, s2 = p.NoiseSigma * p.NoiseSigma;
                    var points = grid.Select(lambda =>
                    {
                        var x = new double[v.ColumnCount];
                        var r = Cgls.SolvePreconditioned(v, p.Observed, x, lambda, CirculantPreconditioner.Create(p.Kernel, p.Geometry, lambda).Apply, new SolverOptions { Tolerance = 1e-10, MaxIterations = 50 });
                        double trace = power.Sum(h => h / (h + lambda)), r2 = r.Residual * r.Residual;
                        return (Psnr: p.Psnr(x), Misfit: r.Residual / scale, Gcv: r2 / ((m - trace) * (m - trace)), Upre: r2 + 2 * s2 * trace - m * s2);
                    }).ToArray();
                    int best = Array.IndexOf(points, points.MaxBy(q => q.Psnr));
                    var within = points.Where(q => q.Psnr >= points[best].Psnr - 1).Select(q => q.Misfit).ToArray();
                    var row = taus.Select(t => points[best].Psnr - PsnrAtMisfit(points, t))
                        .Append(points[best].Psnr - points.MinBy(q => q.Gcv).Psnr).Append(points[best].Psnr - points.MinBy(q => q.Upre).Psnr).ToArray();
                    gaps.Add(row);
                    Console.WriteLine($"| {blur.Name} | {image} | {F(noise * 100)}% | {grid[best]:E1} | {F(points[best].Misfit, "F2")} | {F(within.Min(), "F2")}–{F(within.Max(), "F2")} | {string.Join(" | ", row.Select(g => F(g, "F2")))} |");
                }
        var columns = Enumerable.Range(0, taus.Length + 2).ToArray();
        Console.WriteLine($"| **within 1 dB** | | | | | | {string.Join(" | ", columns.Select(j => $"{gaps.Count(g => g[j] <= 1)}/{gaps.Count}"))} |");
        Console.WriteLine($"| **within 1.5 dB** | | | | | | {string.Join(" | ", columns.Select(j => $"{gaps.Count(g => g[j] <= 1.5)}/{gaps.Count}"))} |");
        Console.WriteLine($"| **worst** | | | | | | {string.Join(" | ", columns.Select(j => F(gaps.Max(g => g[j]), "F2")))} |");
    }

    /// <summary>The PSNR where the misfit (increasing with λ) crosses <paramref name="target"/>, linear between grid points; NaN outside the grid.</summary>
    private static double PsnrAtMisfit((double Psnr, double Misfit, double Gcv, double Upre)[] points, double target)
    {
        for (int i = 0; i + 1 < points.Length; i++)
            if (points[i].Misfit <= target && target <= points[i + 1].Misfit)
            {
                double t = (target - points[i].Misfit) / Math.Max(points[i + 1].Misfit - points[i].Misfit, double.Epsilon);
                return points[i].Psnr + t * (points[i + 1].Psnr - points[i].Psnr);
            }
        return double.NaN;
    }

    private static string F(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);
}
