using System.Text.Json;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// <c>convmat check</c> on outputs PyTorch made with each common mistake (tests/cli-fixtures/make_check_fixtures.py):
/// the verdict line names the mistake, PyTorch's own outputs agree (float64 and float32), and a wrong element or shape
/// that no mistake makes is "unexplained" with its place reported.
/// </summary>
public class CheckCommandTests
{
    private static readonly JsonElement Manifest =
        JsonDocument.Parse(File.ReadAllText(CliHarness.Fixture("check/check_cases.json"))).RootElement;

    private static IEnumerable<JsonElement> AllCases => Manifest.GetProperty("cases").EnumerateArray();

    private static string F(string name) => CliHarness.Fixture("check/" + name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in AllCases) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    private static string[] CommandLine(JsonElement c)
    {
        var args = new List<string> { "check", "--op", c.GetProperty("op").GetString()!, "--input", F(c.GetProperty("input").GetString()!),
            "--weight", F(c.GetProperty("weight").GetString()!), "--output", F(c.GetProperty("output").GetString()!) };
        if (c.TryGetProperty("bias", out var b)) args.AddRange(["--bias", F(b.GetString()!)]);
        args.AddRange(c.GetProperty("args").EnumerateArray().Select(a => a.GetString()!));
        return [.. args];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheVerdictNamesTheMistakePyTorchWasMadeWith(string name)
    {
        var c = AllCases.Single(e => e.GetProperty("name").GetString() == name);
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run(CommandLine(c));
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var verdict = c.GetProperty("verdict").GetString()!;
        if (verdict == "agree")
        {
            Assert.Equal(0, code);
            Assert.Single(lines);
            Assert.Matches(@"^agree \(max rel err [0-9.E+-]+\)$", lines[0]);
            return;
        }
        Assert.Equal(1, code);
        Assert.Equal(verdict, lines[^1]);
        // A mistake is explained in one line; only the mistake PyTorch made reproduces the output.
        var reproduced = lines.Where(l => l.StartsWith("reproduced by ", StringComparison.Ordinal)).ToArray();
        if (verdict == "disagree: unexplained") Assert.Empty(reproduced);
        else Assert.Equal($"reproduced by {verdict["disagree: ".Length..]}: ", Assert.Single(reproduced)[..(verdict.Length - "disagree: ".Length + "reproduced by : ".Length)]);
        Assert.Empty(cli.Files());
    }

    [Fact]
    public void EveryForwardMistakeHasAPyTorchCaseAndAgreeAndUnexplainedAreCovered()
    {
        // The gradient passes' own mistakes (batch-mean, weight-grad-*) are covered by CheckGradientCommandTests.
        var forward = ConvolutionMistake.All.Where(m => m.AppliesTo(CheckedOperation.Conv) || m.AppliesTo(CheckedOperation.ConvTranspose)).ToArray();
        var verdicts = AllCases.Select(c => c.GetProperty("verdict").GetString()!).ToHashSet();
        foreach (var m in forward) Assert.Contains($"disagree: {m.Id}", verdicts);
        Assert.Contains("agree", verdicts);
        Assert.Contains("disagree: unexplained", verdicts);
        Assert.Equal(forward.Length + 2, verdicts.Count);
        Assert.Equal(ConvolutionMistake.All.Count, ConvolutionMistake.All.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public void AWrongElementIsLocated()
    {
        // PyTorch's output with element (0, 1, 2, 4) changed by 0.5.
        var c = AllCases.Single(e => e.GetProperty("name").GetString() == "unexplained_one_element");
        using var cli = new CliHarness();
        var (_, stdout, _) = cli.Run(CommandLine(c));
        Assert.Contains("1 elements beyond tolerance", stdout);
        Assert.Contains("channels 1; positions 2..2 x 4..4", stdout);
        Assert.Contains("worst at (0, 1, 2, 4)", stdout);
        Assert.Contains("max abs err 0.5", stdout);
    }

    [Fact]
    public void AShapeMismatchIsReportedAndExplainedWhereAMistakeMakesIt()
    {
        using var cli = new CliHarness();
        var noPadding = cli.Run(CommandLine(AllCases.Single(e => e.GetProperty("name").GetString() == "no_padding")));
        Assert.Contains("shape (1, 2, 5, 5) where V gives (1, 2, 7, 7)", noPadding.Out);
        Assert.EndsWith("disagree: no-padding\n", noPadding.Out.ReplaceLineEndings("\n"));
    }

    private static readonly string X = F("agree_conv2d_x.npy"), W = F("agree_conv2d_w.npy"), Y = F("agree_conv2d_y.npy"), B = F("agree_conv2d_b.npy");

    public static TheoryData<string[], string[]> BadCommandLines => new()
    {
        { ["check", "--input", X, "--weight", W, "--output", Y], ["--op", "required"] },
        { ["check", "--op", "deconv", "--input", X, "--weight", W, "--output", Y], ["--op 'deconv'", "conv, tconv"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W], ["--output", "required"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", Y, "--output-padding", "1"], ["--output-padding is an option of --op tconv"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", Y, "--tol", "-1"], ["--tol '-1'"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", "{dir}/missing.npy"], ["--output", "no such file"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", "{garbage}"], ["not a valid .npy file"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", Y, "--bias", F("bias_missing_b.npy")], ["bias has shape (3); expected (4)"] },
        { ["check", "--op", "conv", "--input", X, "--weight", F("bias_missing_w.npy"), "--output", Y], ["input has shape (2, 3, 7, 6)"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", F("agree_conv1d_unbatched_y.npy")], ["output to check has shape (2, 6)"] },
        { ["check", "--op", "tconv", "--input", X, "--weight", W, "--output", Y], ["conv_transpose weight"] },
        { ["check", "--op", "conv", "--input", X, "--weight", W, "--output", Y, "--auto-pad", "same-upper", "--padding", "1"], ["auto_pad=SAME_UPPER and padding=1"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void BadInputExitsTwoWithOneLine(string[] template, string[] mentions)
    {
        using var cli = new CliHarness();
        File.WriteAllBytes(cli.PathOf("garbage.npy"), "this is not an array"u8.ToArray());
        var args = template.Select(a => a.Replace("{dir}", cli.Directory).Replace("{garbage}", cli.PathOf("garbage.npy"))).ToArray();
        CliHarness.AssertBadInput(cli.Run(args), mentions);
        Assert.Equal(["garbage.npy"], cli.Files());
    }

    [Fact]
    public void TheAgreeCaseAgreesWithItsBias()
    {
        using var cli = new CliHarness();
        var (code, stdout, _) = cli.Run("check", "--op", "conv", "--input", X, "--weight", W, "--output", Y, "--bias", B, "--padding", "1", "--stride", "2");
        Assert.Equal(0, code);
        Assert.StartsWith("agree (max rel err ", stdout);
    }
}
