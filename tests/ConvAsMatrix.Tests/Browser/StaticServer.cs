using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ConvAsMatrix.Tests.Browser;

/// <summary>
/// A static file host on 127.0.0.1 inside the test process (HttpListener: nothing to install on a fresh machine), as a
/// static host such as GitHub Pages serves a published folder: a file's precompressed <c>.br</c> (else <c>.gz</c>) twin
/// when the browser accepts that encoding, with the type of the original. It counts the bytes it sends, so a test can
/// measure what a first load transfers.
/// </summary>
public sealed class StaticServer : IDisposable
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript", [".mjs"] = "text/javascript", [".css"] = "text/css",
        [".json"] = "application/json", [".wasm"] = "application/wasm", [".svg"] = "image/svg+xml", [".png"] = "image/png",
        [".dat"] = "application/octet-stream", [".ico"] = "image/x-icon",
    };

    private readonly HttpListener listener = new();
    private readonly string root;
    private readonly Task serving;
    private readonly ConcurrentQueue<(string Path, string Encoding, long Bytes)> sent = new();

    /// <summary>Serves <paramref name="root"/> on a free port of 127.0.0.1.</summary>
    public StaticServer(string root)
    {
        this.root = Path.GetFullPath(root);
        for (int attempt = 0; ; attempt++)
        {
            int port = FreePort();
            listener.Prefixes.Clear();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                BaseUrl = $"http://127.0.0.1:{port}/";
                break;
            }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The root's address, ending in '/'.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every response so far: the path asked for, the encoding sent (empty for none) and the body's bytes.</summary>
    public IReadOnlyList<(string Path, string Encoding, long Bytes)> Sent => [.. sent];

    /// <summary>Forgets the responses counted so far.</summary>
    public void ResetCount() => sent.Clear();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            _ = Task.Run(() => Respond(context));
        }
    }

    private void Respond(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            string relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/');
            if (relative.Length == 0 || relative.EndsWith('/')) relative += "index.html";
            string path = Path.GetFullPath(Path.Combine(root, relative));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(path))
            {
                response.StatusCode = 404;
                sent.Enqueue(("/" + relative, "", 0));
                return;
            }
            string accepted = context.Request.Headers["Accept-Encoding"] ?? "";
            string encoding = "", file = path;
            if (accepted.Contains("br", StringComparison.Ordinal) && File.Exists(path + ".br")) (encoding, file) = ("br", path + ".br");
            else if (accepted.Contains("gzip", StringComparison.Ordinal) && File.Exists(path + ".gz")) (encoding, file) = ("gzip", path + ".gz");
            var body = File.ReadAllBytes(file);
            response.ContentType = Types.GetValueOrDefault(Path.GetExtension(path), "application/octet-stream");
            if (encoding.Length > 0) response.AddHeader("Content-Encoding", encoding);
            response.AddHeader("Cache-Control", "no-cache");
            response.ContentLength64 = body.Length;
            response.OutputStream.Write(body);
            sent.Enqueue(("/" + relative, encoding, body.Length));
        }
        catch (Exception e) when (e is IOException or HttpListenerException or ObjectDisposedException) { }
        finally
        {
            try { response.Close(); } catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { }
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        serving.ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(5));
    }
}
