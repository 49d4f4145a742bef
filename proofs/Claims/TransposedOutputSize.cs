namespace ConvAsMatrix.Proofs;

/// <summary>Proof 2: the output-size formula of the transposed convolution, on the seed's padding and stride examples and in general.</summary>
public sealed class TransposedOutputSize : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Transposed = true, Input = [4, 4], Kernel = [3, 3], Stride = [2], Padding = "1", OutputPadding = [1] };

    public override string Claim => "Transposed conv output: h_Y = h_k + (h_X − 1)·stride − 2·padding (in general: dilation, output_padding).";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "h_Y = h_k + (h_X − 1) × stride − 2 × padding\n#填充 ... #在输出上作用一个逆向填充\n#步幅 ... #输出高宽 h/w + stride * (shape[0]/[1] - 1)",
            "The output height is the kernel height plus (input height − 1) strides, minus the padding on both sides.\n" +
            "Padding acts on the output in reverse (it removes rows and columns); a stride spreads the input's copies of K apart.");

        long[,] X = { { 0, 1 }, { 2, 3 } };
        long[,] K = { { 0, 1 }, { 2, 3 } };
        page.Gap();
        page.ShowSideBySide(false, ("X =", X), ("K =", K));

        // What torch 1.13 prints for tconv(X) with nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False, ...) and weight K.
        (string Call, int Padding, int Stride, long[,] Torch)[] examples =
        [
            ("nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False)", 0, 1, new long[,] { { 0, 0, 1 }, { 0, 4, 6 }, { 4, 12, 9 } }),
            ("nn.ConvTranspose2d(1, 1, kernel_size=2, padding=1, bias=False)", 1, 1, new long[,] { { 4 } }),
            ("nn.ConvTranspose2d(1, 1, kernel_size=2, stride=2, bias=False)", 0, 2,
                new long[,] { { 0, 0, 0, 1 }, { 0, 0, 2, 3 }, { 0, 2, 0, 3 }, { 4, 6, 6, 9 } }),
        ];
        foreach (var (call, padding, stride, torch) in examples)
        {
            page.Heading($"tconv = {call}");
            int hY = K.GetLength(0) + (X.GetLength(0) - 1) * stride - 2 * padding;
            page.Say($"formula: h_Y = {K.GetLength(0)} + ({X.GetLength(0)} − 1)·{stride} − 2·{padding} = {hY}");
            var options = new ConvTransposeOptions { Padding = padding, Stride = [stride] };
            var y = Functional.ConvTranspose(Dense.AsTensor(X), Dense.AsTensor(K), options: options);
            page.Show("tconv(X) through Vᵀ:", y);
            page.CheckEqual($"its shape is (1, 1, {hY}, {hY}), as the formula says", [1, 1, hY, hY], y.Shape);
            page.CheckEqual("its values are what PyTorch prints", torch, Dense.Plane(y));
            page.CheckEqual($"the seed's trans_conv with the block at (i·{stride}, j·{stride}) and {padding} row(s)/column(s) cropped per side agrees",
                SeedCode.TransConv(X, K, stride, padding), Dense.Plane(y));
            var direct = Functional.ConvTranspose(Dense.AsTensor(X), Dense.AsTensor(K), options: options, method: ConvMethod.Direct);
            page.CheckEqual("the direct scatter agrees", y.Data, direct.Data);
            if (stride > 1 && padding == 0)
            {
                var figure = ScatterFigure.FromLibrary(X, K, stride,
                    $"With stride {stride} each contribution X[i,j]·K lands at ({stride}i, {stride}j): the blocks move {stride} apart and no longer overlap, " +
                    $"so the output grows to {hY}×{hY}. Computed through the library's Vᵀ, one input element at a time; colours are the kernel taps.");
                page.Figure(figure);
                page.CheckEqual("the figure's sum panel is tconv(X)", Dense.Plane(y), figure.Sum.Values);
            }
        }

        page.Heading("Convolution keeps or halves, the transposed convolution enlarges");
        page.Seed("卷积不会增大输入的高宽，通常要么不变、要么减半\n转置卷积则可以用来增大输入高宽",
            "A convolution does not enlarge height and width: usually it keeps them or halves them.\n" +
            "A transposed convolution can enlarge them.");
        int keep = ConvGeometry.ForConv([1, 1, 8, 8], [1, 1, 3, 3], new ConvOptions { Padding = 1 }).OutputSize[0];
        int half = ConvGeometry.ForConv([1, 1, 8, 8], [1, 1, 3, 3], new ConvOptions { Padding = 1, Stride = [2] }).OutputSize[0];
        var upsample = Functional.ConvTranspose(Tensor.Zeros<long>(1, 1, 4, 4), Tensor.Zeros<long>(1, 1, 4, 4),
            options: new ConvTransposeOptions { Padding = 1, Stride = [2] });
        page.Say($"Conv2d(k=3, p=1) on 8×8 → {keep}×{keep};  Conv2d(k=3, p=1, s=2) on 8×8 → {half}×{half};\n" +
                 $"ConvTranspose2d(k=4, p=1, s=2) on 4×4 → {upsample.Shape[2]}×{upsample.Shape[3]}  (h_Y = 4 + (4 − 1)·2 − 2·1 = 8)");
        page.Check("the convolutions keep (8) and halve (4); the transposed convolution doubles 4 to 8, as the formula says",
            keep == 8 && half == 4 && upsample.Shape[2] == 4 + (4 - 1) * 2 - 2 * 1 && upsample.Shape[3] == 8);

        page.Heading("The general formula (PyTorch's ConvTranspose, Dumoulin & Visin)");
        page.Say("With dilation d the kernel covers d·(k − 1) + 1 positions instead of k, and output_padding adds\n" +
                 "that many positions on the high side (it picks among the input sizes a strided conv maps to the same size):\n" +
                 "  out = (in − 1)·stride − 2·padding + d·(k − 1) + output_padding + 1\n" +
                 "d = 1 and output_padding = 0 give the seed's formula back. Three independent counts, per 1-d case:\n" +
                 "  formula · the library's geometry · the scatter's footprint (last position written + 1, cropped, + output_padding)\n" +
                 "and PyTorch's conv_transpose1d output size (torch 1.13, recorded here).");
        (int In, int K, int S, int P, int D, int Op, int Torch)[] cases =
        [
            (5, 3, 2, 1, 1, 1, 10), (4, 2, 3, 0, 1, 2, 13), (3, 3, 1, 1, 2, 0, 5), (6, 4, 2, 2, 3, 2, 18),
            (2, 5, 3, 2, 2, 1, 9), (7, 1, 2, 0, 1, 1, 14), (1, 3, 1, 0, 4, 3, 12),
        ];
        var agree = new List<(string Case, bool Holds)>();
        var rows = new List<IReadOnlyList<string>>();
        foreach (var c in cases)
        {
            int formula = (c.In - 1) * c.S - 2 * c.P + c.D * (c.K - 1) + c.Op + 1;
            var g = ConvGeometry.ForConvTranspose([1, 1, c.In], [1, 1, c.K],
                new ConvTransposeOptions { Stride = [c.S], Padding = c.P, Dilation = [c.D], OutputPadding = [c.Op] });
            int library = g.InputSize[0];
            int footprint = Footprint(c.In, c.K, c.S, c.D) - 2 * c.P + c.Op;
            rows.Add([.. new[] { c.In, c.K, c.S, c.P, c.D, c.Op, formula, library, footprint, c.Torch }.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            agree.Add(($"in={c.In} k={c.K} s={c.S} p={c.P} d={c.D} op={c.Op}: all four say {c.Torch}",
                formula == c.Torch && library == c.Torch && footprint == c.Torch));
        }
        page.Table(["in", "k", "s", "p", "d", "op", "formula", "library", "footprint", "torch"], rows);
        foreach (var (text, holds) in agree) page.Check(text, holds);
    }

    /// <summary>How far the scatter writes: the largest i·stride + t·dilation over inputs i and taps t, plus one.</summary>
    private static int Footprint(int inputs, int taps, int stride, int dilation)
    {
        int last = 0;
        for (int i = 0; i < inputs; i++)
            for (int t = 0; t < taps; t++)
                last = Math.Max(last, i * stride + t * dilation);
        return last + 1;
    }
}
