using System.Xml;
using System.Xml.Linq;
using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs.Site;

/// <summary>The web site of every proof in the catalog, written once to a temporary directory for all the site tests.</summary>
public sealed class SiteFixture : IDisposable
{
    public SiteFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("convmat-site-").FullName;
        Results = ProofCatalog.All.Select(ProofRunner.Collect).ToList();
        Summary = SiteWriter.Write(Directory, Results);
    }

    /// <summary>Where the site is.</summary>
    public string Directory { get; }

    /// <summary>The proofs' results the site was written from (their blocks hold the figures' data).</summary>
    public IReadOnlyList<ProofResult> Results { get; }

    /// <summary>What the writer reported.</summary>
    public SiteSummary Summary { get; }

    /// <summary>Every HTML page of the site, index first.</summary>
    public IEnumerable<string> Pages =>
        new[] { Path.Combine(Directory, "index.html") }.Concat(Results.Select(r => Path.Combine(Directory, SiteWriter.PageFile(r.Proof))));

    /// <summary>A page or SVG file parsed as XML (the site writes polyglot HTML, so a well-formedness error fails here).</summary>
    public static XDocument Load(string path)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(path, settings);
        return XDocument.Load(reader);
    }

    /// <summary>The page of <paramref name="proofName"/>, parsed.</summary>
    public XDocument Page(string proofName) => Load(Path.Combine(Directory, proofName + ".html"));

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class SiteCollection : ICollectionFixture<SiteFixture>
{
    public const string Name = "proof site";
}
