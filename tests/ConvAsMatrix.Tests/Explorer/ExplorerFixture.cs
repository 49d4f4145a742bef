using System.Diagnostics;
using ConvAsMatrix.Tests.Browser;

namespace ConvAsMatrix.Tests.Explorer;

/// <summary>
/// The explorer as a reader gets it: <c>dotnet publish</c> of src/ConvAsMatrix.Explorer (so a fresh clone needs nothing
/// more than the SDK), its <c>wwwroot</c> served from 127.0.0.1 by <see cref="StaticServer"/>, and one headless Chromium.
/// </summary>
public sealed class ExplorerFixture : IAsyncLifetime
{
    private string? directory;

    /// <summary>The published wwwroot.</summary>
    public string Site { get; private set; } = "";

    /// <summary>The server of <see cref="Site"/>.</summary>
    public StaticServer Server { get; private set; } = null!;

    /// <summary>The browser.</summary>
    public BrowserFixture Chromium { get; } = new();

    /// <summary>How long the publish took (it is most of this fixture's time).</summary>
    public TimeSpan PublishTime { get; private set; }

    public async Task InitializeAsync()
    {
        directory = Directory.CreateTempSubdirectory("convmat-explorer-").FullName;
        string project = Path.Combine(Repository.Root(), "src", "ConvAsMatrix.Explorer", "ConvAsMatrix.Explorer.csproj");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", project, "-c", "Release", "-o", directory, "-nologo", "-v", "q" }) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using (var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet publish"))
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"dotnet publish of the explorer failed ({process.ExitCode}):\n{await output}\n{await error}");
        }
        PublishTime = clock.Elapsed;
        Site = Path.Combine(directory, "wwwroot");
        Server = new StaticServer(Site);
        await Chromium.InitializeAsync();
    }

    /// <summary>The explorer's address with <paramref name="query"/> (no leading '?').</summary>
    public string Url(string query) => Server.BaseUrl + "index.html" + (query.Length == 0 ? "" : "?" + query);

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        Server?.Dispose();
        if (directory is not null) Directory.Delete(directory, recursive: true);
    }
}
