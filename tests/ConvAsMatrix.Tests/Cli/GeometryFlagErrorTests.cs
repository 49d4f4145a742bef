namespace ConvAsMatrix.Tests.Cli;

/// <summary>The flags of issue 9 (--auto-pad, --output-shape, --output-size) in bad combinations: exit 2, one line naming both, no output file.</summary>
public class GeometryFlagErrorTests
{
    private static string F(string name) => CliHarness.Fixture(name);

    // tconv: input (1, 2, 3, 3), weight (2, 1, 3, 3), bias (1); conv: input (2, 3, 5, 5), weight (4, 3, 3, 3).
    private static readonly string TX = F("tconv2d_output_shape_smaller_x.npy"), TW = F("tconv2d_output_shape_smaller_w.npy");
    private static readonly string X = F("conv2d_pad1_bias_x.npy"), W = F("conv2d_pad1_bias_w.npy");

    public static TheoryData<string[], string[]> BadCommandLines => new()
    {
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-shape", "5,6", "--padding", "1"], ["output_shape (5, 6) derives the padding", "padding=1"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-shape", "5,6", "--output-size", "7,7"], ["output_shape (5, 6)", "output_size (7, 7)"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--stride", "2", "--output-size", "9,7"], ["requested an output size of (9, 7)", "valid sizes range from (7, 7) to (8, 8)"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-size", "7"], ["output_size (7) has 1 values", "needs 2"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--stride", "2", "--output-size", "7,7", "--output-padding", "1"], ["output_size (7, 7) chooses output_padding", "output_padding (1, 1)"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-shape", "5,6", "--auto-pad", "valid"], ["output_shape (5, 6)", "auto_pad=VALID"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-size", "5,5", "--auto-pad", "same-lower"], ["output_size (5, 5)", "auto_pad=SAME_LOWER"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--auto-pad", "same-upper", "--padding", "1:0,0:1"], ["auto_pad=SAME_UPPER and padding=1:0,0:1"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-shape", "0,5"], ["--output-shape '0,5'", ">= 1"] },
        { ["tconv", "--input", TX, "--weight", TW, "--out", "{out}", "--output-shape", "9,9", "--padding-mode", "reflect"], ["output_shape asks for output size 9", "negative", "zeros"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--auto-pad", "same-upper", "--padding", "1"], ["auto_pad=SAME_UPPER and padding=1"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--auto-pad", "same"], ["--auto-pad 'same'", "notset, same-upper, same-lower, valid"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--output-shape", "3,3"], ["unrecognized", "'--output-shape'"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--auto-pad", "valid", "--dilation", "3"], ["output size would be", "dilation 3"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void ExitsTwoWithOneLineAndNoOutputFile(string[] template, string[] mentions)
    {
        using var cli = new CliHarness();
        var args = template.Select(a => a.Replace("{out}", cli.PathOf("out.npy"))).ToArray();
        CliHarness.AssertBadInput(cli.Run(args), mentions);
        Assert.Empty(cli.Files());
    }
}
