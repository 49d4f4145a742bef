namespace ConvAsMatrix.Proofs;

/// <summary>Proof 5: the library compiles V over a symbolic element type, so V prints with k₀₀, k₀₁, … as a textbook draws it.</summary>
public sealed class VWithSymbolicKernel : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [4, 4], Kernel = [3, 3], Stride = [2], Padding = "1" };

    public override string Claim => "V with symbolic kernel entries (k₀₀, k₀₁, …), as textbooks draw it, compiled by the library.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "可以对 W 构造一个 V，使得卷积等价于矩阵乘法 Y′ = V X′\nk[:2], k[3:5] = K[0, :], K[1, :]\n# k = [1., 2., 0., 3., 4.]",
            "From the kernel one builds V; the seed builds it for numbers. With letters instead of numbers the\n" +
            "pattern is visible: row o of V holds the kernel laid out along the input, shifted to where o reads.");
        page.Say("\nThe library's compiler asks of its element type only +, × and zero, so it compiles V<Symbolic>, where\n" +
                 "Symbolic is an exact polynomial in named symbols (src/ConvAsMatrix.Figures/Algebra/Symbolic.cs). Every V below is checked\n" +
                 "against the same V probed from the direct correlation, column by column, on symbols.");

        page.Heading("The seed's case: 3×3 input, 2×2 kernel");
        var k2 = Symbolic.Kernel("k", 2, 2);
        page.Show("K =", Dense.Matrix(k2, 2, 2));
        var seedGeometry = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        var v = Compile(page, "V =", k2, seedGeometry);
        long[,] numbers = { { 1, 2 }, { 3, 4 } };
        var values = new Dictionary<string, long> { ["k₀₀"] = 1, ["k₀₁"] = 2, ["k₁₀"] = 3, ["k₁₁"] = 4 };
        page.CheckEqual("k₀₀ = 1, k₀₁ = 2, k₁₀ = 3, k₁₁ = 4 turn it into the seed's kernel2matrix(K)",
            SeedCode.Kernel2Matrix(numbers), Dense.Map(v, s => s.Evaluate(n => values[n])));
        page.Check("every row holds each of the four symbols exactly once (each output reads each tap once)",
            Enumerable.Range(0, v.GetLength(0)).All(r => k2.All(sym => Enumerable.Range(0, v.GetLength(1)).Count(c => v[r, c] == sym) == 1)));

        page.Heading("Stride 2, padding 1, 1-d: input 5, kernel 3 → output 3");
        var k1 = Symbolic.Kernel("k", 3);
        var strided = ConvGeometry.ForConv([1, 1, 5], [1, 1, 3], new ConvOptions { Stride = [2], Padding = 1 });
        var vs = Compile(page, "V =", k1, strided);
        page.Say("The first row's k₀ fell into the zero padding, so it is not there. The transposed convolution is Vᵀ:");
        page.Show("Vᵀ =", Dense.Transpose(vs));
        page.Say("each column of Vᵀ is the kernel placed stride = 2 apart: the scatter Y[2i − 1 : 2i + 2] += X[i]·K, cropped.");

        page.Heading("Stride 2, padding 1, 2-d: 4×4 input, 3×3 kernel → 2×2 output (columns grouped by input row)");
        var k3 = Symbolic.Kernel("k", 3, 3);
        var strided2 = ConvGeometry.ForConv([1, 1, 4, 4], [1, 1, 3, 3], new ConvOptions { Stride = [2], Padding = 1 });
        Compile(page, "V =", k3, strided2, columnBlock: 4);

        page.Heading("Spy plots: stride 1 and stride 2 on a 6×6 input, 3×3 kernel, padding 1");
        var stride1 = ConvGeometry.ForConv([1, 1, 6, 6], [1, 1, 3, 3], new ConvOptions { Padding = 1 });
        var stride2 = ConvGeometry.ForConv([1, 1, 6, 6], [1, 1, 3, 3], new ConvOptions { Stride = [2], Padding = 1 });
        var spy = new TapGridFigure(
            "V of a 3×3 convolution on a 6×6 input with padding 1, stride 1 (36×36) and stride 2 (9×36), coloured by tap, rules between image rows. " +
            "Stride 2 keeps every second output row and column of stride 1: its rows are rows of the stride-1 V.",
            [TapGridFigure.Compile("stride 1: V (36×36)", k3, stride1) with { RowBlock = 6, ColumnBlock = 6 },
             TapGridFigure.Compile("stride 2: V (9×36)", k3, stride2) with { RowBlock = 3, ColumnBlock = 6 }],
            showEntries: false);
        page.Figure(spy);
        var all = spy.Panels[0].Matrix;
        page.Check("each row (a, b) of the stride-2 V is row (2a, 2b) of the stride-1 V",
            Enumerable.Range(0, 9).All(r => Enumerable.Range(0, 36).All(c => spy.Panels[1].Matrix[r, c] == all[(r / 3 * 2) * 6 + r % 3 * 2, c])));
    }

    /// <summary>Compiles V&lt;Symbolic&gt;, prints it, and checks it against the direct correlation probed with unit vectors.</summary>
    private static Symbolic[,] Compile(ProofPage page, string label, Symbolic[] kernel, ConvGeometry geometry, int columnBlock = 0)
    {
        var v = ConvolutionMatrix<Symbolic>.Compile(kernel, geometry).ToDense();
        page.Show(label, v, columnBlock: columnBlock);
        page.CheckEqual($"V<Symbolic> ({v.GetLength(0)}×{v.GetLength(1)}) equals V probed from the direct correlation, V·eⱼ = conv(eⱼ)", Probe.Matrix(geometry, kernel), v);
        return v;
    }
}
