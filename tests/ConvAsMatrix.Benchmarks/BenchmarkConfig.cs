using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// One short job for the whole suite so it runs in minutes on 2 cores: in-process (no per-benchmark build),
/// one warm-up, five measured iterations of at least 250 ms. Operations here take 1 ms to seconds, so the
/// median of five is stable to a few percent on a quiet machine. Allocations are measured for the
/// compile-memory target; results also go to JSON for tests/ConvAsMatrix.Benchmarks/make_table.py.
/// </summary>
public class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
        : this(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"))
    {
    }

    /// <summary>The workloads to run: CONVMAT_BENCH_WORKLOADS (comma list, e.g. <c>W1,W3</c>) or all of them.</summary>
    public static IEnumerable<string> Workloads => Listed("CONVMAT_BENCH_WORKLOADS") ?? Workload.All.Select(w => w.Name);

    /// <summary>The comma list in environment variable <paramref name="name"/>, or null when it is not set.</summary>
    public static string[]? Listed(string name) =>
        Environment.GetEnvironmentVariable(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    protected BenchmarkConfig(Job job)
    {
        // CONVMAT_BENCH_SMOKE=1: one call per benchmark, to check the suite end to end in a few minutes (numbers meaningless).
        if (Environment.GetEnvironmentVariable("CONVMAT_BENCH_SMOKE") == "1") job = Job.Dry.WithId(job.Id);
        AddJob(job.WithToolchain(InProcessEmitToolchain.Instance));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(JsonExporter.Full);
        AddExporter(MarkdownExporter.GitHub);
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddColumn(KernelPathColumn.Instance, KernelPathColumn.Rate);
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}

/// <summary>For operations of seconds or more: no pilot, no warm-up beyond the first (jitting) call, three calls measured.</summary>
public sealed class SlowBenchmarkConfig() : BenchmarkConfig(Job.Default
    .WithStrategy(BenchmarkDotNet.Engines.RunStrategy.Monitoring)
    .WithLaunchCount(1)
    .WithWarmupCount(0)
    .WithIterationCount(3)
    .WithId("Slow"));
