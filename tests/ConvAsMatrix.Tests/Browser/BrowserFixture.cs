namespace ConvAsMatrix.Tests.Browser;

/// <summary>One headless Chromium for all the browser tests of a class. Chromium missing is a failure, not a skip.</summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>The viewport: a laptop-width window.</summary>
    public const int Width = 1100, Height = 900;

    private ChromiumSession? browser;

    /// <summary>The running browser.</summary>
    public ChromiumSession Browser => browser ?? throw new InvalidOperationException("the browser did not start");

    public async Task InitializeAsync()
    {
        string executable = ChromiumSession.FindExecutable()
            ?? throw new InvalidOperationException("Chromium not found (looked for $CHROMIUM, chromium, chromium-browser, google-chrome on PATH): " +
                                                   "the site's browser tests need it; install Debian's chromium (.ci/run does)");
        browser = await ChromiumSession.StartAsync(executable, Width, Height);
    }

    public async Task DisposeAsync()
    {
        if (browser is not null) await browser.DisposeAsync();
    }
}
