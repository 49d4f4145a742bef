using System.Diagnostics;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.SuiteSparse;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The "Solvers" table of BENCHMARKS.md (<c>dotnet tests/ConvAsMatrix.Benchmarks/bin/Release/net10.0/ConvAsMatrix.Benchmarks.dll solvers</c>):
/// wall time per right-hand side of the regularised deblurring problem (<see cref="Deblurring"/>, λ = 1e-3 = the
/// default 1e-3·‖V‖₂² since ‖V‖₂ = 1) by CGLS, LSQR (tolerance 1e-6, the CLI default) and the direct factorisations
/// (factor once, then solve the batch), for batches of 1 and 16. Each solve is the fastest of up to 5 timed runs (fewer
/// once 4 s of runs are spent), after a warm-up solve: on a shared machine the minimum is the figure least disturbed
/// by other processes (the load average is printed).
/// </summary>
/// <remarks>
/// Per right-hand side = (factorisation + batch solve) / batch for the direct methods (one factorisation per size,
/// timed once, serves both batches), batch time / batch for the iterative ones (they solve sample by sample). Each row also checks the direct solution: the normal-equation
/// residual ‖(VᵀV + λI)x − Vᵀy‖/‖Vᵀy‖ (target 1e-12) and the distance of the iterative solutions from it.
/// </remarks>
internal static class SolverTimings
{
    private const double Lambda = 1e-3;

    public static void Run(string[] args)
    {
        var sizes = args.Length > 0
            ? args[0].Split(',').Select(s => s.Split('x')).Select(p => (int.Parse(p[0]), p.Length > 1 ? int.Parse(p[1]) : 1)).ToArray()
            : [(64, 1), (256, 1), (512, 1), (128, 3)];
        // The iterative methods solve a batch sample by sample; a second argument (e.g. "1") limits their batches where 16 would take too long.
        int[] iterativeBatches = args.Length > 1 ? [.. args[1].Split(',').Select(int.Parse)] : [1, 16];
        Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} before, {Environment.ProcessorCount} threads; BLAS {Path.GetFileName(Path.GetDirectoryName(ResolveBlas()))}/{Path.GetFileName(ResolveBlas())}.");
        Console.WriteLine();
        Console.WriteLine("| image | unknowns | solver | batch | per right-hand side | of which factorisation | iterations | normal-eq. residual | vs direct |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        Warmup();
        foreach (var (n, channels) in sizes)
        {
            var v = Deblurring.Matrix(n, channels, channels > 1 ? 0.1 : 0);
            _ = v.Columns;   // compiled V's column form: part of compiling, not of solving
            var random = new Random(n);
            string image = channels == 1 ? $"{n}²" : $"{channels}×{n}²";
            var y = new double[16 * v.RowCount];
            for (int i = 0; i < y.Length; i++) y[i] = random.NextDouble();
            var reference = new double[16 * v.ColumnCount];
            foreach (var kind in new[] { "CHOLMOD", "CXSparse Cholesky" })
            {
                if (kind == "CXSparse Cholesky" && v.ColumnCount > 70000) continue;   // several times CHOLMOD's time from 256² on: not a contender beyond
                // One factorisation serves both batches: per right-hand side = (factorisation + batch solve) / batch.
                var clock = Stopwatch.StartNew();
                using DirectSolver solver = kind == "CHOLMOD" ? CholmodCholesky.Create(v, Lambda) : CxSparseCholesky.Create(v, Lambda);
                double factor = clock.Elapsed.TotalSeconds;
                foreach (int batch in new[] { 1, 16 })
                {
                    var x = new double[batch * v.ColumnCount];
                    var (solve, _) = Fastest(() =>
                    {
                        var c = Stopwatch.StartNew();
                        solver.SolveBatch(y.AsSpan(0, batch * v.RowCount), x);
                        return (c.Elapsed.TotalSeconds, 0);
                    });
                    double residual = 0;
                    for (int s = 0; s < batch; s++) residual = Math.Max(residual, NormalResidual(v, x.AsSpan(s * v.ColumnCount, v.ColumnCount), y.AsSpan(s * v.RowCount, v.RowCount)));
                    if (kind == "CHOLMOD") x.CopyTo(reference, 0);
                    Console.WriteLine($"| {image} | {v.ColumnCount:N0} | {kind} | {batch} | {Format((factor + solve) / batch)} | {Format(factor / batch)} | – | {residual:E1} | {Difference(x, reference.AsSpan(0, x.Length)):E1} |");
                }
            }
            foreach (int batch in iterativeBatches)
                foreach (var method in new[] { DeconvolutionMethod.Cgls, DeconvolutionMethod.Lsqr })
                {
                    var x = new double[batch * v.ColumnCount];
                    DeconvolutionResult[] results = [];
                    var (total, _) = Fastest(() =>
                    {
                        var clock = Stopwatch.StartNew();
                        results = Deconvolution.SolveBatch(v, y.AsSpan(0, batch * v.RowCount), x, new DeconvolutionOptions { Lambda = Lambda, Method = method, Solver = new SolverOptions { MaxIterations = 5000 } });
                        return (clock.Elapsed.TotalSeconds, 0);
                    });
                    Console.WriteLine($"| {image} | {v.ColumnCount:N0} | {method.ToString().ToUpperInvariant()} | {batch} | {Format(total / batch)} | – | {results.Max(r => r.Solver.Iterations)} | – | {Difference(x, reference.AsSpan(0, x.Length)):E1} |");
                }
        }
        Console.WriteLine();
        Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
    }

    /// <summary>The fastest of up to 5 runs of <paramref name="run"/>, stopping once 4 s have been spent.</summary>
    private static (double Total, double Factor) Fastest(Func<(double Total, double Factor)> run)
    {
        var best = run();
        double spent = best.Total;
        for (int r = 1; r < 5 && spent < 4; r++)
        {
            var next = run();
            spent += next.Total;
            if (next.Total < best.Total) best = next;
        }
        return best;
    }

    private static void Warmup()
    {
        var v = Deblurring.Matrix(16);
        var y = new double[v.RowCount];
        y[7] = 1;
        using (var s = CholmodCholesky.Create(v, Lambda)) s.Solve(y, new double[v.ColumnCount]);
        using (var s = CxSparseCholesky.Create(v, Lambda)) s.Solve(y, new double[v.ColumnCount]);
        Deconvolution.Solve(v, y, new double[v.ColumnCount], new DeconvolutionOptions { Lambda = Lambda });
        Deconvolution.Solve(v, y, new double[v.ColumnCount], new DeconvolutionOptions { Lambda = Lambda, Method = DeconvolutionMethod.Lsqr });
    }

    /// <summary>‖(VᵀV + λI)x − Vᵀy‖ / ‖Vᵀy‖ through V's products.</summary>
    private static double NormalResidual(CompressedRowStorage<double> v, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var vx = new double[v.RowCount];
        v.Multiply(x, vx);
        var lhs = new double[v.ColumnCount];
        var rhs = new double[v.ColumnCount];
        v.TransposeMultiply(vx, lhs);
        v.TransposeMultiply(y, rhs);
        double num = 0, den = 0;
        for (int i = 0; i < lhs.Length; i++)
        {
            double d = lhs[i] + Lambda * x[i] - rhs[i];
            num += d * d;
            den += rhs[i] * rhs[i];
        }
        return Math.Sqrt(num / den);
    }

    private static double Difference(ReadOnlySpan<double> x, ReadOnlySpan<double> reference)
    {
        double num = 0, den = 0;
        for (int i = 0; i < x.Length; i++)
        {
            num += (x[i] - reference[i]) * (x[i] - reference[i]);
            den += reference[i] * reference[i];
        }
        return Math.Sqrt(num / den);
    }

    private static string Format(double seconds) => seconds >= 1 ? $"{seconds:F2} s" : $"{seconds * 1e3:F1} ms";

    private static string ResolveBlas()
    {
        var path = "/usr/lib/x86_64-linux-gnu/libblas.so.3";
        try { return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path; }
        catch (IOException) { return path; }
    }
}
