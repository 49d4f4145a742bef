using BenchmarkDotNet.Running;
using ConvAsMatrix;
using ConvAsMatrix.Benchmarks;

// Besides the BenchmarkDotNet suite (any arguments BenchmarkSwitcher takes, e.g. --filter '*'), modes used by
// run-all.sh and for profiling on a shared machine:
//   info                  workload sizes as JSON (make_table.py)
//   scaling               the cost-model table of docs/performance.md
//   cpu W batch           CPU seconds per conv/tconv call on one thread, and MathNet's TransposeThisAndMultiply
//   compile W repeats     only Compile, repeated (perf record -g)
//   structured [W,..] [batches] [threads]   the blocked kernels: ms, GFLOP/s, share of the FMA peak (quick, not BenchmarkDotNet)
//   solvers [N[xC],...] [B,...]  the "Solvers" table of BENCHMARKS.md (CGLS, LSQR, SuiteSparse; SolverTimings.cs)
//   wgrad-serve           the weight gradient timed on request, for wgrad_interleaved.py (WeightGradientServer.cs)
//   batch-turns W dtype rounds  conv/tconv at batch 1, batch 16 and 16 one-sample calls in turns, thread CPU time (BatchTurns.cs)
//   norm-iterations W6|MODEL.onnx [cap] [layer]  products to a 1e-9 eigen-residual: power iteration against Golub–Kahan–Lanczos (NormIterations.cs)
//   norm-w6 [width]      W6's certified norm interval at that width (default 1e-4)
//   lambda-rules [N] [subset] [BLUR/BOUNDARY]  each λ rule against the brute-force best λ on the N×N blur problems (docs/solvers.md; LambdaRules.cs)
//   discrepancy-factors [N]  the discrepancy principle's PSNR gap for each safety factor τ on the periodic N×N problems (DiscrepancyFactors.cs)
// Quick library-only timings are `convmat bench`.
if (args.Length > 0 && args[0] == "norm-w6")
{
    NormIterations.BoundW6(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1e-4);
    return;
}
if (args.Length > 0 && args[0] == "norm-iterations")
{
    NormIterations.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "lambda-rules")
{
    LambdaRules.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 128, args.Length > 2 && args[2] == "subset", args.Length > 3 ? args[3] : null);
    return;
}
if (args.Length > 0 && args[0] == "discrepancy-factors")
{
    DiscrepancyFactors.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 128);
    return;
}
if (args.Length > 0 && args[0] == "batch-turns")
{
    BatchTurns.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "wgrad-serve")
{
    WeightGradientServer.Run();
    return;
}
if (args.Length > 0 && args[0] == "solvers")
{
    SolverTimings.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "info")
{
    // The sizes make_table.py needs for bytes and memory ratios, from the same definitions the benchmarks use.
    // W1–W6 (Workload.Structured); flops = nominal floating-point operations of one sample's V·x (WorkloadTimer.Flops).
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(Workload.Structured.Select(w => w.Geometry(1)).Select((g, i) => new
    {
        workload = Workload.Structured[i].Name,
        description = Workload.Structured[i].Description,
        rows = g.OutputLength,
        columns = g.InputLength,
        nnz = g.NonZeroCount,
        flops = WorkloadTimer.Flops(g),
    })));
    return;
}
if (args.Length > 0 && args[0] == "scaling")
{
    // The cost-model table of docs/performance.md: conv2d C->C, k x k, padding k/2, H x H, batch 1, all threads.
    Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}, {Environment.ProcessorCount} threads, median of 7.");
    Console.WriteLine();
    Console.WriteLine("| C_in = C_out | H = W | k | nnz | V (MiB) | compile | V·x | Vᵀ·y | compile ns/entry | V·x ns/entry | Vᵀ·y ns/entry |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var (c, h, k) in new[] { (8, 56, 3), (16, 56, 3), (32, 56, 3), (16, 28, 3), (16, 112, 3), (16, 56, 5) })
    {
        var w = Workload.Create($"C{c}H{h}k{k}", "", b => ConvGeometry.ForConv([b, c, h, h], [c, c, k, k], new ConvOptions { Padding = k / 2 }));
        var m = WorkloadTimer.Run<double>(w, 1, Environment.ProcessorCount, repeats: 7, MatrixForm.Csr).ToDictionary(r => r.Op, r => r.Seconds);
        long nnz = w.Geometry(1).NonZeroCount;
        Console.WriteLine($"| {c} | {h} | {k} | {nnz:N0} | {nnz * 12 / 1048576.0:F0} | {m["compile"] * 1e3:F1} ms | {m["conv"] * 1e3:F2} ms | {m["tconv"] * 1e3:F2} ms | {m["compile"] * 1e9 / nnz:F2} | {m["conv"] * 1e9 / nnz:F2} | {m["tconv"] * 1e9 / nnz:F2} |");
    }
    return;
}
if (args.Length > 0 && args[0] == "compile")
{
    // Profiling aid: only Compile, repeated (perf record -g dotnet ... compile W2 10).
    var w = Workload.Named(args[1]);
    var g = w.Geometry(1);
    var weight = w.Weight();
    for (int r = 0; r < int.Parse(args[2]); r++) ConvAsMatrix.ConvolutionMatrix<double>.Compile(weight, g);
    return;
}
if (args.Length > 0 && args[0] == "cpu")
{
    // Development aid on a shared machine: CPU seconds per call on one thread, less disturbed by other processes than wall time.
    Parallelism.MaxDegreeOfParallelism = 1;
    var w = Workload.Named(args[1]);
    int batch = int.Parse(args[2]);
    var v = ConvAsMatrix.ConvolutionMatrix<double>.Compile(w.Weight(), w.Geometry(batch));
    double[] x = w.Input(batch), y = w.TransposeInput(batch), vx = new double[y.Length], vty = new double[x.Length];
    var cscStart = System.Diagnostics.Stopwatch.GetTimestamp();
    _ = v.Columns;
    Console.WriteLine($"{w.Name} compressed columns built in {System.Diagnostics.Stopwatch.GetElapsedTime(cscStart).TotalSeconds:F4} s (wall)");
    var mathNet = new MathNet.Numerics.LinearAlgebra.Double.SparseMatrix(MathNet.Numerics.LinearAlgebra.Storage.SparseCompressedRowMatrixStorage<double>.OfCompressedSparseRowFormat(
        v.RowCount, v.ColumnCount, v.NonZerosCount, v.RowPointers, v.ColumnIndices, v.Values));
    var (yv, xv) = (MathNet.Numerics.LinearAlgebra.Double.DenseVector.OfArray(y[..v.RowCount]), new MathNet.Numerics.LinearAlgebra.Double.DenseVector(v.ColumnCount));
    foreach (var (op, call) in new (string, Action)[] { ("conv", () => v.Convolve(x, vx)), ("tconv", () => v.ConvolveTranspose(y, vty)), ("MathNet TransposeThisAndMultiply (1 sample)", () => mathNet.TransposeThisAndMultiply(yv, xv)) })
    {
        call();
        var best = double.MaxValue;
        for (int r = 0; r < 5; r++)
        {
            var before = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            call();
            best = Math.Min(best, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds);
        }
        Console.WriteLine($"{w.Name} b{batch} {op}: {best:F4} cpu s");
    }
    return;
}
if (args.Length > 0 && args[0] == "structured")
{
    // Development aid: the blocked kernels on one thread (or args[3]), best of 5 wall times, GFLOP/s and share of the FMA peak.
    var names = args.Length > 1 ? args[1].Split(',') : Workload.Structured.Select(w => w.Name).ToArray();
    var batches = args.Length > 2 ? args[2].Split(',').Select(int.Parse).ToArray() : [1, 16];
    Parallelism.MaxDegreeOfParallelism = args.Length > 3 ? int.Parse(args[3]) : 1;
    double peak = PeakLoop.GigaFlops<double>(KernelPath.Best);
    Console.WriteLine($"path {KernelPath.Best.Name}, peak loop: {peak:F1} GFLOP/s; threads {Parallelism.MaxDegreeOfParallelism}");
    foreach (var name in names)
        foreach (int batch in batches)
        {
            var w = Workload.Named(name);
            var g = w.Geometry(batch);
            var kernel = BlockedConvolution<double>.TryCreate(g, w.Weight())!;
            double[] x = w.Input(batch), y = w.TransposeInput(batch), vx = new double[y.Length], vty = new double[x.Length];
            double flops = WorkloadTimer.Flops(g);
            foreach (var (op, call) in new (string, Action)[] { ("conv", () => kernel.Forward(x, vx, batch)), ("tconv", () => kernel.Adjoint(y, vty, batch)) })
            {
                call();
                double best = double.MaxValue, bestCpu = double.MaxValue;
                for (int r = 0; r < 5; r++)
                {
                    var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                    long start = System.Diagnostics.Stopwatch.GetTimestamp();
                    call();
                    best = Math.Min(best, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
                    bestCpu = Math.Min(bestCpu, (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
                }
                Console.WriteLine($"{name} b{batch} {op}: {best * 1e3:F3} ms  {flops / best / 1e9:F1} GFLOP/s  {flops / best / 1e9 / peak:P0} of peak; cpu {bestCpu * 1e3:F1} ms {flops / bestCpu / 1e9:F1} GFLOP/s");
            }
        }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
