namespace ConvAsMatrix.Proofs;

/// <summary>Proof 10: grouped convolution's V is block diagonal, one ordinary convolution per group.</summary>
public sealed class GroupsAreBlockDiagonal : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [3], Kernel = [2], InChannels = 4, OutChannels = 4, Groups = 2 };

    public override string Claim => "Groups: V is block diagonal, one C_in/G → C_out/G convolution per group.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Say("The seed does not use groups; PyTorch's Conv2d(groups=G) splits the channels into G groups, and output\n" +
                 "channel co reads only the input channels of its own group: every other block of V is zero.");

        page.Heading("4 → 4 channels, groups = 2, 1-d: input 3, kernel 2 → output 2");
        var weight = Symbolic.Kernels(8, 2);  // (C_out = 4, C_in / groups = 2, 2)
        page.Say("w[co, c] for c in the group's 2 input channels: w[0,·] = a, b; w[1,·] = c, d; w[2,·] = e, f; w[3,·] = g, h");
        var g = ConvGeometry.ForConv([1, 4, 3], [4, 2, 2], new ConvOptions { Groups = 2 });
        var v = ConvolutionMatrix<Symbolic>.Compile(weight, g).ToDense();
        page.Show("V =", v, rowBlock: 4, columnBlock: 6);
        page.Say("(rules between the groups: output channels 0–1 × input channels 0–1, and 2–3 × 2–3)");
        page.CheckEqual("V equals V probed from the direct correlation", Probe.Matrix(g, weight), v);
        page.Check("both off-diagonal group blocks (4×6) are zero",
            Dense.Flatten(Dense.Block(v, 0, 6, 4, 6)).All(s => s.IsZero) && Dense.Flatten(Dense.Block(v, 4, 0, 4, 6)).All(s => s.IsZero));
        var perGroup = ConvGeometry.ForConv([1, 2, 3], [2, 2, 2]);
        for (int group = 0; group < 2; group++)
        {
            var groupWeight = weight.AsSpan(group * 8, 8); // output channels 2·group, 2·group + 1
            var expected = ConvolutionMatrix<Symbolic>.Compile(groupWeight, perGroup).ToDense();
            page.CheckEqual($"diagonal block {group} is the V of an ungrouped 2 → 2 convolution with that group's weights",
                expected, Dense.Block(v, group * 4, group * 6, 4, 6));
        }

        page.Heading("Depthwise (groups = C_in = C_out = 3): one single-channel V per channel on the diagonal");
        var depthwise = ConvGeometry.ForConv([1, 3, 4], [3, 1, 2], new ConvOptions { Groups = 3 });
        var dw = Symbolic.Kernels(3, 2);
        var vd = ConvolutionMatrix<Symbolic>.Compile(dw, depthwise).ToDense();
        page.Show("V =", vd, rowBlock: 3, columnBlock: 4);
        bool diagonal = true;
        for (int a = 0; a < 3; a++)
            for (int b = 0; b < 3; b++)
            {
                var block = Dense.Block(vd, a * 3, b * 4, 3, 4);
                diagonal &= a == b ? Dense.Equal(block, ChannelsAreBlocks.Banded(dw.AsSpan(a * 2, 2), 3, 4)) : Dense.Flatten(block).All(s => s.IsZero);
            }
        page.Check("diagonal blocks are the banded matrices of a, b, c; every other block is zero", diagonal);
        page.CheckEqual("and V equals V probed from the direct correlation", Probe.Matrix(depthwise, dw), vd);

        page.Heading("Spy plots: 4 → 4 channels, 1-d input 5, kernel 3, padding 1, groups 1, 2 and 4");
        var panels = new[] { 1, 2, 4 }.Select(groups =>
        {
            var geometry = ConvGeometry.ForConv([1, 4, 5], [4, 4 / groups, 3], new ConvOptions { Padding = 1, Groups = groups });
            return TapGridFigure.Compile($"groups = {groups}", Symbolic.Kernels(16 / groups, 3), geometry) with { RowBlock = 5, ColumnBlock = 5 };
        }).ToList();
        page.Figure(new TapGridFigure(
            "V (20×20) for groups 1, 2 and 4 (depthwise), rules between channels, coloured by tap position. With G groups only the G diagonal " +
            "group blocks are non-zero: V is block diagonal, and the number of stored entries falls from 4·4 to 4·4/G channel blocks.",
            panels, showEntries: false, TapGridFigure.Colouring.Tap));
        page.Check("the spy plots' stored entries fall as 1 : 1/2 : 1/4 with groups 1, 2, 4",
            panels.Select(p => Dense.Flatten(p.Matrix).Count(s => !s.IsZero)).ToList() is [var one, var two, var four] && one == 2 * two && two == 2 * four);
    }
}
