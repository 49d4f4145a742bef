using System.Diagnostics;

namespace ConvAsMatrix.Tests.Exchange;

/// <summary>
/// Runs Debian's own tools (/usr/bin/python3 with SciPy or petsc4py, mpiexec) the way the interop tests need:
/// arguments passed as a list, stdout returned, and a missing tool or a failing run is a test FAILURE naming the
/// Debian package to install (.ci/run installs them), never a skip.
/// </summary>
internal static class DebianTools
{
    public const string Python = "/usr/bin/python3";

    /// <summary>PETSc's directory for petsc4py from Debian's python3-petsc4py (the 'real' build).</summary>
    public const string PetscDir = "/usr/lib/petscdir/petsc3.18/x86_64-linux-gnu-real";

    /// <summary>Runs <c>/usr/bin/python3 -c script args…</c>; <paramref name="package"/> names what to install if it fails.</summary>
    public static string RunPython(string script, string package, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's {package} (.ci/run does) — this test must not be skipped");
        return Run(Python, ["-c", script, .. args], package, environment);
    }

    /// <summary>Runs a program to completion within <paramref name="timeout"/> and returns its stdout; a non-zero exit fails the test with its stderr.</summary>
    public static string Run(string fileName, IReadOnlyList<string> args, string package, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) start.Environment[k] = v;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Assert.Fail($"{fileName} could not be started ({e.Message}): install Debian's {package} (.ci/run does) — this test must not be skipped");
            throw;
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"{fileName} {string.Join(" ", args.Where(a => !a.Contains('\n')))} did not finish within {timeout ?? TimeSpan.FromMinutes(2)}");
            }
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{fileName} failed with exit code {process.ExitCode} (is Debian's {package} installed?): {stderr.Result}");
            return stdout.Result;
        }
    }
}
