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
        Assert.Equal(6, array.GetArrayLength());
        long nnz = Workload.Tiny.Geometry(1).NonZeroCount;
        var seen = new List<(int, string)>();
        foreach (var m in array.EnumerateArray())
        {
            Assert.Equal(["workload", "batch", "threads", "op", "seconds", "nnz", "form"], m.EnumerateObject().Select(p => p.Name));
            Assert.Equal("tiny", m.GetProperty("workload").GetString());
            Assert.Equal("structured", m.GetProperty("form").GetString());
            Assert.Equal(1, m.GetProperty("threads").GetInt32());
            Assert.True(m.GetProperty("seconds").GetDouble() > 0);
            Assert.Equal(nnz, m.GetProperty("nnz").GetInt64());
            seen.Add((m.GetProperty("batch").GetInt32(), m.GetProperty("op").GetString()!));
        }
        Assert.Equal([(1, "compile"), (1, "conv"), (1, "tconv"), (3, "compile"), (3, "conv"), (3, "tconv")], seen);
        Assert.Equal(Environment.ProcessorCount, Parallelism.MaxDegreeOfParallelism);
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
    }

    [Fact]
    public void TextPrintsAHeaderAndOneLinePerMeasurement()
    {
        using var cli = new CliHarness();
        var (code, output, _) = cli.Run("bench", "--workload", "TINY", "--batch", "2", "--repeats", "1");
        Assert.Equal(0, code);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("workload", lines[0]);
        Assert.All(lines.Skip(1), l => Assert.StartsWith("tiny", l));
    }

    [Theory]
    [InlineData("--workload", "W9", "W9")]
    [InlineData("--threads", "0", "--threads")]
    [InlineData("--repeats", "0", "--repeats")]
    [InlineData("--batch", "0", "--batch")]
    [InlineData("--form", "dense", "--form")]
    public void BadInputIsOneLineAndExitCode2(string option, string value, string mention)
    {
        using var cli = new CliHarness();
        CliHarness.AssertBadInput(cli.Run("bench", option, value), mention);
    }
}
