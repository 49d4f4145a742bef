using System.Text.Json;
using ConvAsMatrix.Cli;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>Runs convmat in-process through <see cref="ConvAsMatrix.Cli.Cli.Run"/>, in a fresh temporary directory per test.</summary>
public sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("convmat-tests-").FullName;
    }

    /// <summary>The temporary directory output files go to; deleted with the harness.</summary>
    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = ConvAsMatrix.Cli.Cli.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Files in the directory, temporary ones included: a failed command must leave none behind.</summary>
    public string[] Files() => System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName).ToArray()!;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    /// <summary>tests/cli-fixtures, found from the test binaries upwards (CI never regenerates it).</summary>
    public static string Fixtures { get; } = FindFixtures();

    public static string Fixture(string name) => Path.Combine(Fixtures, name);

    private static string FindFixtures()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = Path.Combine(d.FullName, "tests", "cli-fixtures");
            if (File.Exists(Path.Combine(candidate, "cases.json"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/cli-fixtures/cases.json not found above " + AppContext.BaseDirectory);
    }

    public static JsonElement Manifest { get; } = JsonDocument.Parse(File.ReadAllText(Fixture("cases.json"))).RootElement;

    /// <summary>Asserts an error outcome: exit code 2, exactly one line on stderr containing <paramref name="mentions"/>, no stack trace, nothing on stdout.</summary>
    public static void AssertBadInput((int Code, string Out, string Err) result, params string[] mentions)
    {
        Assert.True(result.Code == ExitCodes.BadInput, $"exit {result.Code}, stderr: {result.Err}");
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.DoesNotContain("   at ", result.Err);
        Assert.DoesNotContain("Exception", result.Err);
        Assert.Equal("", result.Out);
        foreach (var m in mentions) Assert.Contains(m, lines[0]);
    }
}
