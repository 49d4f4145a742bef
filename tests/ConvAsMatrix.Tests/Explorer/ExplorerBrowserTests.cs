using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using ConvAsMatrix.Tests.Browser;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Explorer;

/// <summary>
/// The published explorer in headless Chromium, served from 127.0.0.1: it loads with no console error; for settings given
/// by URL it shows ConvGeometry's size of V and draws exactly the entries ConvolutionMatrix compiles (or the library's
/// message for invalid settings); a control changed through the DOM redraws V and rewrites the address; its screenshots
/// show something. The performance figures of docs/explorer.md are measured here and written to the test log.
/// </summary>
[Collection(ExplorerBrowserCollection.Name)]
public class ExplorerBrowserTests(ExplorerFixture explorer, ITestOutputHelper log) : IClassFixture<ExplorerFixture>
{
    private ChromiumSession Browser => explorer.Chromium.Browser;

    /// <summary>One setting given by URL and what the library says of it, computed here from ConvGeometry directly.</summary>
    public sealed record Case(string Query, Func<ConvGeometry> Geometry, string? Message = null);

    private static ConvGeometry Conv(int[] input, int[] weight, ConvOptions? options = null) => ConvGeometry.ForConv(input, weight, options);

    private static ConvGeometry Tconv(int[] input, int[] weight, ConvTransposeOptions? options = null) => ConvGeometry.ForConvTranspose(input, weight, options);

    /// <summary>27 settings: every option, both operations, both ranks, entries and spy plots, and invalid ones.</summary>
    public static readonly IReadOnlyList<Case> Cases =
    [
        new("", () => Conv([1, 1, 4, 4], [1, 1, 3, 3])),
        new("op=conv&input=5&kernel=3", () => Conv([1, 1, 5], [1, 1, 3])),
        new("op=conv&input=7&kernel=3&dilation=2", () => Conv([1, 1, 7], [1, 1, 3], new ConvOptions { Dilation = [2] })),
        new("op=conv&input=5,5&kernel=3,3&stride=2&padding=1", () => Conv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Stride = [2], Padding = 1 })),
        new("op=conv&input=5,5&kernel=3,3&padding=same", () => Conv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Padding = Padding.Same })),
        new("op=conv&input=5,4&kernel=2,2&stride=2,1&padding=valid", () => Conv([1, 1, 5, 4], [1, 1, 2, 2], new ConvOptions { Stride = [2, 1], Padding = Padding.Valid })),
        new("op=conv&input=4,5&kernel=3,3&stride=2&padding=1:2,2:1&cin=2&cout=2&mode=reflect", () => Conv([1, 2, 4, 5], [2, 2, 3, 3],
            new ConvOptions { Stride = [2], Padding = Padding.Asymmetric((1, 2), (2, 1)), PaddingMode = PaddingMode.Reflect })),
        new("op=conv&input=5,5&kernel=3,3&padding=1&mode=replicate", () => Conv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Replicate })),
        new("op=conv&input=4&kernel=3&padding=1&mode=circular", () => Conv([1, 1, 4], [1, 1, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular })),
        new("op=conv&input=3&kernel=2&groups=2&cin=4&cout=4", () => Conv([1, 4, 3], [4, 2, 2], new ConvOptions { Groups = 2 })),
        new("op=tconv&input=2,2&kernel=2,2", () => Tconv([1, 1, 2, 2], [1, 1, 2, 2])),
        new("op=tconv&input=3,3&kernel=2,2&stride=2&padding=1&output_padding=1", () => Tconv([1, 1, 3, 3], [1, 1, 2, 2],
            new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1] })),
        new("op=tconv&input=4&kernel=3&stride=2&padding=1&output_padding=1", () => Tconv([1, 1, 4], [1, 1, 3], new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1] })),
        new("op=tconv&input=3,3&kernel=3,3&stride=2&dilation=2&groups=2&cin=2&cout=4", () => Tconv([1, 2, 3, 3], [2, 2, 3, 3],
            new ConvTransposeOptions { Stride = [2], Dilation = [2], Groups = 2 })),
        new("op=conv&input=20,20&kernel=3,3&padding=1&cin=2&cout=2", () => Conv([1, 2, 20, 20], [2, 2, 3, 3], new ConvOptions { Padding = 1 })),
        new("op=tconv&input=12,12&kernel=4,4&stride=2&padding=1", () => Tconv([1, 1, 12, 12], [1, 1, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1 })),
        new("op=conv&input=34,34&kernel=3,3", () => Conv([1, 1, 34, 34], [1, 1, 3, 3])),
        // 81 taps, more than a 64-bit tap set holds: the spy plot's 128-bit sets (the proof "choosing λ"'s blur).
        new("op=conv&input=24,24&kernel=9,9&padding=4&mode=reflect", () => Conv([1, 1, 24, 24], [1, 1, 9, 9], new ConvOptions { Padding = 4, PaddingMode = PaddingMode.Reflect })),
        new("op=conv&input=10,10&kernel=3,3&padding=1&groups=2&cin=4&cout=2&mode=reflect", () => Conv([1, 4, 10, 10], [2, 2, 3, 3],
            new ConvOptions { Padding = 1, Groups = 2, PaddingMode = PaddingMode.Reflect })),
        new("op=tconv&input=6,6&kernel=3,3&stride=2&groups=3&cin=3&cout=6", () => Tconv([1, 3, 6, 6], [3, 2, 3, 3], new ConvTransposeOptions { Stride = [2], Groups = 3 })),
        // Invalid: the page shows the library's own message (the first five), or the parser's / the explorer's rule.
        new("op=conv&input=3,3&kernel=5,5", () => Conv([1, 1, 3, 3], [1, 1, 5, 5])),
        new("op=conv&input=5,5&kernel=3,3&stride=2&padding=same", () => Conv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Stride = [2], Padding = Padding.Same })),
        new("op=tconv&input=3,3&kernel=3,3&padding=same", () => Tconv([1, 1, 3, 3], [1, 1, 3, 3], new ConvTransposeOptions { Padding = Padding.Same })),
        new("op=conv&input=4,4&kernel=3,3&padding=4&mode=reflect", () => Conv([1, 1, 4, 4], [1, 1, 3, 3], new ConvOptions { Padding = 4, PaddingMode = PaddingMode.Reflect })),
        new("op=tconv&input=3&kernel=3&stride=2&output_padding=2", () => Tconv([1, 1, 3], [1, 1, 3], new ConvTransposeOptions { Stride = [2], OutputPadding = [2] })),
        new("op=conv&input=4,x&kernel=3", () => throw new InvalidOperationException(), "input '4,x' must be an integer >= 1 or a comma list of them"),
        new("op=conv&input=4&kernel=2&groups=2&cin=3&cout=2", () => throw new InvalidOperationException(), "in_channels=3 must be divisible by groups=2"),
        new("op=conv&input=4&kernel=2&output_padding=1", () => throw new InvalidOperationException(), "output_padding (1) is a parameter of conv_transpose, not of conv"),
    ];

    /// <summary>The library's message without the " (Parameter 'x')" .NET appends.</summary>
    private static string LibraryMessage(ArgumentException e) =>
        e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal);

    private const string Rendered =
        "new Promise((resolve, reject) => { const done = () => document.getElementById('summary') || document.getElementById('error'); " +
        "if (done()) return resolve(true); const o = new MutationObserver(() => { if (done()) { o.disconnect(); resolve(true); } }); " +
        "o.observe(document.documentElement, { childList: true, subtree: true }); setTimeout(() => { o.disconnect(); reject(new Error('nothing rendered in 60 s')); }, 60000); })";

    /// <summary>Loads the explorer at <paramref name="query"/>, waits for its first view, and returns every error the page caused.</summary>
    private async Task<IReadOnlyList<string>> OpenAsync(string query)
    {
        var errors = (await Browser.LoadAsync(explorer.Url(query))).ToList();
        await Browser.EvaluateAsync(Rendered);
        errors.AddRange(await Browser.ErrorsAsync());
        return errors.Distinct().ToList();
    }

    private async Task<string?> TextAsync(string id) =>
        (await Browser.EvaluateAsync($"(e => e ? e.textContent.trim() : null)(document.getElementById('{id}'))")).GetString();

    /// <summary>The entries drawn in the panel whose title starts with <paramref name="title"/>: cells with entries written, or a spy plot's list.</summary>
    private async Task<HashSet<string>> DrawnAsync(string title)
    {
        var drawn = await Browser.EvaluateAsync(
            $"(() => {{ const p = document.querySelector('#matrix svg g[data-panel^=\"{title} (\"]'); if (!p) return null; " +
            "if (p.dataset.entries !== undefined) return p.dataset.entries.length ? p.dataset.entries.split(';') : []; " +
            "return Array.from(p.querySelectorAll('g[data-entry]')).map(g => g.dataset.row + ',' + g.dataset.col + ',' + g.dataset.entry.replace(/ /g, '')); })()");
        Assert.True(drawn.ValueKind == JsonValueKind.Array, $"no panel {title} drawn");
        return drawn.EnumerateArray().Select(e => e.GetString()!).ToHashSet();
    }

    /// <summary>V compiled by the library over the weight's symbols (k₀₀… for one kernel, a₀₀, b₀₀… for several), as "row,column,symbols".</summary>
    private static (HashSet<string> V, HashSet<string> Transposed) Expected(ConvGeometry g)
    {
        int pairs = g.OutChannels * (g.InChannels / g.Groups);
        var kernel = g.KernelSize.ToArray();
        var symbols = pairs == 1 ? Symbolic.Kernel("k", kernel) : Symbolic.Kernels(pairs, kernel);
        var entries = ConvolutionMatrix<Symbolic>.Compile(symbols, g).EnumerateNonZeros().ToList();
        return (entries.Select(e => $"{e.Row},{e.Column},{string.Join('+', e.Value.Symbols)}").ToHashSet(),
                entries.Select(e => $"{e.Column},{e.Row},{string.Join('+', e.Value.Symbols)}").ToHashSet());
    }

    private async Task AssertShowsAsync(ConvGeometry g, string context)
    {
        Assert.Null(await TextAsync("error"));
        Assert.Equal($"V is {g.OutputLength}×{g.InputLength} with {g.NonZeroCount} stored entries", await TextAsync("summary"));
        var (v, vt) = Expected(g);
        Assert.Equal(g.NonZeroCount, v.Count);
        var drawn = await DrawnAsync("V");
        Assert.True(v.SetEquals(drawn), $"{context}: V drawn differs from ConvolutionMatrix: {drawn.Count} drawn, {v.Count} compiled, e.g. {drawn.Except(v).Concat(v.Except(drawn)).FirstOrDefault()}");
        // Vᵀ: its cells, or in a spy plot V's dots reflected: a use of V's dots under a transform that swaps the axes.
        var reflected = await Browser.EvaluateAsync(
            "(() => { const t = document.querySelector('#matrix svg g[data-panel^=\"Vᵀ (\"]'); if (!t || t.dataset.transposes === undefined) return null; " +
            "const u = t.querySelector('use'); const v = document.querySelector('#matrix svg g[data-panel^=\"V (\"]'); " +
            "const dots = document.getElementById(u.getAttribute('href').slice(1)); " +
            "return [t.dataset.transposes === v.dataset.panel, v.contains(dots), u.getAttribute('transform')]; })()");
        if (reflected.ValueKind == JsonValueKind.Array)
        {
            var r = reflected.EnumerateArray().ToArray();
            Assert.True(r[0].GetBoolean() && r[1].GetBoolean(), $"{context}: Vᵀ does not reflect V's dots");
            Assert.Matches(@"^matrix\(0 ([0-9.]+) \1 0 ", r[2].GetString()!);
        }
        else Assert.True(vt.SetEquals(await DrawnAsync("Vᵀ")), $"{context}: Vᵀ drawn is not the transpose of V");
        Assert.Equal("true", (await Browser.EvaluateAsync("document.getElementById('check').dataset.agree")).GetString());
    }

    [Fact]
    public async Task EverySettingByUrlShowsTheLibrarysSizeAndEntriesOfVOrItsMessage()
    {
        Assert.True(Cases.Count >= 20);
        int invalid = 0;
        foreach (var c in Cases)
        {
            var errors = await OpenAsync(c.Query);
            Assert.True(errors.Count == 0, $"?{c.Query}: {string.Join("; ", errors)}");
            ConvGeometry? geometry = null;
            string? message = c.Message;
            if (message is null)
            {
                try { geometry = c.Geometry(); }
                catch (ArgumentException e) { message = LibraryMessage(e); }
            }
            if (geometry is not null) await AssertShowsAsync(geometry, "?" + c.Query);
            else
            {
                invalid++;
                Assert.Null(await TextAsync("summary"));
                Assert.Equal(message, await TextAsync("error"));
            }
        }
        Assert.InRange(invalid, 5, Cases.Count - 15);
    }

    /// <summary>Sets a control as a reader would (its value, then the event Blazor listens to) and returns the milliseconds until the page has redrawn and laid out.</summary>
    private async Task<double> ChangeAsync(string id, string value, string eventName)
    {
        var ms = await Browser.EvaluateAsync(
            "(async () => { const root = document.getElementById('explorer'); const before = root.dataset.query; " +
            $"const el = document.getElementById('{id}'); const t0 = performance.now(); el.value = {JsonSerializer.Serialize(value)}; " +
            $"el.dispatchEvent(new Event('{eventName}', {{ bubbles: true }})); " +
            "await new Promise((resolve, reject) => { if (root.dataset.query !== before) return resolve(); " +
            "const o = new MutationObserver(() => { if (root.dataset.query !== before) { o.disconnect(); resolve(); } }); " +
            "o.observe(root, { attributes: true }); setTimeout(() => reject(new Error('no redraw in 30 s')), 30000); }); " +
            "void document.body.offsetHeight; return performance.now() - t0; })()");
        return ms.GetDouble();
    }

    [Fact]
    public async Task ChangingAControlRedrawsVAndRewritesTheAddress()
    {
        Assert.Empty(await OpenAsync("op=conv&input=5,5&kernel=3,3"));
        await ChangeAsync("stride", "2", "input");
        Assert.Equal("?op=conv&input=5,5&kernel=3,3&stride=2", (await Browser.EvaluateAsync("location.search")).GetString());
        await AssertShowsAsync(Conv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Stride = [2] }), "stride 2");

        await ChangeAsync("op", "tconv", "change");
        Assert.Equal("?op=tconv&input=5,5&kernel=3,3&stride=2", (await Browser.EvaluateAsync("location.search")).GetString());
        await AssertShowsAsync(Tconv([1, 1, 5, 5], [1, 1, 3, 3], new ConvTransposeOptions { Stride = [2] }), "tconv");

        await ChangeAsync("padkind", "asymmetric", "change");
        await ChangeAsync("padding", "0:1,1:0", "input");
        await ChangeAsync("mode", "circular", "change");
        Assert.Equal("?op=tconv&input=5,5&kernel=3,3&stride=2&padding=0:1,1:0&mode=circular", (await Browser.EvaluateAsync("location.search")).GetString());
        await AssertShowsAsync(Tconv([1, 1, 5, 5], [1, 1, 3, 3], new ConvTransposeOptions
        {
            Stride = [2], Padding = Padding.Asymmetric((0, 1), (1, 0)), PaddingMode = PaddingMode.Circular,
        }), "asymmetric circular");

        // An invalid value shows the library's message in place, and a valid one brings V back.
        await ChangeAsync("output_padding", "3", "input");
        var e = Assert.Throws<ArgumentException>(() => Tconv([1, 1, 5, 5], [1, 1, 3, 3], new ConvTransposeOptions
        {
            Stride = [2], Padding = Padding.Asymmetric((0, 1), (1, 0)), PaddingMode = PaddingMode.Circular, OutputPadding = [3],
        }));
        Assert.Equal(LibraryMessage(e), await TextAsync("error"));
        Assert.Null(await TextAsync("summary"));
        await ChangeAsync("rank", "1", "change");
        Assert.Equal("?op=tconv&input=5&kernel=3&stride=2&padding=0:1&mode=circular&output_padding=3", (await Browser.EvaluateAsync("location.search")).GetString());
        await ChangeAsync("output_padding", "1", "input");
        await AssertShowsAsync(Tconv([1, 1, 5], [1, 1, 3], new ConvTransposeOptions
        {
            Stride = [2], Padding = Padding.Asymmetric((0, 1)), PaddingMode = PaddingMode.Circular, OutputPadding = [1],
        }), "rank 1");
        Assert.Empty(await Browser.ErrorsAsync());
    }

    [Fact]
    public async Task EveryExampleLinkIsADrawableSettingAndFollowingOneShowsIt()
    {
        Assert.Empty(await OpenAsync(""));
        var links = (await Browser.EvaluateAsync("Array.from(document.querySelectorAll('.presets a')).map(a => a.getAttribute('href'))"))
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.True(links.Count >= 8, $"{links.Count} examples");
        foreach (var link in links)
        {
            Assert.StartsWith("index.html?", link);
            var query = ExplorerQuery.Parse(link["index.html?".Length..]);
            Assert.Equal(link["index.html?".Length..], query.ToQuery());
            Assert.InRange(query.Geometry().NonZeroCount, 1, 50_000);
        }
        // A reader's click: the page reloads at the example and draws it (polled from here: the click replaces the document).
        var first = ExplorerQuery.Parse(links[0]["index.html?".Length..]);
        await Browser.EvaluateAsync("document.querySelector('.presets a').click()");
        string drawn = $"location.search === {JsonSerializer.Serialize("?" + first.ToQuery())} && !!document.getElementById('summary') && " +
                       "performance.getEntriesByName('explorer-rendered').length > 0";
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await Browser.EvaluateAsync(drawn)).ValueKind == JsonValueKind.True) break;
            }
            catch (InvalidOperationException) { } // the old document went away mid-question
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the example was not drawn within 60 s");
            await Task.Delay(50);
        }
        await AssertShowsAsync(first.Geometry(), links[0]);
        Assert.Equal("?" + first.ToQuery(), (await Browser.EvaluateAsync("location.search")).GetString());
        Assert.Empty(await Browser.ErrorsAsync());
    }

    [Fact]
    public async Task ThreeStatesPhotographedShowSomethingAndOneIsTheReadmes()
    {
        string[] states = ["op=tconv&input=2,2&kernel=2,2&stride=2", "op=conv&input=5,5&kernel=3,3&stride=2&padding=1&mode=reflect", "op=conv&input=20,20&kernel=3,3&padding=1&cin=2&cout=2"];
        byte[]? readme = null;
        foreach (var state in states)
        {
            Assert.Empty(await OpenAsync(state));
            var png = await Browser.ScreenshotAsync();
            var shot = PngPixels.Measure(png);
            Assert.True(shot.ShowsSomething, $"?{state} looks blank: {shot}");
            var figure = await Browser.EvaluateAsync("(r => [r.left + scrollX, r.top + scrollY, r.width, r.height])(document.querySelector('#matrix svg').getBoundingClientRect())");
            var b = figure.EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.True(PngPixels.Measure(await Browser.ScreenshotAsync((b[0], b[1], b[2], b[3]))).ShowsSomething, $"?{state}: V's figure looks blank");
            log.WriteLine($"?{state}: {shot}");
            readme ??= png;
        }
        // Committed for the README; rewritten on every run (fonts differ between machines, which is fine).
        var target = Path.Combine(Repository.Root(), "docs", "img", "explorer.png");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        AtomicFile.Write(target, s => s.Write(readme!));
    }

    [Fact]
    public async Task FirstLoadTransfersAtMostSixMegabytesAndItsTimesAreLogged()
    {
        await Browser.SendAsync("Network.enable");
        await Browser.SendAsync("Network.setCacheDisabled", new JsonObject { ["cacheDisabled"] = true });
        try
        {
            var firstRenders = new List<double>();
            long transferred = 0;
            string encodings = "";
            for (int run = 0; run < 3; run++)
            {
                explorer.Server.ResetCount();
                Assert.Empty(await OpenAsync("op=tconv&input=3,3&kernel=2,2&stride=2&padding=1&output_padding=1"));
                firstRenders.Add((await Browser.EvaluateAsync("performance.getEntriesByName('explorer-rendered')[0].startTime")).GetDouble());
                var sent = explorer.Server.Sent;
                Assert.DoesNotContain(sent, s => s.Bytes == 0);
                transferred = sent.Sum(s => s.Bytes);
                encodings = string.Join(", ", sent.GroupBy(s => s.Encoding.Length == 0 ? "identity" : s.Encoding).Select(g => $"{g.Count()} {g.Key}"));
            }
            log.WriteLine($"first load: {transferred} bytes in responses ({encodings}); first render {string.Join(", ", firstRenders.Select(t => $"{t:F0}"))} ms after navigation");
            Assert.True(transferred <= 6_000_000, $"the first load transfers {transferred} bytes");
        }
        finally
        {
            await Browser.SendAsync("Network.setCacheDisabled", new JsonObject { ["cacheDisabled"] = false });
        }
    }

    /// <summary>
    /// A control changed <paramref name="times"/> times; the first change, then the median and maximum of the last ten: the
    /// browser's interpreter compiles hot paths into WebAssembly as it goes (the jiterpreter), so the first redraws of a
    /// page are slower than those of a page a reader keeps open.
    /// </summary>
    private async Task<string> TimeAsync(string id, string[] values, string eventName, int times = 14)
    {
        var all = new List<double>();
        for (int i = 0; i < times; i++) all.Add(await ChangeAsync(id, values[i % values.Length], eventName));
        var warm = all.Skip(times - 10).Order().ToList();
        return $"first {all[0]:F0} ms, then median {warm[warm.Count / 2]:F0} ms, max {warm[^1]:F0} ms";
    }

    [Fact]
    public async Task RedrawTimesAreLogged()
    {
        // The floor: a change whose view is only a message (nothing computed, nothing drawn) measures the event and the render.
        Assert.Empty(await OpenAsync("op=conv&input=4,4&kernel=0"));
        log.WriteLine($"a message only: {await TimeAsync("kernel", ["x", "0"], "input")}");
        foreach (var (query, g) in new (string, ConvGeometry)[]
        {
            ("op=conv&input=4,4&kernel=3,3", Conv([1, 1, 4, 4], [1, 1, 3, 3])),
            ("op=conv&input=5,5&kernel=2,2&padding=1", Conv([1, 1, 5, 5], [1, 1, 2, 2], new ConvOptions { Padding = 1 })),
            ("op=conv&input=33,33&kernel=3,3&padding=1", Conv([1, 1, 33, 33], [1, 1, 3, 3], new ConvOptions { Padding = 1 })),
        })
        {
            Assert.Empty(await OpenAsync(query));
            string times = await TimeAsync("mode", ["circular", "zeros"], "change");
            string phases = (await Browser.EvaluateAsync("document.getElementById('explorer').dataset.phases")).GetString()!;
            log.WriteLine($"?{query}: V {g.OutputLength}×{g.InputLength}, {g.NonZeroCount} entries (circular: more); redraw {times}; the last computation, cumulative ms: {phases}");
            Assert.Empty(await Browser.ErrorsAsync());
        }
    }
}

/// <summary>
/// The explorer's browser tests run alone, after the parallel tests: the WebAssembly interpreter's first load and its
/// redraw times are what a reader's browser sees, not what is left of two cores shared with the FsCheck properties (in
/// the full suite, a first load under that load once took more than the DevTools session's 60 s).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExplorerBrowserCollection
{
    public const string Name = "explorer in the browser, alone";
}
