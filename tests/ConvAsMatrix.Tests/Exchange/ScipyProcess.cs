using System.Text.Json;

namespace ConvAsMatrix.Tests.Exchange;

/// <summary>
/// Runs a Python script under Debian's /usr/bin/python3 (with python3-scipy, which .ci/run installs) and parses
/// the JSON it prints. A missing interpreter or package FAILS the test, never skips it (<see cref="DebianTools"/>).
/// </summary>
internal static class ScipyProcess
{
    /// <summary>The JSON the script prints on stdout; <paramref name="what"/> says what it was doing, for the failure message.</summary>
    public static JsonElement Run(string script, string what, params string[] arguments)
    {
        var stdout = DebianTools.RunPython(script, $"python3-scipy (to {what})", arguments);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
