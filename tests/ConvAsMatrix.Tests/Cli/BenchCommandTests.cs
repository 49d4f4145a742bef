using System.Text.Json;
using ConvAsMatrix.Benchmarks;
using ConvAsMatrix.Tests.Performance;

namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat bench</c> on the smoke-test workload: the JSON contract and bad input.</summary>
[Collection(nameof(ParallelismSetting))]
public class BenchCommandTests
{
    [Fact]
    public void JsonIsOneArrayWithOneObjectPerWorkloadBatchAndOperation()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("bench", "--workload", "tiny", "--batch", "1,3", "--threads", "1", "--repeats", "1", "--json");
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        var array = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Array, array.ValueKind);
        Assert.Equal(8, array.GetArrayLength());
        long nnz = Workload.Tiny.Geometry(1).NonZeroCount;
        var seen = new List<(int, string)>();
        foreach (var m in array.EnumerateArray())
        {
            Assert.Equal(["workload", "batch", "threads", "op", "seconds", "nnz", "form", "isa", "dtype", "gflops", "peakFraction"], m.EnumerateObject().Select(p => p.Name));
            Assert.Equal("tiny", m.GetProperty("workload").GetString());
            Assert.Equal("structured", m.GetProperty("form").GetString());
            Assert.Equal(KernelPath.Best.Name, m.GetProperty("isa").GetString());
            Assert.Equal("float64", m.GetProperty("dtype").GetString());
            Assert.Equal(1, m.GetProperty("threads").GetInt32());
            Assert.True(m.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(nnz, m.GetProperty("nnz").GetInt64());
            seen.Add((m.GetProperty("batch").GetInt32(), m.GetProperty("op").GetString()!));
        }
        Assert.Equal([(1, "compile"), (1, "conv"), (1, "tconv"), (1, "wgrad"), (3, "compile"), (3, "conv"), (3, "tconv"), (3, "wgrad")], seen);
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxDegreeOfParallelism);
    }

    [Theory]
    [InlineData("float64")]
    [InlineData("float32")]
    public void DtypeRoundTripsAndProductsCarryGflopsAndTheirShareOfThePathsPeak(string dtype)
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("bench", "--workload", "tiny", "--batch", "2", "--threads", "1", "--repeats", "1", "--dtype", dtype, "--json");
        Assert.True(code == 0, error);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("op").GetString()!);
        Assert.Equal(["compile", "conv", "tconv", "wgrad"], rows.Keys);
        Assert.All(rows.Values, m => Assert.Equal(dtype, m.GetProperty("dtype").GetString()));
        Assert.All(rows.Values, m => Assert.Equal(KernelPath.Best.Name, m.GetProperty("isa").GetString()));
        Assert.Equal(JsonValueKind.Null, rows["compile"].GetProperty("gflops").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows["compile"].GetProperty("peakFraction").ValueKind);
        // flops = 2 · output elements · (C_in/groups) · taps: tiny is 2 samples × 2·16·16 outputs × 2 channels × 9 taps.
        double flops = 2.0 * (2 * 2 * 16 * 16) * 2 * 9;
        Assert.Equal(flops, WorkloadTimer.Flops(Workload.Tiny.Geometry(2)));
        foreach (var op in new[] { "conv", "tconv", "wgrad" })
        {
            var m = rows[op];
            double seconds = m.GetProperty("seconds").GetDouble(), gflops = m.GetProperty("gflops").GetDouble();
            Assert.Equal(flops / seconds / 1e9, gflops, 1e-9 * gflops);
            double fraction = m.GetProperty("peakFraction").GetDouble();
            // The peak loop bounds every kernel of the same path; a tiny product is far below it.
            Assert.InRange(fraction, 1e-6, 1.0);
        }
    }

    [Fact]
    public void TextNamesThePathAndItsPeak()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("bench", "--workload", "tiny", "--batch", "1", "--threads", "1", "--repeats", "1", "--dtype", "float32");
        Assert.True(code == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^path: " + System.Text.RegularExpressions.Regex.Escape(KernelPath.Best.Name) + @" \(peak float32 \d+\.\d GFLOP/s on one thread\)", lines[0]);
        Assert.All(lines.Skip(2), l => Assert.Contains($" float32 ", l));
        Assert.All(lines.Skip(2), l => Assert.Contains($" {KernelPath.Best.Name} ", l));
    }

    [Fact]
    public void FormCsrMeasuresTheExplicitV()
    {
        using var cli = new CliHarness();
        var (code, output, error) = cli.Run("bench", "--workload", "tiny", "--batch", "2", "--threads", "1", "--repeats", "1", "--form", "csr", "--json");
        Assert.True(code == 0, error);
        var array = JsonDocument.Parse(output).RootElement;
        Assert.Equal(3, array.GetArrayLength());
        Assert.All(array.EnumerateArray(), m => Assert.Equal("csr", m.GetProperty("form").GetString()));
        // The explicit V's kernels are Vector<T> ones, not a KernelPath: no path, no peak fraction, but GFLOP/s.
        Assert.All(array.EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("isa").ValueKind));
        Assert.All(array.EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("peakFraction").ValueKind));
        Assert.True(array[1].GetProperty("gflops").GetDouble() > 0);
    }

    [Fact]
    public void TextPrintsAHeaderAndOneLinePerMeasurement()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("bench", "--workload", "TINY", "--batch", "2", "--repeats", "1");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.StartsWith("path: ", lines[0]);
        Assert.StartsWith("workload", lines[1]);
        Assert.All(lines.Skip(2), l => Assert.StartsWith("tiny", l));
    }

    [Theory]
    [InlineData("--workload", "W9", "W9")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--repeats", "0", "--repeats")]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--form", "dense", "--form")]
    [InlineData("--dtype", "float16", "--dtype")]
    [InlineData("--dtype", "double", "float64, float32")]
    public void BadInputIsOneLineAndExitCode2(string option, string value, string mention)
    {
        using var cli = new CliHarness();
        CliHarness.AssertBadInput(cli.Run("bench", option, value), mention);
    }
}
