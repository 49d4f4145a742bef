namespace ConvAsMatrix.Proofs;

/// <summary>Proof 11: dilation spreads the kernel's taps apart; V is the V of the kernel with zeros inserted between its taps.</summary>
public sealed class DilationSpreadsTaps : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [7], Kernel = [3], Dilation = [2] };

    public override string Claim => "Dilation d spreads the taps d apart: V = the V of the kernel with d − 1 zeros between its taps.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Say("The seed does not dilate; PyTorch's dilation=d reads x[o·s + t·d] for tap t, so in every row of V the\n" +
                 "kernel's entries stand d columns apart. The same V comes from the spread kernel [k₀, 0, k₁, 0, k₂] undilated.");

        page.Heading("1-d: input 7, kernel 3, dilation 2 → output 7 − 2·(3 − 1) = 3");
        var k = Symbolic.Kernel("k", 3);
        var g = ConvGeometry.ForConv([1, 1, 7], [1, 1, 3], new ConvOptions { Dilation = [2] });
        var v = ConvolutionMatrix<Symbolic>.Compile(k, g).ToDense();
        page.Show("V =", v);
        Symbolic[] spread = [k[0], 0, k[1], 0, k[2]];
        var spreadGeometry = ConvGeometry.ForConv([1, 1, 7], [1, 1, 5]);
        page.CheckEqual("V = V of the spread kernel [k₀, 0, k₁, 0, k₂] with dilation 1", ConvolutionMatrix<Symbolic>.Compile(spread, spreadGeometry).ToDense(), v);
        page.CheckEqual("V = V probed from the direct correlation", Probe.Matrix(g, k), v);

        page.Heading("2-d: 5×5 input, 2×2 kernel, dilation (2, 1), stride (1, 2), padding 1");
        var k2 = Symbolic.Kernel("k", 2, 2);
        var options = new ConvOptions { Dilation = [2, 1], Stride = [1, 2], Padding = 1 };
        var g2 = ConvGeometry.ForConv([1, 1, 5, 5], [1, 1, 2, 2], options);
        var v2 = ConvolutionMatrix<Symbolic>.Compile(k2, g2).ToDense();
        page.Say($"{g2}; V is {v2.GetLength(0)}×{v2.GetLength(1)} (not printed)");
        Symbolic[] spread2 = [k2[0], k2[1], 0, 0, k2[2], k2[3]]; // rows spread by 2: [[k₀₀, k₀₁], [0, 0], [k₁₀, k₁₁]]
        var g2Spread = ConvGeometry.ForConv([1, 1, 5, 5], [1, 1, 3, 2], options with { Dilation = [1] });
        page.CheckEqual("V = V of the kernel [[k₀₀, k₀₁], [0, 0], [k₁₀, k₁₁]] undilated", ConvolutionMatrix<Symbolic>.Compile(spread2, g2Spread).ToDense(), v2);
        page.CheckEqual("V = V probed from the direct correlation", Probe.Matrix(g2, k2), v2);

        page.Heading("Spy plots: dilation 1 and 2 on a 7×7 input, 3×3 kernel");
        var k3 = Symbolic.Kernel("k", 3, 3);
        var d1 = ConvGeometry.ForConv([1, 1, 7, 7], [1, 1, 3, 3]);
        var d2 = ConvGeometry.ForConv([1, 1, 7, 7], [1, 1, 3, 3], new ConvOptions { Dilation = [2] });
        var spy = new TapGridFigure(
            "V of a 3×3 kernel on a 7×7 input, dilation 1 (25×49) and dilation 2 (9×49), coloured by tap, columns grouped by input row. " +
            "With dilation 2 the taps of a row stand 2 columns apart and the kernel's rows 2 input rows apart.",
            [TapGridFigure.Compile("dilation 1: V (25×49)", k3, d1) with { ColumnBlock = 7 },
             TapGridFigure.Compile("dilation 2: V (9×49)", k3, d2) with { ColumnBlock = 7 }],
            showEntries: false);
        page.Figure(spy);
        page.CheckEqual("the dilation-2 V equals V probed from the direct correlation", Probe.Matrix(d2, k3), spy.Panels[1].Matrix);

        page.Heading("The transposed convolution with dilation is Vᵀ");
        var w = Samples.Integers([1, 1, 2, 2], seed: 31);
        var y = Samples.Integers(g2.OutputShape, seed: 32);
        var through = new long[g2.InputLength];
        var direct = new long[g2.InputLength];
        ConvolutionMatrix<long>.Compile(w, g2).TransposeMultiply(y.Data, through);
        DirectScatter.Apply<long>(g2, y.Data, w.Data, direct);
        page.Show("Vᵀ·y", Tensor.From(through, g2.InputShape));
        page.CheckEqual("Vᵀ·y equals the direct scatter with taps 2 rows apart", direct, through);
    }
}
