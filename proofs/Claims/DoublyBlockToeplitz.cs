namespace ConvAsMatrix.Proofs;

/// <summary>Proof 8: with stride 1, V of a 2-d convolution is doubly block Toeplitz.</summary>
public sealed class DoublyBlockToeplitz : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [4, 4], Kernel = [2, 2], Stride = [2] };

    public override string Claim => "With stride 1, V is doubly block Toeplitz: Toeplitz blocks in a Toeplitz block pattern.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "W[0, :5], W[1, 1:6], W[2, 3:8], W[3, 4:] = k, k, k, k",
            "The seed's W repeats one row k, shifted. Cut V into blocks (rows by output row, columns by input row):\n" +
            "each block is Toeplitz (constant along its diagonals), and block (a, b) depends only on b − a.");
        page.Say("\nBlock (a, b) holds output row a's weights on input row b: kernel row t = b − a + padding, and inside it\n" +
                 "entry (j, c) is K[t, c − j + padding]. Every check below compares the library's V with that formula.");

        var k = Symbolic.Kernel("k", 2, 2);
        Show(page, "4×4 input, 2×2 kernel, no padding: 9×16 V in a 3×4 grid of 3×4 blocks", k, 2, 4, padding: 0);
        var k3 = Symbolic.Kernel("k", 3, 3);
        Show(page, "3×3 input, 3×3 kernel, zeros padding 1 ('same'): 9×9 V in a 3×3 grid of 3×3 blocks", k3, 3, 3, padding: 1);

        page.Heading("Stride 2 breaks it");
        var strided = ConvGeometry.ForConv([1, 1, 4, 4], [1, 1, 2, 2], new ConvOptions { Stride = [2] });
        var vs = ConvolutionMatrix<Symbolic>.Compile(k, strided).ToDense();
        page.Show("V =", vs, rowBlock: 2, columnBlock: 4);
        page.Check("with stride 2 the blocks are not Toeplitz: each row's kernel moves 2 columns, not 1", !BlocksAreToeplitz(vs, 2, 4));
    }

    private static void Show(ProofPage page, string title, Symbolic[] kernel, int kernelSize, int n, int padding)
    {
        page.Heading(title);
        var g = ConvGeometry.ForConv([1, 1, n, n], [1, 1, kernelSize, kernelSize], new ConvOptions { Padding = padding });
        int outSize = g.OutputSize[0];
        var v = ConvolutionMatrix<Symbolic>.Compile(kernel, g).ToDense();
        page.Show("V =", v, rowBlock: outSize, columnBlock: n);
        page.Figure(new TapGridFigure(
            $"The same V coloured by tap: every block repeats along its diagonals, and the blocks repeat along the block diagonals.",
            [TapGridFigure.Compile($"V ({v.GetLength(0)}×{v.GetLength(1)})", kernel, g) with { RowBlock = outSize, ColumnBlock = n }],
            showEntries: true));
        page.Check("every block is Toeplitz: B[j, c] = B[j + 1, c + 1]", BlocksAreToeplitz(v, outSize, n));
        page.Check("the block pattern is Toeplitz: block (a, b) = block (a + 1, b + 1)", BlockPatternIsToeplitz(v, outSize, n));
        page.CheckEqual("every entry is K[b − a + p, c − j + p] (zero outside the kernel), built from the kernel alone",
            FromFormula(kernel, kernelSize, outSize, n, padding), v);
    }

    /// <summary>Whether every (rows×cols) block of m is constant along its diagonals.</summary>
    private static bool BlocksAreToeplitz(Symbolic[,] m, int rows, int cols)
    {
        for (int a = 0; a < m.GetLength(0) / rows; a++)
            for (int b = 0; b < m.GetLength(1) / cols; b++)
                if (!IsToeplitz(Dense.Block(m, a * rows, b * cols, rows, cols))) return false;
        return true;
    }

    private static bool BlockPatternIsToeplitz(Symbolic[,] m, int rows, int cols)
    {
        int blockRows = m.GetLength(0) / rows, blockCols = m.GetLength(1) / cols;
        for (int a = 0; a + 1 < blockRows; a++)
            for (int b = 0; b + 1 < blockCols; b++)
                if (!Dense.Equal(Dense.Block(m, a * rows, b * cols, rows, cols), Dense.Block(m, (a + 1) * rows, (b + 1) * cols, rows, cols)))
                    return false;
        return true;
    }

    private static bool IsToeplitz(Symbolic[,] b)
    {
        for (int j = 0; j + 1 < b.GetLength(0); j++)
            for (int c = 0; c + 1 < b.GetLength(1); c++)
                if (b[j, c] != b[j + 1, c + 1]) return false;
        return true;
    }

    /// <summary>V of a stride-1 zero-padded square convolution written down from the kernel: block (a, b), entry (j, c) = K[b − a + p, c − j + p].</summary>
    private static Symbolic[,] FromFormula(Symbolic[] kernel, int k, int outSize, int n, int padding)
    {
        var v = new Symbolic[outSize * outSize, n * n];
        for (int a = 0; a < outSize; a++)
            for (int b = 0; b < n; b++)
                for (int j = 0; j < outSize; j++)
                    for (int c = 0; c < n; c++)
                    {
                        int t = b - a + padding, u = c - j + padding;
                        if (t >= 0 && t < k && u >= 0 && u < k) v[a * outSize + j, b * n + c] = kernel[t * k + u];
                    }
        return v;
    }
}
