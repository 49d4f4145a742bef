namespace ConvAsMatrix.Proofs;

/// <summary>Proof 12: every padding mode is a matrix P; V = C·P, so taps that fold onto one input element add up.</summary>
public sealed class PaddingModesAsMatrices : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [5, 5], Kernel = [3, 3], Padding = "1", Mode = PaddingMode.Reflect };

    public override string Claim => "Padding modes zeros/reflect/replicate/circular are matrices P with V = C·P; folded taps add up.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "tconv = nn.ConvTranspose2d(1, 1, kernel_size=2, padding=1, bias=False)",
            "The seed pads with zeros only. PyTorch's Conv also offers padding_mode = reflect, replicate, circular:\n" +
            "the input is first padded (F.pad), then correlated without padding.");
        page.Say("\nPadding is itself linear: xpad = P·x, where row q of P is the unit vector of the input element that\n" +
                 "position q copies (a zero row for zeros padding). So V = C·P with C the unpadded correlation on xpad.\n" +
                 "A column of V sums the taps that read that element, so entries like k₀ + k₁ appear. Each P below is\n" +
                 "written from PyTorch's definitions in this file; C·P is checked against the library's V and the probe.\n" +
                 "The transposed convolution is Vᵀ = Pᵀ·Cᵀ: scatter, then Pᵀ crops (zeros) or folds each padded position back\n" +
                 "onto the element it copied (the other modes), which PyTorch's ConvTranspose does not offer.");

        const int n = 3, taps = 3, pad = 2;
        var k = Symbolic.Kernel("k", taps);
        var c = ChannelsAreBlocks.Banded(k, n + 2 * pad - taps + 1, n + 2 * pad);
        page.Heading($"1-d: input {n}, kernel {taps}, padding {pad} → output {n + 2 * pad - taps + 1}; C is the correlation on the padded length {n + 2 * pad}");
        page.Show("C =", c);

        foreach (var mode in Enum.GetValues<PaddingMode>())
        {
            page.Heading($"padding_mode = '{mode.ToString().ToLowerInvariant()}'");
            var p = PaddingMatrix(mode, n, pad);
            var g = ConvGeometry.ForConv([1, 1, n], [1, 1, taps], new ConvOptions { Padding = pad, PaddingMode = mode });
            var v = ConvolutionMatrix<Symbolic>.Compile(k, g).ToDense();
            page.ShowSideBySide(true, ("P =", Dense.Map(p, x => (Symbolic)x)), ("V =", v));
            page.CheckEqual("the library's V = C·P", Dense.Multiply(c, Dense.Map(p, x => (Symbolic)x)), v);
            page.CheckEqual("V = V probed from the direct correlation", Probe.Matrix(g, k), v);
            page.Check("2-d, 4×5 input, 3×3 kernel, padding (1:2, 2:1), stride 2: V·x = direct correlation and Vᵀ·y = direct scatter", Agrees2d(mode));
        }

        page.Heading("Spy plots: the four modes in 2-d, 5×5 input, 3×3 kernel, padding 1");
        var k2 = Symbolic.Kernel("k", 3, 3);
        var modes = Enum.GetValues<PaddingMode>().Select(mode => TapGridFigure.Compile($"{mode.ToString().ToLowerInvariant()}: V (25×25)", k2,
            ConvGeometry.ForConv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Padding = 1, PaddingMode = mode })) with { ColumnBlock = 5, RowBlock = 5 }).ToList();
        page.Figure(new TapGridFigure(
            "V (25×25) of a 3×3 kernel on a 5×5 input with padding 1 in each mode, coloured by tap, rules between image rows. Zeros padding drops the " +
            "taps that fall outside; reflect and replicate fold them back onto the border (striped cells: taps that add up); circular wraps them to the " +
            "opposite side, where on an input wider than the kernel they meet no other tap.",
            modes, showEntries: false));
        page.Check("reflect and replicate fold taps together at the border; zeros drops them and circular (input 5 > kernel 3) wraps them without folding",
            modes.Select(p => Dense.Flatten(p.Matrix).Any(s => s.Symbols.Count > 1)).SequenceEqual([false, true, true, false]));
    }

    /// <summary>The (n + 2·pad)×n matrix of F.pad(x, (pad, pad), mode): row q is the unit vector of the element position q copies.</summary>
    private static long[,] PaddingMatrix(PaddingMode mode, int n, int pad)
    {
        var p = new long[n + 2 * pad, n];
        for (int q = 0; q < n + 2 * pad; q++)
        {
            int i = q - pad;
            int source = i >= 0 && i < n ? i : mode switch
            {
                PaddingMode.Zeros => -1,                        // ...0 0 | a b c | 0 0...
                PaddingMode.Reflect => i < 0 ? -i : 2 * (n - 1) - i, // ...c b | a b c | b a...: the edge is not repeated
                PaddingMode.Replicate => Math.Clamp(i, 0, n - 1), // ...a a | a b c | c c...
                PaddingMode.Circular => (i % n + n) % n,        // ...b c | a b c | a b...
                _ => throw new ArgumentOutOfRangeException(nameof(mode)),
            };
            if (source >= 0) p[q, source] = 1;
        }
        return p;
    }

    private static bool Agrees2d(PaddingMode mode)
    {
        var g = ConvGeometry.ForConv([1, 2, 4, 5], [2, 2, 3, 3],
            new ConvOptions { Padding = Padding.Asymmetric((1, 2), (2, 1)), Stride = [2], PaddingMode = mode });
        var x = Samples.Integers(g.InputShape, seed: 41);
        var w = Samples.Integers(g.WeightShape, seed: 42);
        var y = Samples.Integers(g.OutputShape, seed: 43);
        var v = ConvolutionMatrix<long>.Compile(w, g);
        var vx = new long[g.OutputLength];
        var cx = new long[g.OutputLength];
        var vty = new long[g.InputLength];
        var sy = new long[g.InputLength];
        v.Multiply(x.Data, vx);
        v.TransposeMultiply(y.Data, vty);
        DirectCorrelation.Apply<long>(g, x.Data, w.Data, cx);
        DirectScatter.Apply<long>(g, y.Data, w.Data, sy);
        return vx.SequenceEqual(cx) && vty.SequenceEqual(sy);
    }
}
