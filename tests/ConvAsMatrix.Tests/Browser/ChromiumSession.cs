using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ConvAsMatrix.Tests.Browser;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (a WebSocket speaking JSON): one browser for many pages,
/// which it loads, asks for their console errors, and photographs. No driver package: the protocol is a few messages.
/// </summary>
/// <remarks>
/// Why the DevTools protocol rather than <c>--enable-logging=stderr</c> or one <c>--screenshot</c> launch per page:
/// the protocol reports each page's own errors as structured events (uncaught exceptions, console.error, and the
/// browser's log, where a missing stylesheet, image or font appears as "Failed to load resource"), tied to the page
/// that caused them and complete once the load event has fired; stderr mixes in the browser's own chatter (D-Bus,
/// GPU) and has no page boundaries. And one launch serves every page, which keeps the tests fast.
/// </remarks>
public sealed class ChromiumSession : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> pending = new();
    private readonly List<(string Method, string? Session, JsonElement Params)> events = [];
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private Task? receiving;
    private int nextId;
    private string session = "";

    private ChromiumSession(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    /// <summary>Chromium's executable: $CHROMIUM, else chromium / chromium-browser / google-chrome on PATH; null if none.</summary>
    public static string? FindExecutable()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("CHROMIUM") is { Length: > 0 } configured) candidates.Add(configured);
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "chromium", "chromium-browser", "google-chrome" })
                candidates.Add(Path.Combine(dir, name));
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Launches headless Chromium with a fresh profile and opens one tab of <paramref name="width"/>×<paramref name="height"/> CSS pixels.</summary>
    public static async Task<ChromiumSession> StartAsync(string executable, int width, int height)
    {
        string profile = Directory.CreateTempSubdirectory("convmat-chromium-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank",
        }) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        process.ErrorDataReceived += (_, _) => { }; // drain, so the browser never blocks on a full pipe
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var chromium = new ChromiumSession(process, profile);
        try
        {
            await chromium.ConnectAsync();
            await chromium.OpenTabAsync(width, height);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>The browser writes its port and WebSocket path to DevToolsActivePort in the profile once it listens.</summary>
    private async Task ConnectAsync()
    {
        string file = Path.Combine(profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + Timeout;
        while (!File.Exists(file) || File.ReadAllLines(file).Length < 2)
        {
            if (process.HasExited) throw new InvalidOperationException($"Chromium exited with code {process.ExitCode} before listening");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Chromium did not open its DevTools port");
            await Task.Delay(50);
        }
        var lines = File.ReadAllLines(file);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), stop.Token);
        receiving = Task.Run(ReceiveAsync);
    }

    private async Task OpenTabAsync(int width, int height)
    {
        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, browser: true);
        var attached = await SendAsync("Target.attachToTarget",
            new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, browser: true);
        session = attached.GetProperty("sessionId").GetString()!;
        foreach (var domain in new[] { "Page.enable", "Runtime.enable", "Log.enable" }) await SendAsync(domain);
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false,
        });
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, stop.Token);
                if (result.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement.Clone();
                if (root.TryGetProperty("id", out var id))
                {
                    if (pending.TryRemove(id.GetInt32(), out var waiter))
                    {
                        if (root.TryGetProperty("error", out var error)) waiter.SetException(new InvalidOperationException($"DevTools error: {error}"));
                        else waiter.SetResult(root.GetProperty("result"));
                    }
                }
                else
                {
                    string? from = root.TryGetProperty("sessionId", out var s) ? s.GetString() : null;
                    lock (events) events.Add((root.GetProperty("method").GetString()!, from, root.TryGetProperty("params", out var p) ? p : default));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException) { }
        foreach (var waiter in pending.Values) waiter.TrySetException(new InvalidOperationException("the DevTools connection closed"));
    }

    /// <summary>Sends one command (to the tab unless <paramref name="browser"/>) and waits for its result.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null, bool browser = false)
    {
        int id = Interlocked.Increment(ref nextId);
        var waiter = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = waiter;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        if (!browser) message["sessionId"] = session;
        await sendLock.WaitAsync();
        try { await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, stop.Token); }
        finally { sendLock.Release(); }
        return await waiter.Task.WaitAsync(Timeout);
    }

    /// <summary>
    /// Loads <paramref name="url"/> in the tab and waits for its load event; returns every error the page caused:
    /// uncaught exceptions, console errors, and the browser's error log entries (failed resource loads).
    /// </summary>
    public async Task<IReadOnlyList<string>> LoadAsync(string url)
    {
        lock (events) events.Clear();
        var navigation = await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        var errors = new List<string>();
        if (navigation.TryGetProperty("errorText", out var failed)) errors.Add($"navigation failed: {failed.GetString()}");
        var deadline = DateTime.UtcNow + Timeout;
        while (!Seen("Page.loadEventFired"))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{url} did not finish loading");
            await Task.Delay(20);
        }
        errors.AddRange(await ErrorsAsync());
        return errors;
    }

    /// <summary>
    /// Every error the page caused since it was loaded: uncaught exceptions, console errors, and the browser's error log
    /// entries (failed resource loads). An app that keeps running after its load event (the explorer's WebAssembly) is
    /// asked again once it has rendered.
    /// </summary>
    public async Task<IReadOnlyList<string>> ErrorsAsync()
    {
        await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = "document.readyState" }); // a round trip: earlier events have arrived
        var errors = new List<string>();
        lock (events)
            foreach (var (method, from, p) in events.Where(e => e.Session == session))
            {
                if (method == "Runtime.exceptionThrown") errors.Add("exception: " + p.GetProperty("exceptionDetails"));
                else if (method == "Runtime.consoleAPICalled" && p.GetProperty("type").GetString() is "error" or "assert")
                    errors.Add("console: " + p.GetProperty("args"));
                else if (method == "Log.entryAdded" && p.GetProperty("entry").GetProperty("level").GetString() == "error")
                    errors.Add("log: " + p.GetProperty("entry").GetProperty("text").GetString() + " " +
                               (p.GetProperty("entry").TryGetProperty("url", out var u) ? u.GetString() : ""));
            }
        return errors;
    }

    private bool Seen(string method)
    {
        lock (events) return events.Any(e => e.Method == method && e.Session == session);
    }

    /// <summary>Evaluates a JavaScript expression in the page (to measure it or drive its controls); a promise is awaited and its value returned.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result.TryGetProperty("exceptionDetails", out var thrown)) throw new InvalidOperationException($"'{expression}' threw: {thrown}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value : default; // undefined has no value
    }

    /// <summary>A PNG of the viewport, or of the page region <paramref name="clip"/> (x, y, width, height in CSS pixels).</summary>
    public async Task<byte[]> ScreenshotAsync((double X, double Y, double Width, double Height)? clip = null)
    {
        var parameters = new JsonObject { ["format"] = "png" };
        if (clip is { } c)
        {
            parameters["clip"] = new JsonObject { ["x"] = c.X, ["y"] = c.Y, ["width"] = c.Width, ["height"] = c.Height, ["scale"] = 1 };
            parameters["captureBeyondViewport"] = true;
        }
        var shot = await SendAsync("Page.captureScreenshot", parameters);
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
                await SendAsync("Browser.close", browser: true).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or WebSocketException) { }
        if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        await stop.CancelAsync();
        if (receiving is not null) await receiving.ContinueWith(_ => { });
        socket.Dispose();
        process.Dispose();
        stop.Dispose();
        sendLock.Dispose();
        try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
    }
}
