using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs;

/// <summary>The runner computes verdicts: a failing, throwing or empty proof makes it exit non-zero and name the culprit.</summary>
public class ProofRunnerTests
{
    private sealed class OnePlusOneIsTwo : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "1 + 1 = 2";
        public override void Run(ProofPage page) => page.Check("1 + 1 = 2", 1 + 1 == 2);
    }

    private sealed class OnePlusOneIsThree : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "1 + 1 = 3 (deliberately false)";
        public override void Run(ProofPage page)
        {
            page.Check("1 + 1 = 2", 1 + 1 == 2);
            page.CheckEqual("[1 + 1] = [3]", new long[] { 3 }, new long[] { 1 + 1 });
        }
    }

    private sealed class Throws : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "stops half way";
        public override void Run(ProofPage page)
        {
            page.Check("a first step", true);
            throw new InvalidOperationException("the computation broke");
        }
    }

    private sealed class ChecksNothing : Proof
    {
        public override ExplorerQuery Explore => new();

        public override string Claim => "prints but never checks";
        public override void Run(ProofPage page) => page.Say("trust me");
    }

    private static (int Code, string Output, string Error) Invoke(IReadOnlyList<Proof> proofs, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = new ProofRunner(proofs, output, error).Main(args);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void AllPassingExitsZero()
    {
        var (code, output, _) = Invoke([new OnePlusOneIsTwo()]);
        Assert.Equal(ProofRunner.Success, code);
        Assert.Contains("Verdict: PASS", output);
        Assert.Contains("1 of 1 proofs PASS.", output);
    }

    [Fact]
    public void AFailingProofMakesTheRunExitNonZeroAndNamesIt()
    {
        var (code, output, _) = Invoke([new OnePlusOneIsTwo(), new OnePlusOneIsThree()]);
        Assert.Equal(ProofRunner.Failure, code);
        Assert.Contains("✗ [1 + 1] = [3]", output);
        Assert.Contains("first difference: element 0: 3 vs 2", output);
        Assert.Contains("Verdict: FAIL (1 of 2 checks hold)", output);
        Assert.EndsWith("1 of 2 proofs FAIL: one-plus-one-is-three" + Environment.NewLine, output);
    }

    [Fact]
    public void AnExceptionIsAFailNotACrash()
    {
        var (code, output, _) = Invoke([new Throws(), new OnePlusOneIsTwo()]);
        Assert.Equal(ProofRunner.Failure, code);
        Assert.Contains("stopped by InvalidOperationException: the computation broke", output);
        Assert.Contains("PASS  one-plus-one-is-two", output); // the run went on after the failure
        Assert.Contains("FAIL: throws", output);
    }

    [Fact]
    public void AProofWithoutChecksProvesNothing()
    {
        var (code, output, _) = Invoke([new ChecksNothing()]);
        Assert.Equal(ProofRunner.Failure, code);
        Assert.Contains("no check was recorded", output);
    }

    [Fact]
    public void RunsOnlyTheNamedProof()
    {
        var (code, output, _) = Invoke([new OnePlusOneIsThree(), new OnePlusOneIsTwo()], "one-plus-one-is-two");
        Assert.Equal(ProofRunner.Success, code);
        Assert.Contains("Proof 2 of 2 · one-plus-one-is-two", output);
        Assert.DoesNotContain("one-plus-one-is-three", output);
    }

    [Fact]
    public void UnknownNameOrOptionIsAUsageError()
    {
        var (code, output, error) = Invoke([new OnePlusOneIsTwo()], "no-such-proof");
        Assert.Equal(ProofRunner.UsageError, code);
        Assert.Equal("", output);
        Assert.Contains("no proof named 'no-such-proof'", error);
        Assert.Equal(ProofRunner.UsageError, Invoke([new OnePlusOneIsTwo()], "--bogus").Code);
    }

    [Fact]
    public void CheckCloseHoldsWithinTheToleranceOnly()
    {
        var output = new StringWriter();
        var page = new ProofPage(output);
        Assert.True(page.CheckClose("near", [1.0, 2.0], [1.0 + 1e-12, 2.0], 1e-9));
        Assert.False(page.CheckClose("far", [1.0, 2.0], [1.0, 2.1], 1e-9));
        Assert.False(page.CheckClose("not a number", [1.0], [double.NaN], 1e-9));
        Assert.False(page.CheckClose("lengths", [1.0], [1.0, 2.0], 1e-9));
        Assert.Equal([true, false, false, false], page.Checks.Select(c => c.Holds));
        Assert.Contains("✗ far (largest difference 0.1", output.ToString());
    }

    [Fact]
    public void DuplicateNamesAreRefused() =>
        Assert.Throws<ArgumentException>(() => new ProofRunner([new OnePlusOneIsTwo(), new OnePlusOneIsTwo()], TextWriter.Null, TextWriter.Null));

    [Fact]
    public void NamesAreKebabCase()
    {
        Assert.Equal("transpose-is-not-inverse", Proof.KebabCase("TransposeIsNotInverse"));
        Assert.Equal("kernel2matrix", ProofCatalog.All.Single(p => p is Kernel2MatrixIsV).Name);
    }
}
