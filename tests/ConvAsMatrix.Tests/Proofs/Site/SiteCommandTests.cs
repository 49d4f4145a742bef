using System.Xml.Linq;
using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs.Site;

/// <summary><c>--html DIR</c> on the proof runner: any proof in the catalog gets its page with no site code of its own; verdicts and errors show; bad arguments are usage errors.</summary>
public class SiteCommandTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("convmat-site-cmd-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    /// <summary>A proof the site has never seen, using every kind of block.</summary>
    private sealed class IdentityKernel : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "The kernel [1] gives V = I.";

        public override void Run(ProofPage page)
        {
            page.Seed("单位卷积核", "An identity kernel.");
            page.Heading("The matrix");
            page.Say("A 1-tap kernel\non 3 inputs.\n  V = I");
            var g = ConvGeometry.ForConv([1, 1, 3], [1, 1, 1]);
            var v = ConvolutionMatrix<long>.Compile([1L], g).ToDense();
            page.Show("V =", v);
            page.Show("diag =", new long[] { 1, 1, 1 });
            page.Table(["n", "nnz"], [["3", "3"]]);
            page.Figure(new TapGridFigure("V coloured by tap.", [TapGridFigure.Compile("V (3×3)", Symbolic.Kernel("k", 1), g)], showEntries: true));
            page.CheckEqual("V = I", Dense.Identity<long>(3), v);
        }
    }

    private sealed class Wrong : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "2 = 3 (deliberately false), then it throws";

        public override void Run(ProofPage page)
        {
            page.CheckEqual("[2] = [3]", new long[] { 3 }, new long[] { 2 });
            throw new InvalidOperationException("the computation broke");
        }
    }

    private (int Code, string Output, string Error) Run(IReadOnlyList<Proof> proofs, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = new ProofRunner(proofs, output, error).Main(args);
        return (code, output.ToString(), error.ToString());
    }

    private static string Text(XContainer e) => string.Concat(e.DescendantNodes().OfType<XText>().Select(t => t.Value));

    [Fact]
    public void ANewProofAppearsOnTheSiteWithAllItsBlocks()
    {
        var (code, output, error) = Run([new IdentityKernel()], "--html", dir);
        Assert.Equal(ProofRunner.Success, code);
        Assert.Equal("", error);
        Assert.Contains("1 of 1 proofs PASS.", output);
        var page = SiteFixture.Load(Path.Combine(dir, "identity-kernel.html"));
        string text = Text(page);
        foreach (var expected in new[] { "单位卷积核", "An identity kernel.", "The matrix", "A 1-tap kernel on 3 inputs.", "V = I", "nnz", "V coloured by tap.", "PASS" })
            Assert.Contains(expected, text);
        Assert.Equal(2, page.Descendants(Html.Ns + "table").Count(t => t.Attribute("class")!.Value == "matrix"));
        Assert.Single(page.Descendants(Html.Svg + "svg"));
        Assert.True(File.Exists(Path.Combine(dir, "figures", "identity-kernel-1.svg")));
        Assert.Contains("identity-kernel.html", File.ReadAllText(Path.Combine(dir, "index.html")));
    }

    [Fact]
    public void AFailingOrThrowingProofIsShownAsFailAndExitsOne()
    {
        var (code, output, _) = Run([new IdentityKernel(), new Wrong()], "--html", dir);
        Assert.Equal(ProofRunner.Failure, code);
        Assert.Contains("1 of 2 proofs FAIL: wrong", output);
        var page = Text(SiteFixture.Load(Path.Combine(dir, "wrong.html")));
        Assert.Contains("FAIL", page);
        Assert.Contains("first difference: element 0: 3 vs 2", page);
        Assert.Contains("The proof stopped: InvalidOperationException: the computation broke", page);
        var index = SiteFixture.Load(Path.Combine(dir, "index.html"));
        Assert.Equal(["PASS", "FAIL"], index.Descendants(Html.Ns + "tbody").Single().Descendants(Html.Ns + "span")
            .Where(s => s.Attribute("class")!.Value.StartsWith("badge")).Select(Text));
    }

    [Theory]
    [InlineData("--html")]
    [InlineData("--html", "a", "b")]
    [InlineData("--html", "--list")]
    public void MissingOrExtraArgumentsAreUsageErrors(params string[] args)
    {
        var (code, output, error) = Run([new IdentityKernel()], args);
        Assert.Equal(ProofRunner.UsageError, code);
        Assert.Equal("", output);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--html needs exactly one directory", error);
    }

    [Fact]
    public void AFileInsteadOfADirectoryIsAUsageErrorBeforeAnyProofRuns()
    {
        var file = Path.Combine(dir, "taken");
        File.WriteAllText(file, "x");
        var (code, output, error) = Run([new Wrong()], "--html", file);
        Assert.Equal(ProofRunner.UsageError, code);
        Assert.Equal("", output);
        Assert.Equal($"cannot write the site to '{file}': it is a file, not a directory", error.TrimEnd());
        Assert.Equal("x", File.ReadAllText(file));
    }
}
