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
public sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(5)
            .WithIterationTime(TimeInterval.FromMilliseconds(250))
            .WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddExporter(JsonExporter.Full);
        AddExporter(MarkdownExporter.GitHub);
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddLogger(DefaultConfig.Instance.GetLoggers().ToArray());
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
