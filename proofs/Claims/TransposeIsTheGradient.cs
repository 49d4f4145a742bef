namespace ConvAsMatrix.Proofs;

/// <summary>Proof 6: the transposed convolution is the adjoint of the convolution, which is why it is its gradient with respect to the input.</summary>
public sealed class TransposeIsTheGradient : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [4, 5], Kernel = [3, 3], OutChannels = 2, Stride = [2], Padding = "1" };

    public override string Claim => "Transposed conv is the gradient of conv w.r.t. its input: ∂⟨conv(x), y⟩/∂x = Vᵀy = conv_transpose(y).";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "转置卷积则等价于 Y′ = Vᵀ X′",
            "The transposed convolution is the product with Vᵀ. Why that matters: backpropagation through a\n" +
            "convolution multiplies the output's gradient by Vᵀ, so the transposed convolution is the convolution's\n" +
            "gradient with respect to its input.");
        page.Say("\nL(x) = ⟨conv(x), y⟩ is linear in x, so a unit step is exact, with no h → 0 limit and no rounding:\n" +
                 "  L(x + eⱼ) − L(x) = ⟨conv(eⱼ), y⟩ = ⟨V·eⱼ, y⟩ = (Vᵀ·y)ⱼ.\n" +
                 "L is computed with the direct correlation only (plain loops, no V); the gradient through the library's Vᵀ.");

        var options = new ConvOptions { Stride = [2], Padding = 1 };
        var x = Samples.Integers([1, 1, 4, 5], seed: 11);
        var w = Samples.Integers([2, 1, 3, 3], seed: 12);
        var g = ConvGeometry.ForConv(x.ShapeArray, w.ShapeArray, options);
        var y = Samples.Integers(g.OutputShape, seed: 13);
        page.Gap();
        page.Say(g.ToString());
        page.Show("x", x);
        page.Show("w", w);
        page.Show("y", y);

        page.Heading("The gradient by finite differences, one input element at a time");
        long L(long[] input)
        {
            var output = new long[g.OutputLength];
            DirectCorrelation.Apply<long>(g, input, w.Data, output);
            return Dense.Dot(output, y.Data);
        }
        long baseline = L(x.Data);
        var gradient = new long[g.InputLength];
        for (int j = 0; j < gradient.Length; j++)
        {
            var stepped = (long[])x.Data.Clone();
            stepped[j] += 1;
            gradient[j] = L(stepped) - baseline;
        }
        page.Say($"L(x) = {baseline}");
        page.Show("∂L/∂x", Tensor.From(gradient, x.ShapeArray));

        page.Heading("conv_transpose(y) with the same weight, stride and padding");
        page.Say("The transposed convolution of a 2×3 map with stride 2, padding 1, kernel 3 is (2−1)·2 − 2 + 3 = 3 rows,\n" +
                 "one short of x's 4: output_padding = (1, 0) restores it (proof shape-round-trip), as PyTorch's backward does.");
        var tconv = Functional.ConvTranspose(y, w, options: new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1, 0] });
        page.Show("conv_transpose(y)", tconv);
        page.CheckEqual("∂L/∂x (finite differences on the direct correlation) = conv_transpose(y) (through Vᵀ)", gradient, tconv.Data);
        var scattered = new long[g.InputLength];
        DirectScatter.Apply<long>(g, y.Data, w.Data, scattered);
        page.CheckEqual("= the direct scatter of y", gradient, scattered);

        page.Heading("The adjoint identity ⟨Vx, y⟩ = ⟨x, Vᵀy⟩");
        var v = ConvolutionMatrix<long>.Compile(w, g);
        var vx = new long[v.RowCount];
        var vty = new long[v.ColumnCount];
        var vtyView = new long[v.ColumnCount];
        v.Multiply(x.Data, vx);
        v.TransposeMultiply(y.Data, vty);
        v.Transpose().Multiply(y.Data, vtyView);
        long left = Dense.Dot(vx, y.Data), right = Dense.Dot(x.Data, vty);
        page.Say($"⟨Vx, y⟩ = {left}    ⟨x, Vᵀy⟩ = {right}    L(x) = {baseline}");
        page.Check("⟨Vx, y⟩ = ⟨x, Vᵀy⟩ = L(x)", left == right && right == baseline);
        page.CheckEqual("Vᵀ as the no-copy compressed-column view multiplies to the same Vᵀy", vty, vtyView);

        page.Heading("The identity on every padding mode, stride, dilation and groups");
        page.Say("PyTorch's ConvTranspose offers only zeros padding; the library's Vᵀ is the exact adjoint of every mode.\n" +
                 "For each geometry below: ⟨conv(x), y⟩ by the direct correlation = ⟨x, tconv(y)⟩ by the direct scatter\n" +
                 "= ⟨x, Vᵀy⟩ through the library, on integers.");
        int count = 0, holding = 0;
        foreach (var mode in Enum.GetValues<PaddingMode>())
            foreach (int[] input in new[] { new[] { 1, 4, 7 }, new[] { 1, 4, 5, 4 } })
                foreach (int stride in new[] { 1, 2 })
                    foreach (int dilation in new[] { 1, 2 })
                        foreach (int groups in new[] { 1, 2 })
                        {
                            int rank = input.Length - 2;
                            var weightShape = new[] { 2 * groups, 4 / groups }.Concat(Enumerable.Repeat(2, rank)).ToArray();
                            var geometry = ConvGeometry.ForConv(input, weightShape, new ConvOptions
                            {
                                Stride = [stride], Dilation = [dilation], Groups = groups, PaddingMode = mode,
                                Padding = Padding.Asymmetric(Enumerable.Repeat((1, 2), rank).ToArray()),
                            });
                            count++;
                            if (AdjointHolds(geometry, seed: count)) holding++;
                        }
        page.Check($"the identity holds on all {count} geometries ({holding} of {count}: 4 modes × 1-d/2-d × stride 1/2 × dilation 1/2 × groups 1/2)", holding == count);
    }

    private static bool AdjointHolds(ConvGeometry g, int seed)
    {
        var x = Samples.Integers(g.InputShape, seed).Data;
        var y = Samples.Integers(g.OutputShape, seed + 1000).Data;
        var w = Samples.Integers(g.WeightShape, seed + 2000).Data;
        var conv = new long[g.OutputLength];
        var scatter = new long[g.InputLength];
        var vty = new long[g.InputLength];
        DirectCorrelation.Apply<long>(g, x, w, conv);
        DirectScatter.Apply<long>(g, y, w, scatter);
        ConvolutionMatrix<long>.Compile(w, g).TransposeMultiply(y, vty);
        long left = Dense.Dot(conv, y);
        return left == Dense.Dot(x, scatter) && left == Dense.Dot(x, vty);
    }
}
