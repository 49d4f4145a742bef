namespace ConvAsMatrix.Proofs;

/// <summary>Proof 7: the transposed convolution restores the shape, not the values: VᵀV ≠ I in general.</summary>
public sealed class TransposeIsNotInverse : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [3, 3], Kernel = [2, 2] };

    public override string Claim => "\"Transposed\" is not \"inverse\": VᵀV ≠ I in general; the seed's 逆变换 is about shapes only.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "同样超参数的转置卷积则从 (h′, w′) 变回 (h, w)，逆变换关系",
            "The transposed convolution with the same hyperparameters goes from (h′, w′) back to (h, w): an inverse\n" +
            "relation. Of the shapes only: Vᵀ undoes V's change of size, but Vᵀ·V·x is not x.");

        page.Heading("With letters: a 2-tap kernel on 3 inputs");
        var k = Symbolic.Kernel("k", 2);
        var g1 = ConvGeometry.ForConv([1, 1, 3], [1, 1, 2]);
        var v = ConvolutionMatrix<Symbolic>.Compile(k, g1).ToDense();
        var vtv = Dense.Multiply(Dense.Transpose(v), v);
        page.ShowSideBySide(true, ("V =", v), ("VᵀV =", vtv));
        Symbolic k0 = k[0], k1 = k[1];
        Symbolic[,] expected = { { k0 * k0, k0 * k1, 0 }, { k0 * k1, k0 * k0 + k1 * k1, k0 * k1 }, { 0, k0 * k1, k1 * k1 } };
        page.CheckEqual("VᵀV = [[k₀², k₀k₁, 0], [k₀k₁, k₀² + k₁², k₀k₁], [0, k₀k₁, k₁²]], multiplied out by hand", expected, vtv);
        page.Say("VᵀV = I would need k₀² = 1 and k₁² = 1 (the corners) and k₀² + k₁² = 1 (the centre): 1 + 1 = 1.");
        page.Check("the centre is the sum of the corners, so no kernel at all makes this VᵀV the identity",
            vtv[1, 1] == vtv[0, 0] + vtv[2, 2]);

        page.Heading("The seed's case: V is 4×9, so VᵀV (9×9) has rank at most 4");
        long[,] K = { { 1, 2 }, { 3, 4 } };
        var g2 = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        var V = ConvolutionMatrix<long>.Compile(Dense.Flatten(K), g2).ToDense();
        var VtV = Dense.Multiply(Dense.Transpose(V), V);
        page.Show("VᵀV =", VtV);
        int rank = ExactRank.Of(VtV);
        page.Say($"rank(VᵀV) = {rank} (exact, fraction-free elimination on BigInteger)");
        page.Check("VᵀV ≠ I", !Dense.Equal(VtV, Dense.Identity<long>(9)));
        page.Check("rank(VᵀV) = 4 < 9: VᵀV is singular, and no 9×4 matrix A makes A·V = I", rank == 4);
        long[] X = [0, 1, 2, 3, 4, 5, 6, 7, 8];
        var Z = Dense.Multiply(VtV, X);
        page.Show("Vᵀ·V·vec(arange(9)) =", Z);
        page.CheckEqual("it is the seed's Z = trans_conv(corr2d(X, K), K)", Dense.Flatten(SeedCode.TransConv(SeedCode.Corr2d(Dense.Matrix(X, 3, 3), K), K)), Z);
        page.Check("and Z ≠ X", !Z.SequenceEqual(X));

        page.Heading("When transposed is inverse: V orthogonal, e.g. a circular shift");
        page.Say("Kernel [0, 0, 1] with circular padding 1 reads x[(o + 1) mod n]: V is a permutation, and VᵀV = I.");
        var shift = ConvGeometry.ForConv([1, 1, 4], [1, 1, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular });
        var P = ConvolutionMatrix<long>.Compile([0L, 0L, 1L], shift).ToDense();
        var PtP = Dense.Multiply(Dense.Transpose(P), P);
        page.ShowSideBySide(true, ("V =", P), ("VᵀV =", PtP));
        page.CheckEqual("VᵀV = I for the circular shift", Dense.Identity<long>(4), PtP);
        var zeroShift = ConvGeometry.ForConv([1, 1, 4], [1, 1, 3], new ConvOptions { Padding = 1 });
        var Q = ConvolutionMatrix<long>.Compile([0L, 0L, 1L], zeroShift).ToDense();
        page.Check("with zeros padding the same kernel loses the wrapped element, and VᵀV ≠ I",
            !Dense.Equal(Dense.Multiply(Dense.Transpose(Q), Q), Dense.Identity<long>(4)));
    }
}
