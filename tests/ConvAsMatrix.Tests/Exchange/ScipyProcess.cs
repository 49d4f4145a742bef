using System.Diagnostics;
using System.Text.Json;

namespace ConvAsMatrix.Tests.Exchange;

/// <summary>
/// Runs a Python script under Debian's /usr/bin/python3 (with python3-scipy, which .ci/run installs) and parses
/// the JSON it prints. A missing interpreter or package FAILS the test, never skips it.
/// </summary>
internal static class ScipyProcess
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The JSON the script prints on stdout; <paramref name="what"/> says what it was doing, for the failure message.</summary>
    public static JsonElement Run(string script, string what, params string[] arguments)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-scipy (.ci/run does) — this test must not be skipped");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Python} could not {what} (is python3-scipy installed?): {stderr}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
