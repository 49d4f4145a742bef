using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs;

/// <summary>Every proof of the lecture note's claims runs and PASSes; none is left out of the catalog.</summary>
public class ProofCatalogTests
{
    public static TheoryData<string> Names() => [.. ProofCatalog.All.Select(p => p.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void ProofPasses(string name)
    {
        var output = new StringWriter();
        var runner = new ProofRunner(ProofCatalog.All, output, TextWriter.Null);
        var result = runner.Run(ProofCatalog.All.Single(p => p.Name == name));
        Assert.True(result.Passed, $"{name}: {result.Summary}\n{output}");
        Assert.DoesNotContain("✗", output.ToString());
    }

    [Fact]
    public void EveryProofInTheAssemblyIsInTheCatalog()
    {
        var declared = typeof(Proof).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Proof)) && !t.IsAbstract)
            .Select(t => t.Name).OrderBy(n => n).ToList();
        var listed = ProofCatalog.All.Select(p => p.GetType().Name).OrderBy(n => n).ToList();
        Assert.Equal(declared, listed);
    }

    [Fact]
    public void ListPrintsEveryProofByName()
    {
        var output = new StringWriter();
        int code = new ProofRunner(ProofCatalog.All, output, TextWriter.Null).Main(["--list"]);
        Assert.Equal(ProofRunner.Success, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ProofCatalog.All.Count, lines.Length);
        foreach (var p in ProofCatalog.All) Assert.Contains(lines, l => l.Contains($" {p.Name} "));
    }
}
