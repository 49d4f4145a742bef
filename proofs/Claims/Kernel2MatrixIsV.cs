namespace ConvAsMatrix.Proofs;

/// <summary>Proof 3: the seed's hand-built 4×9 matrix W is the V the library compiles, and both directions hold.</summary>
public sealed class Kernel2MatrixIsV : Proof
{
    /// <inheritdoc/>
    public override string Name => "kernel2matrix";

    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [3, 3], Kernel = [2, 2] };

    public override string Claim => "kernel2matrix's 4×9 W is the library's V: W·vec(X) = corr2d(X, K), Wᵀ·vec(Y) = trans_conv(Y, K).";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "对于卷积 Y = X ⋆ W\n  可以对 W 构造一个 V，使得卷积等价于矩阵乘法 Y′ = V X′\n  这里 Y′, X′ 是 Y, X 对应的向量版本\n转置卷积则等价于 Y′ = Vᵀ X′",
            "For a convolution Y = X ⋆ W one can build from W a matrix V such that the convolution is the\n" +
            "matrix product Y′ = V·X′, where Y′ and X′ are Y and X flattened to vectors.\n" +
            "The transposed convolution is then Y′ = Vᵀ·X′.");

        long[,] X = { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 } }; // torch.arange(9.0).reshape(3, 3)
        long[,] K = { { 1, 2 }, { 3, 4 } };
        page.Gap();
        page.ShowSideBySide(false, ("X =", X), ("K =", K));
        var Y = SeedCode.Corr2d(X, K);
        page.ShowData("Y = corr2d(X, K) =", Y);

        page.Heading("The seed builds W by hand");
        page.Say("k = [1, 2, 0, 3, 4] is K's two rows with a zero between them (the input is 3 wide, the kernel 2);\n" +
                 "W[0, :5], W[1, 1:6], W[2, 3:8], W[3, 4:] = k: each output element's row is k shifted to where it reads.");
        var W = SeedCode.Kernel2Matrix(K);
        page.Show("W = kernel2matrix(K) =", W);

        page.Heading("The library compiles V from K and the geometry alone");
        var geometry = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        page.Say(geometry.ToString());
        var v = ConvolutionMatrix<long>.Compile(Dense.AsTensor(K), geometry);
        var V = v.ToDense();
        page.Show($"V ({v.RowCount}×{v.ColumnCount}, {v.NonZerosCount} stored entries) =", V);
        page.CheckEqual("V = W: the library produces the seed's hard-coded matrix", W, V);
        page.CheckEqual("V = the matrix probed column by column from the direct correlation, V·eⱼ = conv(eⱼ)", Probe.Matrix(geometry, Dense.Flatten(K)), V);
        var vT = v.Transpose();
        page.Check("V is 4×9, outputs × inputs (the seed's m = (m, n) × n), and Vᵀ is 9×4 (n = (n, m) × m)",
            v.RowCount == 4 && v.ColumnCount == 9 && vT.RowCount == 9 && vT.ColumnCount == 4);

        page.Heading("Y == torch.matmul(W, X.reshape(-1)).reshape(2, 2)");
        var vx = new long[v.RowCount];
        v.Multiply(Dense.Flatten(X), vx);
        page.Show("V·vec(X) =", vx);
        page.CheckEqual("V·vec(X), reshaped 2×2, is corr2d(X, K)", Y, Dense.Matrix(vx, 2, 2));
        page.CheckEqual("the seed's W·vec(X) is the same", Dense.Flatten(Y), Dense.Multiply(W, Dense.Flatten(X)));

        page.Heading("Z == torch.matmul(W.T, Y.reshape(-1)).reshape(3, 3)");
        var Z = SeedCode.TransConv(Y, K);
        page.ShowData("Z = trans_conv(Y, K) =", Z);
        var vty = new long[v.ColumnCount];
        v.TransposeMultiply(Dense.Flatten(Y), vty);
        page.Show("Vᵀ·vec(Y) =", vty);
        page.CheckEqual("Vᵀ·vec(Y), reshaped 3×3, is trans_conv(Y, K)", Z, Dense.Matrix(vty, 3, 3));
        page.CheckEqual("the seed's Wᵀ·vec(Y) is the same", Dense.Flatten(Z), Dense.Multiply(Dense.Transpose(W), Dense.Flatten(Y)));
        page.Check("and Z ≠ X: transposing V undoes the shape, not the values (see transpose-is-not-inverse)", !Dense.Equal(Z, X));
    }
}
