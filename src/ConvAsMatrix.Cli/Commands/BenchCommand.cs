using System.CommandLine;
using System.Text.Json;
using ConvAsMatrix.Benchmarks;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat bench</c>: the library's median seconds to compile V, apply it (conv) and its transpose (tconv)
/// on the benchmark workloads, in the structured form (default, W1–W6) or the explicit one (--form csr, W1–W4),
/// a machine check in seconds. The measured comparison with PyTorch and MathNet
/// is BENCHMARKS.md (BenchmarkDotNet); the workloads are the same (<see cref="Workload"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Time compile, conv (V·x) and tconv (Vᵀ·y) on the benchmark workloads (float64) and print the median seconds per workload and operation.");
        var workload = new Option<string>("--workload")
        {
            Description = "W1 (512x512 image, k5), W2 (DCGAN conv_transpose 64->32, k4 s2), W3 (ResNet 32->32, 56x56, k3), W4 (3-d 4->4, 32^3, k3), W5 (ResNet-50 conv4_x 256->256, 14x14, k3), W6 (VGG-16 conv1_2 64->64, 224x224, k3), tiny (smoke test) or all (W1-W6 structured; W1-W4 with --form csr, whose W5 and W6 would need 1.2 and 22 GB).",
            HelpName = "NAME|all",
            DefaultValueFactory = _ => "all",
        };
        var batch = ValueParsers.IntList("--batch", "Samples per conv/tconv call; a comma list runs each. Default: 1,16.", minimum: 1, helpName: "B|B1,B2,...");
        var threads = new Option<int>("--threads") { Description = "Threads the library may use (default: all cores).", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        var repeats = new Option<int>("--repeats") { Description = "Timed calls per operation, after one warm-up; the median is printed.", HelpName = "R", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON array, one object per measurement: workload, batch, threads, op (compile|conv|tconv), seconds, nnz (entries of the explicit V), form (structured|csr)." };
        command.Add(workload);
        command.Add(batch);
        command.Add(threads);
        command.Add(repeats);
        command.Add(json);
        var form = new FormOption(command);
        CommandRunner.SetAction(command, c =>
        {
            var name = c.Require(workload);
            // Resolve every option before the first (possibly long) measurement.
            var matrixForm = form.Of(c);
            var workloads = !string.Equals(name, "all", StringComparison.OrdinalIgnoreCase) ? [Workload.Named(name)]
                : matrixForm == MatrixForm.Csr ? Workload.All : Workload.Structured;
            var batches = c.Get(batch) is { Length: > 0 } b ? b : [1, 16];
            int threadCount = c.Require(threads), repeatCount = c.Require(repeats);
            if (threadCount < 1) throw new UsageException($"--threads {threadCount} must be at least 1");
            if (repeatCount < 1) throw new UsageException($"--repeats {repeatCount} must be at least 1");
            bool asJson = c.Get(json);

            var results = new List<Measurement>();
            if (!asJson) c.Out.WriteLine($"{"workload",-8} {"form",-10} {"batch",5} {"threads",7} {"op",-7} {"median s",12} {"nnz",12}");
            foreach (var w in workloads)
                foreach (int n in batches)
                    foreach (var m in WorkloadTimer.Run(w, n, threadCount, repeatCount, matrixForm))
                    {
                        results.Add(m);
                        if (!asJson) c.Out.WriteLine($"{m.Workload,-8} {m.Form,-10} {m.Batch,5} {m.Threads,7} {m.Op,-7} {m.Seconds,12:G4} {m.Nnz,12}");
                    }
            if (asJson) c.Out.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
            return ExitCodes.Success;
        });
        return command;
    }
}
