using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// <c>convmat check --op conv-grad-input|conv-grad-weight|tconv-grad-input|tconv-grad-weight</c>: the right gradient
/// (from the textbook loops, <see cref="GradientCase"/>) agrees; a gradient made wrong by one mistake — applied here,
/// by index maps of this file or the loops on the mistaken operands, not by the checker's code — is named by it
/// alone; a gradient wrong in another way is "unexplained".
/// </summary>
public class CheckGradientCommandTests
{
    /// <summary>A check of a claimed gradient: the case, the --op, the claimed array and the verdict it must end with.</summary>
    private sealed record Claim(string Case, string Op, Func<GradientCase, (double[] Data, int[] Shape)> Claimed, string Verdict, bool Float32 = false);

    private static (double[], int[]) D(long[] data, int[] shape) => (data.Select(v => (double)v).ToArray(), shape);

    private static readonly Dictionary<string, Claim> Claims = new()
    {
        // ---- the right gradients agree: each op, float64 and float32, batched and unbatched, padding modes ----
        ["agree_conv_grad_input"] = new("conv2d_groups_stride_pad", "conv-grad-input", c => D(c.InputGrad, c.InputShape), "agree"),
        ["agree_conv_grad_input_circular"] = new("conv2d_asymmetric_circular", "conv-grad-input", c => D(c.InputGrad, c.InputShape), "agree"),
        ["agree_conv_grad_weight_3d"] = new("conv3d_stride_pad", "conv-grad-weight", c => D(c.WeightGrad, c.WeightShape), "agree"),
        ["agree_conv_grad_weight_reflect"] = new("conv1d_dilation_reflect", "conv-grad-weight", c => D(c.WeightGrad, c.WeightShape), "agree"),
        ["agree_tconv_grad_input_unbatched"] = new("tconv2d_unbatched", "tconv-grad-input", c => D(c.InputGrad, c.InputShape), "agree"),
        ["agree_tconv_grad_weight_float32"] = new("tconv3d_stride_groups", "tconv-grad-weight", c => D(c.WeightGrad, c.WeightShape), "agree", Float32: true),
        ["agree_tconv_grad_input_replicate"] = new("tconv1d_replicate", "tconv-grad-input", c => D(c.InputGrad, c.InputShape), "agree"),
        ["agree_tconv_grad_weight_output_size"] = new("tconv1d_dilation_stride_output_size", "tconv-grad-weight", c => D(c.WeightGrad, c.WeightShape), "agree"),

        // ---- the gradients' own mistakes ----
        ["batch_mean_conv_grad_weight"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => (c.WeightGrad.Select(v => v / 2.0).ToArray(), c.WeightShape), "disagree: batch-mean"),
        ["batch_mean_tconv_grad_input"] = new("tconv2d_groups_stride_outpad", "tconv-grad-input",
            c => (c.InputGrad.Select(v => v / 2.0).ToArray(), c.InputShape), "disagree: batch-mean"),
        ["weight_grad_flipped_conv"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => D(Remap(c.WeightGrad, c.WeightShape, c.WeightShape, i => Flipped(i, c.WeightShape)), c.WeightShape), "disagree: weight-grad-flipped"),
        ["weight_grad_flipped_tconv"] = new("tconv3d_stride_groups", "tconv-grad-weight",
            c => D(Remap(c.WeightGrad, c.WeightShape, c.WeightShape, i => Flipped(i, c.WeightShape)), c.WeightShape), "disagree: weight-grad-flipped"),
        // conv 4 → 6 channels, groups 2: the gradient (6, 2, 3, 3) written as (C_in, C_out/g) = (4, 3, 3, 3), with that shape...
        ["weight_grad_transposed_conv_own_shape"] = new("conv2d_groups_stride_pad", "conv-grad-weight", c => OtherLayout(c, 2), "disagree: weight-grad-transposed"),
        // ... or that buffer labelled with the right shape.
        ["weight_grad_transposed_conv_right_shape"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => (OtherLayout(c, 2).Data, c.WeightShape), "disagree: weight-grad-transposed"),
        ["weight_grad_transposed_square"] = new("conv2d_square_channels", "conv-grad-weight",
            c => D(Remap(c.WeightGrad, c.WeightShape, c.WeightShape, i => [i[1], i[0], .. i[2..]]), c.WeightShape), "disagree: weight-grad-transposed"),
        // tconv 4 → 6 channels, groups 2: its gradient (4, 3, 3, 3) written in conv's layout (6, 2, 3, 3).
        ["weight_grad_transposed_tconv"] = new("tconv2d_groups_stride_outpad", "tconv-grad-weight", c => OtherLayout(c, 2), "disagree: weight-grad-transposed"),

        // ---- the forward mistakes, as a backward kernel makes them ----
        ["flipped_kernel_conv_grad_input"] = new("conv2d_groups_stride_pad", "conv-grad-input",
            c => D(c.InputGradOf(c.Geometry, c.G, Remap(c.W, c.WeightShape, c.WeightShape, i => Flipped(i, c.WeightShape))), c.InputShape), "disagree: flipped-kernel"),
        // tconv weight (4, 2, 2, 3), groups 1: its buffer read as conv's layout (2, 4, 2, 3).
        ["swapped_channels_tconv_grad_input"] = new("tconv2d_unbatched", "tconv-grad-input",
            c => D(c.InputGradOf(c.Geometry, c.G, Remap(c.W, [2, 4, 2, 3], c.WeightShape, i => [i[1], i[0], .. i[2..]])), c.InputShape), "disagree: swapped-channels"),
        // padding 1 on each side taken as 2 before, 0 after (SAME_LOWER for SAME_UPPER's place): the same output size.
        ["padding_shifted_conv_grad_weight"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => D(c.WeightGradOf(ConvGeometry.ForConv(c.InputShape, c.WeightShape, c.Conv! with { Padding = Padding.Asymmetric((2, 0), (2, 0)) }), c.X, c.G), c.WeightShape),
            "disagree: padding-shifted"),
        // The forward pass put output_padding's zero at the start: its gradients read g without its first row and column.
        ["output_padding_wrong_side_tconv_grad_weight"] = new("tconv2d_groups_stride_outpad", "tconv-grad-weight",
            c => D(c.WeightGradOf(WithoutOutputPadding(c), c.X, CroppedG(c)), c.WeightShape), "disagree: output-padding-wrong-side"),
        ["output_padding_wrong_side_tconv_grad_input"] = new("tconv2d_groups_stride_outpad", "tconv-grad-input",
            c => D(c.InputGradOf(WithoutOutputPadding(c), CroppedG(c), c.W), c.InputShape), "disagree: output-padding-wrong-side"),
        ["groups_ignored_conv_grad_weight"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => D(c.WeightGradOf(c.Geometry, Remap(c.X, c.InputShape, c.InputShape, i => [i[0], i[1] % 2, .. i[2..]]), c.G), c.WeightShape), "disagree: groups-ignored"),
        // The input gradient of a forward pass that read group 0 everywhere: every group's gradient lands in group 0.
        ["groups_ignored_conv_grad_input"] = new("conv2d_groups_stride_pad", "conv-grad-input", SummedIntoFirstGroup, "disagree: groups-ignored"),
        // OHWI: the weight gradient in (C_out, *k, C_in/g) memory order, labelled (C_out, C_in/g, *k).
        ["channels_last_conv_grad_weight"] = new("conv2d_asymmetric_circular", "conv-grad-weight",
            c => D(Remap(c.WeightGrad, c.WeightShape, [4, 3, 2, 3], i => [i[0], i[3], i[1], i[2]]), c.WeightShape), "disagree: channels-last"),
        ["channels_last_tconv_grad_input"] = new("tconv2d_groups_stride_outpad", "tconv-grad-input",
            c => D(Remap(c.InputGrad, c.InputShape, [2, 4, 3, 4], i => [i[0], i[3], i[1], i[2]]), c.InputShape), "disagree: channels-last"),
        // A 3×2 kernel's gradient with its axes exchanged: the shape (4, 3, 2, 3) itself is explained.
        ["transposed_spatial_conv_grad_weight"] = new("conv2d_asymmetric_circular", "conv-grad-weight",
            c => D(Remap(c.WeightGrad, c.WeightShape, [4, 3, 2, 3], i => [i[0], i[1], i[3], i[2]]), [4, 3, 2, 3]), "disagree: transposed-spatial"),

        ["stride_dilation_swapped_conv_grad_weight"] = new("conv1d_stride_dilation_exchangeable", "conv-grad-weight",
            c => D(c.WeightGradOf(ConvGeometry.ForConv(c.InputShape, c.WeightShape, c.Conv! with { Stride = [3], Dilation = [2] }), c.X, c.G), c.WeightShape),
            "disagree: stride-dilation-swapped"),
        // Padding 1 ignored where the output keeps its size: the last window ends inside the input, so this is the same
        // gradient as all the padding after it, and named so (no-padding is a forward mistake only).
        ["no_padding_conv_grad_input"] = new("conv1d_stride3_pad1", "conv-grad-input",
            c => D(c.InputGradOf(ConvGeometry.ForConv(c.InputShape, c.WeightShape, c.Conv! with { Padding = Padding.Zero }), c.G, c.W), c.InputShape),
            "disagree: padding-shifted"),

        // ---- wrong in other ways: not misnamed ----
        ["unexplained_times_batch"] = new("conv2d_groups_stride_pad", "conv-grad-weight",
            c => (c.WeightGrad.Select(v => v * 2.0).ToArray(), c.WeightShape), "disagree: unexplained"),
        ["unexplained_one_element"] = new("conv2d_groups_stride_pad", "conv-grad-input", OneElementOff, "disagree: unexplained"),
        ["unexplained_flipped_and_one_element"] = new("tconv3d_stride_groups", "tconv-grad-weight", c =>
        {
            var data = Remap(c.WeightGrad, c.WeightShape, c.WeightShape, i => Flipped(i, c.WeightShape)).Select(v => (double)v).ToArray();
            data[5] += 3;
            return (data, c.WeightShape);
        }, "disagree: unexplained"),
    };

    public static TheoryData<string> Names() => new(Claims.Keys);

    private static string[] CommandLine(CliHarness cli, Claim claim)
    {
        var c = GradientCase.Named(claim.Case);
        var arrays = c.WriteArrays(cli.Directory, claim.Float32);
        var (data, shape) = claim.Claimed(c);
        var output = cli.PathOf("claimed.npy");
        if (claim.Float32) Npy.WriteFile(output, Tensor.From(data.Select(v => (float)v).ToArray(), shape));
        else Npy.WriteFile(output, Tensor.From(data, shape));
        return ["check", "--op", claim.Op, .. arrays, "--output", output, .. c.Args];
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TheVerdictNamesTheMistakeTheGradientWasMadeWith(string name)
    {
        var claim = Claims[name];
        using var cli = new CliHarness();
        var (code, stdout, stderr) = cli.Run(CommandLine(cli, claim));
        Assert.Equal("", stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (claim.Verdict == "agree")
        {
            Assert.Equal(0, code);
            Assert.Matches(@"^agree \(max rel err [0-9.E+-]+\)$", Assert.Single(lines));
            return;
        }
        Assert.Equal(1, code);
        Assert.Equal(claim.Verdict, lines[^1]);
        var reproduced = lines.Where(l => l.StartsWith("reproduced by ", StringComparison.Ordinal)).ToArray();
        if (claim.Verdict == "disagree: unexplained") Assert.Empty(reproduced);
        else Assert.StartsWith($"reproduced by {claim.Verdict["disagree: ".Length..]}: ", Assert.Single(reproduced));
        Assert.Equal(["claimed.npy", "g.npy", "w.npy", "x.npy"], cli.Files().Order());
    }

    [Fact]
    public void EachNewMistakeIsNamedForConvAndTconvAndAppliesOnlyWhereItCanHappen()
    {
        foreach (var id in new[] { "batch-mean", "weight-grad-flipped", "weight-grad-transposed" })
            foreach (var op in new[] { "conv-grad", "tconv-grad" })
                Assert.Contains(Claims.Values, c => c.Verdict == $"disagree: {id}" && c.Op.StartsWith(op + "-", StringComparison.Ordinal));
        var byId = ConvolutionMistake.All.ToDictionary(m => m.Id);
        Assert.Equal(ConvolutionMistake.All.Count, byId.Count);
        foreach (var op in Enum.GetValues<CheckedOperation>())
        {
            bool forward = op is CheckedOperation.Conv or CheckedOperation.ConvTranspose;
            bool weight = op is CheckedOperation.ConvGradWeight or CheckedOperation.ConvTransposeGradWeight;
            Assert.Equal(forward, byId["bias-missing"].AppliesTo(op));
            Assert.Equal(forward, byId["bias-twice"].AppliesTo(op));
            Assert.Equal(!forward, byId["batch-mean"].AppliesTo(op));
            Assert.Equal(weight, byId["weight-grad-flipped"].AppliesTo(op));
            Assert.Equal(weight, byId["weight-grad-transposed"].AppliesTo(op));
            Assert.Equal(!weight, byId["flipped-kernel"].AppliesTo(op));
            Assert.True(byId["padding-shifted"].AppliesTo(op));
            Assert.Equal(forward, byId["no-padding"].AppliesTo(op));
        }
    }

    [Fact]
    public void AWrongElementOfAGradientIsLocatedAndTheReferenceNamed()
    {
        using var cli = new CliHarness();
        var (_, stdout, _) = cli.Run(CommandLine(cli, Claims["unexplained_one_element"]));
        // Input gradient element (1, 2, 3, 4) off by 1.
        Assert.Contains("1 elements beyond tolerance", stdout);
        Assert.Contains("channels 2; positions 3..3 x 4..4", stdout);
        Assert.Contains("worst at (1, 2, 3, 4)", stdout);
        Assert.Contains("where Vᵀ·g gives", stdout);
        var shape = cli.Run(CommandLine(cli, Claims["weight_grad_transposed_conv_own_shape"])).Out;
        Assert.Contains("shape (4, 3, 3, 3) where U(x)ᵀ·g gives (6, 2, 3, 3)", shape);
    }

    private static string F(CliHarness cli, string name) => cli.PathOf(name);

    public static TheoryData<string[], string[]> BadCommandLines => new()
    {
        { ["--op", "conv-grad-weight", "--input", "{x}", "--weight", "{w}", "--output", "{w}"], ["--op conv-grad-weight requires --grad-output"] },
        { ["--op", "conv-grad-input", "--input", "{x}", "--weight", "{w}", "--grad-output", "{g}", "--output", "{x}", "--bias", "{b}"], ["--bias is an option of --op conv and tconv, not of --op conv-grad-input"] },
        { ["--op", "conv", "--input", "{x}", "--weight", "{w}", "--grad-output", "{g}", "--output", "{g}"], ["--grad-output is an option of the gradient ops", "not of --op conv"] },
        { ["--op", "conv-grad-weight", "--input", "{x}", "--weight", "{w}", "--grad-output", "{x}", "--output", "{w}"], ["grad_output has shape (2, 4, 7, 6) but the conv output it is the gradient of has shape (2, 6, 4, 3)"] },
        { ["--op", "conv-grad-weight", "--input", "{x}", "--weight", "{w}", "--grad-output", "{g}", "--output", "{b}"], ["the output to check has shape (6) (1 dimensions) but the weight (6, 2, 3, 3) has 4"] },
        { ["--op", "conv-grad-weight", "--input", "{x}", "--weight", "{w}", "--grad-output", "{g}", "--output", "{w}", "--output-padding", "1"], ["--output-padding is an option of --op tconv, tconv-grad-input and tconv-grad-weight, not of --op conv-grad-weight"] },
        { ["--op", "conv-grad-bias", "--input", "{x}", "--weight", "{w}", "--grad-output", "{g}", "--output", "{w}"], ["--op 'conv-grad-bias' is not one of conv, tconv, conv-grad-input, conv-grad-weight, tconv-grad-input, tconv-grad-weight"] },
    };

    [Theory]
    [MemberData(nameof(BadCommandLines))]
    public void BadInputExitsTwoWithOneLine(string[] template, string[] mentions)
    {
        var c = GradientCase.Named("conv2d_groups_stride_pad");
        using var cli = new CliHarness();
        c.WriteArrays(cli.Directory);
        GradientCase.Write(cli.PathOf("b.npy"), new long[6], [6]);
        var args = template.Select(a => a.Replace("{x}", F(cli, "x.npy")).Replace("{w}", F(cli, "w.npy")).Replace("{g}", F(cli, "g.npy")).Replace("{b}", F(cli, "b.npy")));
        CliHarness.AssertBadInput(cli.Run(["check", .. args, .. c.Args]), mentions);
    }

    private static int[] Flipped(int[] index, int[] shape) => [index[0], index[1], .. index[2..].Select((t, d) => shape[d + 2] - 1 - t)];

    /// <summary>The weight gradient (A, B, *k) in the other layout (B·g, A/g, *k): element [gi·B + b, a] is [gi·A/g + a, b].</summary>
    private static (double[] Data, int[] Shape) OtherLayout(GradientCase c, int groups)
    {
        int[] s = c.WeightShape, other = [s[1] * groups, s[0] / groups, .. s[2..]];
        return D(Remap(c.WeightGrad, s, other, i => [i[0] / s[1] * (s[0] / groups) + i[1], i[0] % s[1], .. i[2..]]), other);
    }

    private static ConvGeometry WithoutOutputPadding(GradientCase c) =>
        ConvGeometry.ForConvTranspose(c.InputShape, c.WeightShape, c.Tconv! with { OutputPadding = [0] });

    private static long[] CroppedG(GradientCase c)
    {
        int[] full = c.OutputShape, cropped = [full[0], full[1], .. full[2..].Select(s => s - 1)];
        return Remap(c.G, full, cropped, i => [i[0], i[1], .. i[2..].Select(t => t + 1)]);
    }

    private static (double[] Data, int[] Shape) SummedIntoFirstGroup(GradientCase c)
    {
        var right = c.InputGrad;
        int[] s = c.InputShape;
        int plane = s[2] * s[3], perGroup = s[1] / 2;
        var result = new double[right.Length];
        for (int i = 0; i < right.Length; i++)
        {
            int n = i / (s[1] * plane), channel = i / plane % s[1], p = i % plane;
            result[(n * s[1] + channel % perGroup) * plane + p] += right[i];
        }
        return (result, s);
    }

    private static (double[] Data, int[] Shape) OneElementOff(GradientCase c)
    {
        var data = c.InputGrad.Select(v => (double)v).ToArray();
        int[] s = c.InputShape;
        data[((1 * s[1] + 2) * s[2] + 3) * s[3] + 4] += 1;
        return (data, s);
    }

    /// <summary>A tensor of shape <paramref name="to"/> whose element at index i is <paramref name="data"/>'s (shape <paramref name="from"/>) at source(i).</summary>
    private static long[] Remap(long[] data, int[] from, int[] to, Func<int[], int[]> source)
    {
        var result = new long[GradientCase.Size(to)];
        var index = new int[to.Length];
        for (int flat = 0; flat < result.Length; flat++)
        {
            for (int d = to.Length - 1, rest = flat; d >= 0; d--)
            {
                index[d] = rest % to[d];
                rest /= to[d];
            }
            var src = source(index);
            int offset = 0;
            for (int d = 0; d < from.Length; d++) offset = offset * from[d] + src[d];
            result[flat] = data[offset];
        }
        return result;
    }
}
