using BenchmarkDotNet.Running;
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
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
