namespace ConvAsMatrix.Proofs;

/// <summary>Proof 1: the lecture's definition of the transposed convolution, on its own example, is the library's Vᵀ.</summary>
public sealed class TransposedConvolutionScatters : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Transposed = true, Input = [2, 2], Kernel = [2, 2] };

    public override string Claim => "Transposed convolution scatters Y[i:i+h, j:j+w] += X[i,j]·K, which is exactly Vᵀ·vec(X).";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "转置卷积则可以用来增大输入高宽\nY[i:i+h, j:j+w] += X[i,j]·K",
            "Transposed convolution can enlarge the input's height and width:\n" +
            "every input element X[i,j] adds X[i,j]·K into the h×w output block with corner (i, j).");

        long[,] X = { { 0, 1 }, { 2, 3 } };
        long[,] K = { { 0, 1 }, { 2, 3 } };
        int h = K.GetLength(0), w = K.GetLength(1);
        page.Gap();
        page.ShowSideBySide(false, ("X =", X), ("K =", K));

        page.Heading("The scatter, one input element at a time");
        page.Say("Each X[i,j]·K lands in a 3×3 output (2 + 2 − 1 = 3), shifted to (i, j); the output is their sum.\n" +
                 "The figure is computed by the library: panel (i, j) is Vᵀ applied to X with every other element set to zero,\n" +
                 "and each cell is coloured by the kernel tap that lands there.");
        var parts = new List<long[,]>();
        var sum = new long[X.GetLength(0) + h - 1, X.GetLength(1) + w - 1];
        for (int i = 0; i < X.GetLength(0); i++)
            for (int j = 0; j < X.GetLength(1); j++)
            {
                var part = new long[sum.GetLength(0), sum.GetLength(1)];
                for (int a = 0; a < h; a++)
                    for (int b = 0; b < w; b++)
                    {
                        part[i + a, j + b] = X[i, j] * K[a, b];
                        sum[i + a, j + b] += part[i + a, j + b];
                    }
                parts.Add(part);
            }
        var figure = ScatterFigure.FromLibrary(X, K, stride: 1,
            "The lecture's figure, computed: each input element X[i,j] scatters X[i,j]·K into the 2×2 block Y[i:i+2, j:j+2] " +
            "(outlined); the four contributions add up to the 3×3 output. Cell colours are the kernel taps; where several taps meet, the sum cell shows their colours as a band.");
        page.Figure(figure);
        page.Check("each panel (Vᵀ applied to one input element) is the block X[i,j]·K placed by hand at (i, j)",
            figure.Panels.Select(p => p.Values).Zip(parts, (a, b) => Dense.Equal(a, b)).All(same => same));
        page.CheckEqual("the figure's sum panel, Vᵀ·vec(X), is the sum of the four hand-placed blocks", sum, figure.Sum.Values);

        page.Heading("The seed's trans_conv, ported line by line");
        var seed = SeedCode.TransConv(X, K);
        page.ShowData("trans_conv(X, K) =", seed);
        page.CheckEqual("the sum of the four shifted blocks is trans_conv(X, K)", seed, sum);
        page.Check("the output (3×3) is larger than the input (2×2): 增大输入高宽", seed.GetLength(0) > X.GetLength(0) && seed.GetLength(1) > X.GetLength(1));
        long[,] torch = { { 0, 0, 1 }, { 0, 4, 6 }, { 4, 12, 9 } }; // nn.ConvTranspose2d(1, 1, kernel_size=2, bias=False), torch 1.13
        page.CheckEqual("it is what PyTorch's nn.ConvTranspose2d prints: [[0, 0, 1], [0, 4, 6], [4, 12, 9]]", torch, seed);

        page.Heading("The same through the library: Vᵀ·vec(X)");
        page.Say("V is the matrix of the forward convolution from 3×3 to 2×2 with kernel K; the transposed\n" +
                 "convolution multiplies by its transpose, so its columns are the shifted copies of K.");
        var geometry = ConvGeometry.ForConvTranspose([1, 1, 2, 2], [1, 1, 2, 2]);
        var v = ConvolutionMatrix<long>.Compile(Dense.AsTensor(K), geometry);
        var vT = Dense.Transpose(v.ToDense());
        page.Show($"Vᵀ ({vT.GetLength(0)}×{vT.GetLength(1)}) =", vT);
        var k = Symbolic.Kernel("k", 2, 2);
        var forward = TapGridFigure.Compile("V (4×9)", k, geometry) with
        {
            RowLabels = ["X[0,0]", "X[0,1]", "X[1,0]", "X[1,1]"],
            ColumnLabels = Enumerable.Range(0, 9).Select(o => $"{o / 3},{o % 3}").ToArray(),
        };
        var transposed = TapGridFigure.Compile("Vᵀ (9×4)", k, geometry, transposed: true) with
        {
            RowLabels = forward.ColumnLabels, ColumnLabels = forward.RowLabels,
        };
        page.Figure(new TapGridFigure(
            "V and Vᵀ compiled by the library with the kernel's taps as symbols, coloured by tap as in Figure 1. Column X[i,j] of Vᵀ " +
            "(row X[i,j] of V), read as a 3×3 grid over the output positions (row, column), is the panel of X[i,j] in Figure 1: the kernel, scattered.",
            [forward, transposed], showEntries: true));
        var z = new long[v.ColumnCount];
        v.TransposeMultiply(Dense.Flatten(X), z);
        page.Show("Vᵀ·vec(X) =", z);
        page.CheckEqual("Vᵀ·vec(X), reshaped 3×3, is trans_conv(X, K)", seed, Dense.Matrix(z, 3, 3));

        var direct = new long[z.Length];
        DirectScatter.Apply<long>(geometry, Dense.Flatten(X), Dense.Flatten(K), direct);
        page.CheckEqual("the library's direct scatter (DirectScatter) agrees", Dense.Flatten(seed), direct);
        var functional = Functional.ConvTranspose(Dense.AsTensor(X), Dense.AsTensor(K));
        page.CheckEqual("Functional.ConvTranspose (through Vᵀ) returns shape (1, 1, 3, 3) and the same values",
            [1, 1, 3, 3, .. Dense.Flatten(seed)], [.. functional.Shape.Select(s => (long)s), .. functional.Data]);
    }
}
