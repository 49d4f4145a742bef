using System.CommandLine;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using ConvAsMatrix.Benchmarks;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat bench</c>: the library's median seconds to compile V, apply it (conv) and its transpose (tconv), and (structured form) the weight gradient (wgrad)
/// on the benchmark workloads, in the structured form (default, W1–W6) or the explicit one (--form csr, W1–W4),
/// float64 or float32 (--dtype), a machine check in seconds. It names the kernel path (<see cref="KernelPath"/>, which
/// the runtime's DOTNET_Enable* knobs choose) and sets each product's GFLOP/s against that path's peak loop
/// (<see cref="PeakLoop"/>) measured in the same run, so one command per knob gives a performance matrix. The measured comparison with PyTorch and MathNet
/// is BENCHMARKS.md (BenchmarkDotNet); the workloads are the same (<see cref="Workload"/>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Time compile, conv (V·x), tconv (Vᵀ·y) and (structured form) wgrad (the weight gradient U(x)ᵀ·y) on the benchmark workloads and print the median seconds per workload and operation, with the kernel path and each product's GFLOP/s as a share of that path's peak loop.");
        var workload = new Option<string>("--workload")
        {
            Description = "W1 (512x512 image, k5), W2 (DCGAN conv_transpose 64->32, k4 s2), W3 (ResNet 32->32, 56x56, k3), W4 (3-d 4->4, 32^3, k3), W5 (ResNet-50 conv4_x 256->256, 14x14, k3), W6 (VGG-16 conv1_2 64->64, 224x224, k3), tiny (smoke test) or all (W1-W6 structured; W1-W4 with --form csr, whose W5 and W6 would need 1.2 and 22 GB).",
            HelpName = "NAME|all",
            DefaultValueFactory = _ => "all",
        };
        var batch = ValueParsers.IntList("--batch", "Samples per conv/tconv call; a comma list runs each. Default: 1,16.", minimum: 1, helpName: "B|B1,B2,...");
        var threads = new Option<int>("--threads") { Description = "Threads the library may use (default: all cores).", HelpName = "N", DefaultValueFactory = _ => Environment.ProcessorCount };
        var repeats = new Option<int>("--repeats") { Description = "Timed calls per operation, after one warm-up; the median is printed.", HelpName = "R", DefaultValueFactory = _ => 5 };
        var dtype = ValueParsers.EnumOption<Dtype>("--dtype", "Element type: float64 (the default) or float32.");
        var json = new Option<bool>("--json") { Description = "Print one JSON array, one object per measurement: workload, batch, threads, op (compile|conv|tconv|wgrad), seconds, nnz (entries of the explicit V), form (structured|csr), isa (the kernel path, e.g. avx2+fma; null for csr), dtype, gflops (conv/tconv/wgrad: 2·output elements·(C_in/groups)·taps per second / 1e9) and peakFraction (gflops over the same path's peak loop of this run times the cores used)." };
        command.Add(workload);
        command.Add(batch);
        command.Add(threads);
        command.Add(repeats);
        command.Add(dtype);
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
            var run = new Run(c.Out, asJson, workloads, batches, threadCount, repeatCount, matrixForm);
            return (c.Get(dtype) ?? Dtype.Float64) == Dtype.Float32 ? run.Measure<float>() : run.Measure<double>();
        });
        return command;
    }

    /// <summary>The element types --dtype offers, by NumPy's names.</summary>
    private enum Dtype { Float64, Float32 }

    /// <summary>One bench run, in either element type: the peak loop of the best path once, then every measurement.</summary>
    private sealed record Run(TextWriter Out, bool AsJson, IReadOnlyList<Workload> Workloads, int[] Batches, int Threads, int Repeats, MatrixForm Form)
    {
        public int Measure<T>() where T : unmanaged, System.Numerics.INumberBase<T>
        {
            var peaks = new PeakRates();
            double peak = peaks.Of<T>(KernelPath.Best);
            var results = new List<Measurement>();
            if (!AsJson)
            {
                Out.WriteLine(FormattableString.Invariant($"path: {KernelPath.Best.Name} (peak {WorkloadTimer.DtypeName<T>()} {peak:F1} GFLOP/s on one thread)"));
                Out.WriteLine($"{"workload",-8} {"form",-10} {"dtype",-7} {"batch",5} {"threads",7} {"op",-7} {"path",-13} {"median s",12} {"GFLOP/s",8} {"of peak",7} {"nnz",12}");
            }
            // The batch sizes of a workload in turns (WorkloadTimer.RunBatches), so that they are compared over the same stretch of time.
            foreach (var w in Workloads)
                foreach (var m in WorkloadTimer.RunBatches<T>(w, Batches, Threads, Repeats, Form, peaks))
                {
                    results.Add(m);
                    if (!AsJson)
                        Out.WriteLine(FormattableString.Invariant(
                            $"{m.Workload,-8} {m.Form,-10} {m.Dtype,-7} {m.Batch,5} {m.Threads,7} {m.Op,-7} {m.Isa ?? "-",-13} {m.Seconds,12:G4} {m.Gflops?.ToString("F1", CultureInfo.InvariantCulture) ?? "-",8} {(m.PeakFraction is { } f ? (100 * f).ToString("F0", CultureInfo.InvariantCulture) + "%" : "-"),7} {m.Nnz,12}"));
                }
            if (AsJson) Out.WriteLine(JsonSerializer.Serialize(results, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return ExitCodes.Success;
        }
    }
}
