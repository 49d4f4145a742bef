using System.Xml.Linq;
using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs.Site;

/// <summary>
/// The static site of the proofs: one page per proof named by the proof's name, an index with every claim and
/// verdict, every block of every proof on its page, every link resolving, nothing fetched from a network.
/// </summary>
[Collection(SiteCollection.Name)]
public class SitePageTests(SiteFixture site)
{
    private static readonly XNamespace H = Html.Ns;

    private static string Text(XElement e) => string.Concat(e.DescendantNodes().OfType<XText>().Select(t => t.Value));

    [Fact]
    public void IndexLinksEveryProofWithItsClaimAndComputedVerdict()
    {
        var index = SiteFixture.Load(Path.Combine(site.Directory, "index.html"));
        var rows = index.Descendants(H + "tbody").Single().Elements(H + "tr").ToList();
        Assert.Equal(ProofCatalog.All.Count, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            var result = site.Results[i];
            Assert.Equal(result.Proof.Name + ".html", rows[i].Descendants(H + "a").Single().Attribute("href")!.Value);
            Assert.Equal(result.Proof.Claim, Text(rows[i].Descendants(H + "p").Single()));
            Assert.Equal(result.Verdict, Text(rows[i].Descendants(H + "span").First(s => s.Attribute("class")!.Value.StartsWith("badge"))));
            Assert.Contains(result.Summary, Text(rows[i]));
        }
        Assert.Equal(ProofCatalog.All.Count, site.Summary.Pages);
    }

    [Fact]
    public void EachProofHasItsPageWithClaimVerdictAndEveryBlock()
    {
        foreach (var result in site.Results)
        {
            var page = site.Page(result.Proof.Name);
            Assert.Equal(result.Proof.Claim, Text(page.Descendants(H + "h1").Single()));
            Assert.All(page.Descendants(H + "p").Where(p => p.Attribute("class")?.Value.StartsWith("verdict") == true),
                v => Assert.StartsWith(result.Verdict, Text(v)));

            // Every quote: the Chinese original (lang="zh") and the English rendering.
            var quotes = page.Descendants(H + "blockquote").ToList();
            var expectedQuotes = result.Blocks.OfType<QuoteBlock>().ToList();
            Assert.Equal(expectedQuotes.Count, quotes.Count);
            foreach (var (quote, block) in quotes.Zip(expectedQuotes))
            {
                var original = quote.Elements(H + "p").First();
                Assert.Equal("zh", original.Attribute("lang")!.Value);
                Assert.Equal(block.Original.TrimEnd(), Text(original));
            }

            // Every check with its computed outcome, in order.
            var checks = page.Descendants(H + "ul").Where(u => u.Attribute("class")?.Value == "checks").SelectMany(u => u.Elements(H + "li")).ToList();
            Assert.Equal(result.Checks.Count, checks.Count);
            foreach (var (li, check) in checks.Zip(result.Checks))
            {
                Assert.Equal(check.Holds ? "holds" : "fails", li.Attribute("class")!.Value);
                Assert.Equal(check.Statement, Text(li.Elements(H + "span").Single(s => s.Attribute("class")!.Value == "statement")));
            }

            // Every matrix and vector as a table with exactly the printed entries (symbols included).
            var tables = page.Descendants(H + "table").Where(t => t.Attribute("class")!.Value == "matrix").ToList();
            var expected = result.Blocks.SelectMany(b => b switch
            {
                MatricesBlock m => m.Items.Select(i => i.Cells),
                VectorBlock v => [Row(v.Cells)],
                _ => [],
            }).ToList();
            Assert.Equal(expected.Count, tables.Count);
            foreach (var (table, cells) in tables.Zip(expected))
            {
                var rows = table.Elements(H + "tr").Select(tr => tr.Elements(H + "td").Select(Text).ToList()).ToList();
                Assert.Equal(cells.GetLength(0), rows.Count);
                for (int i = 0; i < rows.Count; i++)
                    Assert.Equal(Enumerable.Range(0, cells.GetLength(1)).Select(j => cells[i, j]), rows[i]);
            }

            // Every data table and every figure.
            Assert.Equal(result.Blocks.OfType<TableBlock>().Sum(t => t.Rows.Count),
                page.Descendants(H + "table").Where(t => t.Attribute("class")!.Value == "data").Sum(t => t.Descendants(H + "tbody").Single().Elements().Count()));
            Assert.Equal(result.Blocks.OfType<FigureBlock>().Count(), page.Descendants(H + "figure").Count());
        }
    }

    private static string[,] Row(IReadOnlyList<string> cells)
    {
        var row = new string[1, cells.Count];
        for (int j = 0; j < cells.Count; j++) row[0, j] = cells[j];
        return row;
    }

    [Fact]
    public void TheSymbolicMatricesArePrintedWithTheirSymbols()
    {
        var page = site.Page("v-with-symbolic-kernel");
        var cells = page.Descendants(H + "td").Select(Text).ToHashSet();
        Assert.Superset(new HashSet<string> { "k₀₀", "k₀₁", "k₁₀", "k₁₁", "k₀", "k₁", "k₂" }, cells);
        var padding = site.Page("padding-modes-as-matrices").Descendants(H + "td").Select(Text).ToHashSet();
        Assert.Contains("k₀ + k₁ + k₂", padding); // replicate folds three taps onto the border element
    }

    [Fact]
    public void EveryProofPageLinksToTheExplorerWithItsGeometry()
    {
        foreach (var result in site.Results)
        {
            var links = site.Page(result.Proof.Name).Descendants(H + "a").Select(a => a.Attribute("href")!.Value)
                .Where(h => h.StartsWith(SiteWriter.ExplorerFolder + "/index.html?", StringComparison.Ordinal)).ToList();
            var link = Assert.Single(links);
            var query = ExplorerQuery.Parse(link[(link.IndexOf('?') + 1)..]);
            Assert.Equal(result.Proof.Explore.ToQuery(), query.ToQuery());
            var geometry = query.Geometry(); // the proof's geometry is one the explorer draws
            Assert.InRange(query.Rank, 1, 2);
            Assert.True(geometry.NonZeroCount > 0, $"{result.Proof.Name}: {link}");
        }
    }

    [Fact]
    public void EveryLinkAndSourceResolvesToAFileAndAnchor()
    {
        var files = Directory.EnumerateFiles(site.Directory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("style.css"));
        int links = 0;
        foreach (var file in files.Where(f => f.EndsWith(".html") || f.EndsWith(".svg")))
        {
            var doc = SiteFixture.Load(file);
            foreach (var attribute in doc.Descendants().Attributes().Where(a => a.Name.LocalName is "href" or "src"))
            {
                string target = attribute.Value;
                if (target.StartsWith(SiteWriter.ExplorerFolder + "/", StringComparison.Ordinal)) continue; // not part of this site: EveryProofPageLinksToTheExplorerWithItsGeometry
                links++;
                Assert.False(target.Contains(':') || target.StartsWith("//"), $"{Path.GetFileName(file)} links outside the site: {target}");
                var parts = target.Split('#', 2);
                string path = parts[0].Length == 0 ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, parts[0]));
                Assert.True(File.Exists(path), $"{Path.GetFileName(file)} links to a missing file: {target}");
                if (parts.Length == 2)
                    Assert.True(SiteFixture.Load(path).Descendants().Any(e => e.Attribute("id")?.Value == parts[1]),
                        $"{Path.GetFileName(file)} links to a missing anchor: {target}");
            }
            Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "iframe" or "object" or "embed");
            var ids = doc.Descendants().Select(e => e.Attribute("id")?.Value).OfType<string>().ToList();
            Assert.True(ids.Count == ids.Distinct().Count(), $"{Path.GetFileName(file)} repeats an id");
        }
        Assert.True(links > 3 * ProofCatalog.All.Count, $"only {links} links found");
        string css = File.ReadAllText(Path.Combine(site.Directory, "style.css"));
        Assert.DoesNotContain("url(", css);
        Assert.DoesNotContain("@import", css);
        Assert.DoesNotContain("@font-face", css);
    }

    [Fact]
    public void EveryPageLinksToTheIndexAndItsNeighbours()
    {
        for (int i = 0; i < site.Results.Count; i++)
        {
            var hrefs = site.Page(site.Results[i].Proof.Name).Descendants(H + "a").Select(a => a.Attribute("href")!.Value).ToHashSet();
            Assert.Contains("index.html", hrefs);
            if (i > 0) Assert.Contains(site.Results[i - 1].Proof.Name + ".html", hrefs);
            if (i + 1 < site.Results.Count) Assert.Contains(site.Results[i + 1].Proof.Name + ".html", hrefs);
        }
    }

    [Fact]
    public void EveryFigureIsAlsoItsOwnSvgFileWithTheSameContent()
    {
        int figures = 0;
        foreach (var result in site.Results)
        {
            var inline = site.Page(result.Proof.Name).Descendants(Html.Svg + "svg").ToList();
            for (int n = 1; n <= inline.Count; n++)
            {
                var file = SiteFixture.Load(Path.Combine(site.Directory, SiteWriter.FigureFile(result.Proof, n)));
                Assert.True(XNode.DeepEquals(inline[n - 1], file.Root), $"{result.Proof.Name} figure {n}");
                figures++;
            }
        }
        Assert.Equal(site.Summary.Figures, figures);
        Assert.True(figures >= 12, $"{figures} figures");
    }

    [Fact]
    public void HeadingAnchorsAreUniqueAndNeverAFiguresAnchor()
    {
        var (_, sections) = HtmlRenderer.Render(
            [new HeadingBlock("A b"), new HeadingBlock("A b"), new HeadingBlock("Figure 1"), new HeadingBlock("…")], n => $"f{n}.svg");
        Assert.Equal(["a-b", "a-b-2", "section-3", "section-4"], sections.Select(s => s.Id));
    }

    [Fact]
    public void SerializedHtmlClosesEveryNonVoidElement()
    {
        var text = Html.Serialize(Html.E("html", Html.E("body", Html.E("div"), Html.E("br"), Html.E("td"))));
        Assert.StartsWith("<!DOCTYPE html>\n", text);
        Assert.Contains("<div></div>", text);
        Assert.Contains("<td></td>", text);
        Assert.Contains("<br />", text);
    }
}
