using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The columns every table of the suite carries: <c>Path</c>, the kernel path the structured V runs in this process
/// (<see cref="KernelPath.Best"/>, chosen by the DOTNET_Enable* knobs; a <see cref="PeakLoopBenchmark"/> row shows its
/// own path), and <c>GFLOP/s</c> from the median, for the convolution benchmarks (<see cref="WorkloadTimer.Flops"/> of
/// the row's workload and batch) and the peak loops (1.92 GFLOP per call).
/// </summary>
/// <remarks>The suite runs in-process (<see cref="BenchmarkConfig"/>), so this process's path is the benchmarks' path.</remarks>
public sealed class KernelPathColumn : IColumn
{
    private readonly bool rate;

    private KernelPathColumn(bool rate) => this.rate = rate;

    /// <summary>The Path column.</summary>
    public static KernelPathColumn Instance { get; } = new(rate: false);

    /// <summary>The GFLOP/s column.</summary>
    public static KernelPathColumn Rate { get; } = new(rate: true);

    public string Id => rate ? "GigaFlops" : "KernelPath";

    public string ColumnName => rate ? "GFLOP/s" : "Path";

    public bool AlwaysShow => true;

    public ColumnCategory Category => rate ? ColumnCategory.Custom : ColumnCategory.Job;

    public int PriorityInCategory => 0;

    public bool IsNumeric => rate;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => rate
        ? "Nominal GFLOP/s from the median: 2·output elements·(C_in/groups)·taps per call, or the peak loop's 1.92 GFLOP per call"
        : "The SIMD path of the structured V's kernels in this process (KernelPath.Best), or the peak loop's own path";

    /// <summary>Path: in every table but the peak loops', whose Path parameter says it already.</summary>
    public bool IsAvailable(Summary summary) =>
        rate || !summary.BenchmarksCases.Any(c => c.Parameters.Items.Any(p => p.Name == "Path"));

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var parameters = benchmarkCase.Parameters;
        if (!rate) return parameters.Items.Any(p => p.Name == "Path") ? (string)parameters["Path"] : KernelPath.Best.Name;
        if (summary[benchmarkCase]?.ResultStatistics is not { } stats) return "-";
        double seconds = stats.Median / 1e9;
        if (parameters.Items.Any(p => p.Name == "Path")) return (2.0 * PeakLoop.MultiplyAddsPerCall / seconds / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        if (!parameters.Items.Any(p => p.Name == "Workload") || !parameters.Items.Any(p => p.Name == "Batch")) return "-";
        var geometry = Workload.Named((string)parameters["Workload"]).Geometry((int)parameters["Batch"]);
        return (WorkloadTimer.Flops(geometry) / seconds / 1e9).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public override string ToString() => ColumnName;
}
