using System.Text;
using System.Xml.Linq;
using static ConvAsMatrix.Proofs.Html;

namespace ConvAsMatrix.Proofs;

/// <summary>What <see cref="SiteWriter.Write"/> wrote.</summary>
/// <param name="Index">The path of index.html.</param>
/// <param name="Pages">How many proof pages.</param>
/// <param name="Figures">How many figures (each inline on its page and as its own SVG file).</param>
public sealed record SiteSummary(string Index, int Pages, int Figures);

/// <summary>
/// Writes the proofs as a static web site: <c>index.html</c> (every proof with its claim and computed verdict),
/// one page per proof named <c>&lt;proof name&gt;.html</c>, <c>style.css</c>, and each figure again as
/// <c>figures/&lt;proof name&gt;-&lt;n&gt;.svg</c>. No script, no web font, no network: it opens from the file system.
/// </summary>
/// <remarks>
/// The pages are rendered from the blocks each proof recorded (<see cref="ProofResult.Blocks"/>), so a proof added to
/// <see cref="ProofCatalog"/> appears here without any change to the site's code. Every file is written all or
/// nothing (<see cref="AtomicFile"/>).
/// </remarks>
public static class SiteWriter
{
    /// <summary>The site's title, in the header of every page.</summary>
    public const string Title = "Transposed convolution, proved";

    /// <summary>Writes the site for <paramref name="results"/> (in reading order) into <paramref name="directory"/>, creating it if needed.</summary>
    /// <exception cref="ArgumentException">A proof's name is not made of lowercase letters, digits and hyphens (it becomes a file name).</exception>
    public static SiteSummary Write(string directory, IReadOnlyList<ProofResult> results)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(results);
        var bad = results.FirstOrDefault(r => r.Proof.Name.Length == 0 || !r.Proof.Name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'));
        if (bad is not null) throw new ArgumentException($"proof name '{bad.Proof.Name}' cannot be a file name (use a-z, 0-9 and '-')", nameof(results));
        if (File.Exists(directory)) throw new IOException($"'{directory}' is a file, not a directory");
        Directory.CreateDirectory(Path.Combine(directory, "figures"));

        WriteText(Path.Combine(directory, "style.css"), SiteStyle.Css);
        int figures = 0;
        for (int i = 0; i < results.Count; i++)
        {
            var result = results[i];
            var svgs = result.Blocks.OfType<FigureBlock>().ToList();
            for (int n = 0; n < svgs.Count; n++)
                WriteText(Path.Combine(directory, FigureFile(result.Proof, n + 1)), Html.SerializeSvg(svgs[n].Figure.ToSvg()));
            figures += svgs.Count;
            var page = ProofPage(results, i);
            WriteText(Path.Combine(directory, PageFile(result.Proof)), Serialize(page));
        }
        string index = Path.Combine(directory, "index.html");
        WriteText(index, Serialize(IndexPage(results)));
        return new SiteSummary(index, results.Count, figures);
    }

    /// <summary>
    /// Where the explorer is expected, relative to the site: its published <c>wwwroot</c> copied to <c>explorer/</c>
    /// beside the pages (docs/explorer.md). The site itself stays script-free; only the link points there.
    /// </summary>
    public const string ExplorerFolder = "explorer";

    /// <summary>The link from <paramref name="proof"/>'s page to the explorer with the proof's geometry.</summary>
    public static string ExplorerLink(Proof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return $"{ExplorerFolder}/index.html?{proof.Explore.ToQuery()}";
    }

    /// <summary>The page of <paramref name="proof"/>, relative to the site: <c>&lt;name&gt;.html</c>.</summary>
    public static string PageFile(Proof proof) => proof.Name + ".html";

    /// <summary>The file of figure <paramref name="number"/> (from 1) of <paramref name="proof"/>, relative to the site.</summary>
    public static string FigureFile(Proof proof, int number) => $"figures/{proof.Name}-{number}.svg";

    private static void WriteText(string path, string text) =>
        AtomicFile.Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    private static XElement Document(string title, XElement? navigation, IEnumerable<XElement> main) =>
        new(Ns + "html", new XAttribute("lang", "en"),
            E("head",
                E("meta", new XAttribute("charset", "utf-8")),
                E("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                E("title", title),
                E("link", new XAttribute("rel", "stylesheet"), new XAttribute("href", "style.css"))),
            E("body",
                C("header", "top", C("div", "bar",
                    C("a", "site", new XAttribute("href", "index.html"), Title),
                    navigation)),
                E("main", main),
                E("footer", C("div", "bar",
                    E("p", "Every number, table, verdict and figure on these pages was computed by the ConvAsMatrix library when the site was written (",
                        E("code", "dotnet run --project proofs -- --html DIR"),
                        "); the terminal version of the same proofs is ", E("code", "dotnet run --project proofs"), ".")))));

    private static XElement ProofPage(IReadOnlyList<ProofResult> results, int i)
    {
        var result = results[i];
        var proof = result.Proof;
        var (content, sections) = HtmlRenderer.Render(result.Blocks, n => FigureFile(proof, n));
        var navigation = C("nav", "pager", new XAttribute("aria-label", "Proofs"),
            i > 0 ? C("a", "prev", new XAttribute("href", PageFile(results[i - 1].Proof)), "← " + results[i - 1].Proof.Name) : null,
            i + 1 < results.Count ? C("a", "next", new XAttribute("href", PageFile(results[i + 1].Proof)), results[i + 1].Proof.Name + " →") : null);
        var main = new List<XElement>
        {
            C("p", "kicker", $"Proof {i + 1} of {results.Count} · ", E("code", proof.Name)),
            E("h1", proof.Claim),
            Verdict(result),
            C("p", "explore", C("a", "explore-link", new XAttribute("href", ExplorerLink(proof)), "Open this geometry in the explorer"),
                " and change its settings: V, Vᵀ and the scatter are redrawn by the library in your browser."),
        };
        if (sections.Count > 1)
            main.Add(C("nav", "toc", new XAttribute("aria-label", "Sections"),
                E("ol", sections.Select(s => E("li", E("a", new XAttribute("href", "#" + s.Id), s.Title))))));
        main.AddRange(content);
        if (result.Error is { } e)
            main.Add(C("p", "verdict fail", $"The proof stopped: {e.GetType().Name}: {e.Message}"));
        main.Add(Verdict(result));
        return Document($"{proof.Name} · {Title}", navigation, main);
    }

    private static XElement Verdict(ProofResult result) =>
        C("p", "verdict " + (result.Passed ? "pass" : "fail"), Badge(result), " ", result.Summary + ", computed when this page was written.");

    private static XElement Badge(ProofResult result) => C("span", "badge " + (result.Passed ? "pass" : "fail"), result.Verdict);

    private static XElement IndexPage(IReadOnlyList<ProofResult> results)
    {
        int passed = results.Count(r => r.Passed);
        var rows = results.Select((r, i) => E("tr",
            C("td", "number", (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            E("td",
                E("a", new XAttribute("href", PageFile(r.Proof)), E("code", r.Proof.Name)),
                C("p", "claim", r.Proof.Claim)),
            C("td", "result", Badge(r), C("span", "count", r.Summary))));
        var main = new XElement[]
        {
            E("h1", Title),
            C("p", "lede",
                "The lecture 转置卷积 (transposed convolution, d2l lecture 37) says: a convolution is a matrix product ",
                E("i", "Y′ = V X′"), ", and the transposed convolution is ", E("i", "Y′ = Vᵀ X′"),
                ". Each page below takes one claim of the lecture, quotes it in Chinese with an English rendering, and proves it by computation: ",
                "the library compiles V, the page shows the matrices and figures drawn from it, and every check compares the library with an independent path ",
                "(the lecture's own code, plain loops, PyTorch's printed numbers). Arithmetic is exact; the verdicts are computed, not written."),
            C("p", "verdict " + (passed == results.Count ? "pass" : "fail"),
                C("span", "badge " + (passed == results.Count ? "pass" : "fail"), $"{passed} / {results.Count}"),
                $" {passed} of {results.Count} proofs PASS."),
            C("table", "index",
                E("thead", E("tr", E("th", new XAttribute("scope", "col"), "#"), E("th", new XAttribute("scope", "col"), "Proof and claim"),
                    E("th", new XAttribute("scope", "col"), "Verdict"))),
                E("tbody", rows)),
        };
        return Document(Title, null, main);
    }
}
