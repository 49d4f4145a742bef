using ConvAsMatrix.Tests.Browser;
using System.Diagnostics;
using ConvAsMatrix.Proofs;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Proofs.Site;

/// <summary>
/// The site in a real browser (headless Chromium over the DevTools protocol, one launch for the class): every page
/// loads from the file system with no console error, lays out within a laptop-width window, and renders something;
/// the README's screenshot is taken here.
/// </summary>
[Collection(SiteCollection.Name)]
public class SiteBrowserTests(SiteFixture site, BrowserFixture chromium, ITestOutputHelper log) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task TheErrorCheckSeesAMissingStylesheetImageAndScriptError()
    {
        // The control: if this page passed, "no console errors" below would prove nothing.
        var dir = Directory.CreateTempSubdirectory("convmat-broken-").FullName;
        try
        {
            var page = Path.Combine(dir, "broken.html");
            File.WriteAllText(page, "<!DOCTYPE html><html><head><link rel=\"stylesheet\" href=\"missing.css\"></head>" +
                                    "<body><img src=\"missing.png\" alt=\"\"><script>console.error('boom')</script></body></html>");
            var errors = await chromium.Browser.LoadAsync(new Uri(page).AbsoluteUri);
            Assert.Contains(errors, e => e.Contains("missing.css"));
            Assert.Contains(errors, e => e.Contains("missing.png"));
            Assert.Contains(errors, e => e.Contains("boom"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task EveryPageLoadsWithoutErrorsFitsTheWindowAndNeitherItNorAFigureIsBlank()
    {
        var pages = site.Pages.ToList();
        Assert.Equal(ProofCatalog.All.Count + 1, pages.Count);
        foreach (var page in pages)
        {
            string name = Path.GetFileName(page);
            var clock = Stopwatch.StartNew();
            var errors = await chromium.Browser.LoadAsync(new Uri(page).AbsoluteUri);
            var loaded = clock.Elapsed;
            Assert.True(errors.Count == 0, $"{name}: {string.Join("; ", errors)}");
            Assert.True((await chromium.Browser.EvaluateAsync("getComputedStyle(document.querySelector('main')).maxWidth !== 'none'")).GetBoolean(),
                $"{name}: style.css not applied");
            int overflow = (await chromium.Browser.EvaluateAsync("document.documentElement.scrollWidth - window.innerWidth")).GetInt32();
            Assert.True(overflow <= 0, $"{name} is {overflow}px wider than the {BrowserFixture.Width}px window");
            int flat = (await chromium.Browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('figure svg')).filter(s => s.getBoundingClientRect().width < 200 || s.getBoundingClientRect().height < 60).length")).GetInt32();
            Assert.True(flat == 0, $"{name}: {flat} figures rendered smaller than 200×60");
            var png = await chromium.Browser.ScreenshotAsync();
            var photographed = clock.Elapsed;
            var shot = PngPixels.Measure(png);
            Assert.True(shot.ShowsSomething, $"{name} looks blank: {shot}");
            // Each figure photographed on its own: an SVG that failed to render would be a white box.
            var boxes = await chromium.Browser.EvaluateAsync(
                "Array.from(document.querySelectorAll('figure svg')).map(s => { const r = s.getBoundingClientRect(); " +
                "return [r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]; })");
            int figures = 0;
            foreach (var box in boxes.EnumerateArray())
            {
                var b = box.EnumerateArray().Select(v => v.GetDouble()).ToArray();
                var figure = PngPixels.Measure(await chromium.Browser.ScreenshotAsync((b[0], b[1], b[2], b[3])));
                Assert.True(figure.ShowsSomething, $"{name} figure {++figures} looks blank: {figure}");
            }
            log.WriteLine($"{name}: loaded {loaded.TotalMilliseconds:F0} ms, screenshot {(photographed - loaded).TotalMilliseconds:F0} ms, " +
                          $"{boxes.GetArrayLength()} figures {(clock.Elapsed - photographed).TotalMilliseconds:F0} ms; {shot}");
        }
    }

    [Fact]
    public async Task TheReadmeScreenshotIsTheFirstProofDownToItsFigure()
    {
        var page = Path.Combine(site.Directory, "transposed-convolution-scatters.html");
        Assert.Empty(await chromium.Browser.LoadAsync(new Uri(page).AbsoluteUri));
        double bottom = (await chromium.Browser.EvaluateAsync(
            "document.getElementById('figure-1').getBoundingClientRect().bottom + window.scrollY")).GetDouble();
        var png = await chromium.Browser.ScreenshotAsync((0, 0, BrowserFixture.Width, Math.Ceiling(bottom + 24)));
        var shot = PngPixels.Measure(png);
        Assert.True(shot.ShowsSomething, $"the screenshot looks blank: {shot}");
        Assert.Equal(BrowserFixture.Width, shot.Width);
        // Committed for the README; rewritten on every run (its bytes may differ between machines' fonts, which is fine).
        var target = Path.Combine(Repository.Root(), "docs", "img", "proof-site.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.Write(target, s => s.Write(png));
    }
}
