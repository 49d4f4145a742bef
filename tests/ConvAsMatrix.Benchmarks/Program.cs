using BenchmarkDotNet.Running;
using ConvAsMatrix;
using ConvAsMatrix.Benchmarks;

// "quick [W1|...|all] [batch] [threads]": the library's own timings (as convmat bench), for development.
if (args.Length > 0 && args[0] == "quick")
{
    var workloads = args.Length > 1 && args[1] != "all" ? [Workload.Named(args[1])] : Workload.All;
    int batch = args.Length > 2 ? int.Parse(args[2]) : 1, threads = args.Length > 3 ? int.Parse(args[3]) : Environment.ProcessorCount;
    foreach (var w in workloads)
        foreach (var m in WorkloadTimer.Run(w, batch, threads, repeats: 5))
            Console.WriteLine(m);
    return;
}
if (args.Length > 0 && args[0] == "info")
{
    // The sizes make_table.py needs for bytes and memory ratios, from the same definitions the benchmarks use.
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(Workload.All.Select(w => w.Geometry(1)).Select((g, i) => new
    {
        workload = Workload.All[i].Name,
        description = Workload.All[i].Description,
        rows = g.OutputLength,
        columns = g.InputLength,
        nnz = g.NonZeroCount,
    })));
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
    foreach (var (op, call) in new (string, Action)[] { ("conv", () => v.Convolve(x, vx)), ("tconv", () => v.ConvolveTranspose(y, vty)) })
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
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
