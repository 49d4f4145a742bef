namespace ConvAsMatrix.Tests.Cli;

/// <summary>Bad input of every kind: exit code 2, one line on stderr naming the problem, no stack trace, no output file, an existing output untouched.</summary>
public class ErrorTests
{
    private static string F(string name) => CliHarness.Fixture(name);

    // A 2-d case with bias: input (2, 3, 5, 5), weight (4, 3, 3, 3), bias (4).
    private static readonly string X = F("conv2d_pad1_bias_x.npy"), W = F("conv2d_pad1_bias_w.npy"), B = F("conv2d_pad1_bias_b.npy");

    public static TheoryData<string[], string[]> BadCommandLines => new()
    {
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--frobnicate", "3"], ["unrecognized", "'--frobnicate'", "convmat conv --help"] },
        { ["transpose-it"], ["unrecognized", "'transpose-it'"] },
        // Fuzz crash (cli): '@/' was read as a response file and its UnauthorizedAccessException escaped. No response files.
        { ["@/"], ["unrecognized", "'@/'"] },
        { ["conv", "@{garbage}"], ["unrecognized", "'@"] },
        // Fuzz crash (cli): a token holding a newline, quoted in the error, made it two lines. Escaped.
        { ["conv", "a\nb\u001b"], ["unrecognized argument 'a\\nb\\u001b'"] },
        { ["conv", "--input", X, "--out", "{out}"], ["--weight", "required"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--stride", "0"], ["--stride '0'", ">= 1"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--stride", "2,x"], ["--stride '2,x'"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--stride", "1,1,1"], ["stride has 3 values", "2-d convolution"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--dilation", "-1"], ["--dilation '-1'"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--padding", "1:2:3"], ["--padding '1:2:3'"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--padding", "same", "--stride", "2"], ["padding='same' needs stride 1"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--padding-mode", "mirror"], ["--padding-mode 'mirror'", "zeros, reflect, replicate, circular"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--method", "fft"], ["--method 'fft'", "matrix, direct"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--groups", "0"], ["groups must be >= 1, got 0"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--groups", "3"], ["3 channels", "groups=3"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--groups", "two"], ["--groups", "two"] },
        { ["conv", "--input", X, "--weight", F("conv2d_groups_w.npy"), "--out", "{out}"], ["input has 3 channels"] },
        // (2, 2, 9) with a 2-d weight is PyTorch's unbatched (C, H, W): 2 channels where the weight wants 3.
        { ["conv", "--input", F("conv1d_stride_dilation_x.npy"), "--weight", W, "--out", "{out}"], ["input has 2 channels", "weight (4, 3, 3, 3)"] },
        { ["conv", "--input", F("conv1d_stride_dilation_x.npy"), "--weight", F("conv3d_stride_pad_w.npy"), "--out", "{out}"], ["input has shape (2, 2, 9)", "5 dimensions"] },
        { ["conv", "--input", X, "--weight", W, "--bias", F("conv2d_groups_b.npy"), "--out", "{out}"], ["bias has shape (6); expected (4)"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--padding-mode", "reflect", "--padding", "5"], ["reflect padding (5, 5)", "smaller than the input size 5"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{out}", "--dilation", "4"], ["output size would be -3", "dilation 4"] },
        { ["conv", "--input", "{dir}/missing.npy", "--weight", W, "--out", "{out}"], ["--input", "missing.npy", "no such file"] },
        { ["conv", "--input", "{dir}", "--weight", W, "--out", "{out}"], ["--input", "is a directory"] },
        { ["conv", "--input", "{garbage}", "--weight", W, "--out", "{out}"], ["garbage.npy", "not a valid .npy file", "magic"] },
        { ["conv", "--input", "{truncated}", "--weight", W, "--out", "{out}"], ["truncated.npy", "truncated"] },
        { ["conv", "--input", F("reject_int64.npy"), "--weight", W, "--out", "{out}"], ["input has shape (6)"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{dir}/no/such/dir/y.npy"], ["--out", "does not exist"] },
        { ["conv", "--input", X, "--weight", W, "--out", "{dir}"], ["--out", "is a directory"] },
        { ["tconv", "--input", F("tconv2d_groups_x.npy"), "--weight", F("tconv2d_groups_w.npy"), "--out", "{out}", "--padding", "same"], ["'same' is not defined for conv_transpose"] },
        { ["tconv", "--input", F("tconv2d_groups_x.npy"), "--weight", F("tconv2d_groups_w.npy"), "--out", "{out}", "--groups", "2", "--output-padding", "3"], ["output_padding"] },
        { ["tconv", "--input", F("tconv2d_groups_x.npy"), "--weight", F("tconv2d_groups_w.npy"), "--out", "{out}", "--padding", "9"], ["conv_transpose output size would be"] },
        { ["compile", "--weight", W, "--input-shape", "3,5", "--out", "{out}"], ["--input-shape 3,5 has 1 spatial sizes but the weight (4, 3, 3, 3) has 2"] },
        { ["compile", "--weight", W, "--input-shape", "2,5,5", "--out", "{out}"], ["input has 2 channels"] },
        { ["compile", "--weight", W, "--out", "{out}"], ["--input-shape", "required"] },
        { ["compile", "--weight", X, "--input-shape", "3,4,4", "--out", "{out}"], ["kernel extent 5", "wider than the padded input 4"] },
        { ["show", "--weight", W, "--input-shape", "3,5,5", "--plot", "{dir}/v.jpg"], ["--plot", "must end in .png or .svg"] },
        { ["show", "--weight", F("reject_int64.npy"), "--input-shape", "3,5,5"], ["--weight", "holds int64 data"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void ExitsTwoWithOneLineAndNoOutputFile(string[] template, string[] mentions)
    {
        using var cli = new CliHarness();
        File.WriteAllBytes(cli.PathOf("garbage.npy"), "this is not an array"u8.ToArray());
        var whole = File.ReadAllBytes(X);
        File.WriteAllBytes(cli.PathOf("truncated.npy"), whole[..(whole.Length - 5)]);
        var args = template.Select(a => a.Replace("{out}", cli.PathOf("out.npy")).Replace("{dir}", cli.Directory)
            .Replace("{garbage}", cli.PathOf("garbage.npy")).Replace("{truncated}", cli.PathOf("truncated.npy"))).ToArray();
        CliHarness.AssertBadInput(cli.Run(args), mentions);
        Assert.Equal(["garbage.npy", "truncated.npy"], cli.Files().Order());
    }

    [Fact]
    public void AnExistingOutputIsNotClobberedOnFailure()
    {
        using var cli = new CliHarness();
        var outPath = cli.PathOf("y.npy");
        File.WriteAllText(outPath, "precious");
        // Fails after the arrays are read: the bias does not fit the weight.
        CliHarness.AssertBadInput(cli.Run("conv", "--input", X, "--weight", W, "--bias", F("conv2d_groups_b.npy"), "--out", outPath), "bias");
        Assert.Equal("precious", File.ReadAllText(outPath));
        var mtx = cli.PathOf("v.mtx");
        File.WriteAllText(mtx, "precious too");
        CliHarness.AssertBadInput(cli.Run("compile", "--weight", W, "--input-shape", "3,2,2", "--out", mtx), "size");
        Assert.Equal("precious too", File.ReadAllText(mtx));
        Assert.Equal(["v.mtx", "y.npy"], cli.Files().Order());
    }

    [Fact]
    public void ASuccessfulRunReplacesTheOutput()
    {
        using var cli = new CliHarness();
        var outPath = cli.PathOf("y.npy");
        File.WriteAllText(outPath, "old");
        var (code, _, err) = cli.Run("conv", "--input", X, "--weight", W, "--bias", B, "--padding", "1", "--out", outPath);
        Assert.True(code == 0, err);
        Assert.Equal([2, 4, 5, 5], Npy.ReadFile(outPath).Shape);
        Assert.Equal(["y.npy"], cli.Files());
    }
}
