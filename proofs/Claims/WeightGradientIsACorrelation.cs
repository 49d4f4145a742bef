namespace ConvAsMatrix.Proofs;

/// <summary>
/// Proof 14: the convolution is bilinear, V(w)·x = U(x)·w, so the gradient with respect to the weight is U(x)ᵀ·g,
/// and that is a correlation of the input with the output gradient (stride and dilation exchanged).
/// </summary>
public sealed class WeightGradientIsACorrelation : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [3, 3], Kernel = [2, 2] };

    public override string Claim => "The weight gradient is a correlation of the input with the output gradient: U(x)ᵀg = corr(x, g), where V(w)x = U(x)w.";

    /// <summary>The lecture's input, <c>torch.arange(9.0).reshape(3, 3)</c>.</summary>
    public static readonly long[,] X = { { 0, 1, 2 }, { 3, 4, 5 }, { 6, 7, 8 } };

    /// <summary>The lecture's kernel, <c>torch.tensor([[1.0, 2.0], [3.0, 4.0]])</c>.</summary>
    public static readonly long[,] K = { { 1, 2 }, { 3, 4 } };

    /// <summary>The output gradient of the example, ∂L/∂Y for L = sum(Y * G): every entry non-zero, so every window shows whole.</summary>
    public static readonly long[,] G = { { 2, -1 }, { 1, 3 } };

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "对于卷积 Y = X ⋆ W\n  可以对 W 构造一个 V，使得卷积等价于矩阵乘法 Y′ = V X′\n转置卷积则等价于 Y′ = Vᵀ X′",
            "For a convolution Y = X ⋆ W one can build from W a matrix V such that Y′ = V·X′; the transposed convolution is\n" +
            "Y′ = Vᵀ·X′. Vᵀ is the gradient with respect to X (proof transpose-is-the-gradient). Training needs the other\n" +
            "gradient too, with respect to W, and for it the same product is read the other way round: Y′ is linear in W as\n" +
            "well, Y′ = U(X)·W′, with a matrix U built from X. Then ∂L/∂W′ = U(X)ᵀ·∂L/∂Y′.");
        Lecture(page);
        Strided(page);
        Layer(page);
        Transposed(page);
    }

    /// <summary>The lecture's 3×3 input and 2×2 kernel: U(X), U·w = V·x, and Uᵀg = corr2d(X, G).</summary>
    private static void Lecture(ProofPage page)
    {
        page.Heading("U(X) for the lecture's example");
        page.ShowSideBySide(false, ("X =", X), ("K =", K));
        var geometry = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        page.Say(geometry.ToString());
        var u = PatchMatrix<long>.ForConv(geometry, Dense.Flatten(X));
        var U = u.ToCompressedRows().ToDense();
        var V = ConvolutionMatrix<long>.Compile(Dense.Flatten(K), geometry).ToDense();
        page.Say("U(X) has a row per output element and a column per kernel tap; row (i, j) is the patch X[i:i+2, j:j+2] that\n" +
                 "corr2d multiplies by K to make Y[i, j], flattened: im2col, as a matrix. V(K) has the same 16 products\n" +
                 "arranged by input element instead.");
        page.ShowData($"U(X) ({U.GetLength(0)}×{U.GetLength(1)}, {u.NonZeroCount} stored entries) =", U);
        page.Show($"V(K) ({V.GetLength(0)}×{V.GetLength(1)}) =", V);
        page.CheckEqual("U(X) = the patches X[i:i+2, j:j+2] cut out by hand, one per row", Im2Col(X, 2, 2), U);
        page.CheckEqual("U(X) = U probed column by column from the lecture's corr2d: column t is corr2d(X, Eₜ), Eₜ the unit kernel",
            ProbedWithCorr2d(X, 2, 2), U);

        var uw = new long[u.RowCount];
        u.Multiply(Dense.Flatten(K), uw);
        var vx = Dense.Multiply(V, Dense.Flatten(X));
        page.Show("U(X)·vec(K) =", uw);
        page.CheckEqual("U(X)·vec(K) = V(K)·vec(X): the same products, grouped by tap instead of by input element", vx, uw);
        page.CheckEqual("= corr2d(X, K), the lecture's Y = [[27, 37], [57, 67]]", Dense.Flatten(SeedCode.Corr2d(X, K)), uw);

        page.Heading("The weight gradient Uᵀ·g is corr2d(X, G)");
        page.Say("Take the loss L(K) = sum(corr2d(X, K) * G), so the output gradient is g = vec(G):");
        page.ShowData("G = ∂L/∂Y =", G);
        page.Say("L is linear in K, so a unit step of one tap is exact (no h → 0, no rounding): L(K + Eₜ) − L(K) = (∂L/∂K)ₜ.\n" +
                 "These use the lecture's corr2d only; the gradient through the library is U(X)ᵀ·g.");
        long Loss(long[,] kernel) => Dense.Dot(Dense.Flatten(SeedCode.Corr2d(X, kernel)), Dense.Flatten(G));
        var steps = new long[4];
        for (int t = 0; t < 4; t++)
        {
            var stepped = (long[,])K.Clone();
            stepped[t / 2, t % 2] += 1;
            steps[t] = Loss(stepped) - Loss(K);
        }
        var gw = new long[u.ColumnCount];
        u.TransposeMultiply(Dense.Flatten(G), gw);
        page.ShowSideBySide(false, ("∂L/∂K by unit steps =", Dense.Matrix(steps, 2, 2)), ("U(X)ᵀ·vec(G) =", Dense.Matrix(gw, 2, 2)));
        page.CheckEqual("∂L/∂K (unit steps through corr2d) = U(X)ᵀ·vec(G) (the library's U)", steps, gw);
        page.Say("Why a correlation: ∂L/∂K[a, b] = Σᵢⱼ G[i, j]·X[i + a, j + b]. That is corr2d with G as the kernel: G slides\n" +
                 "over X, and tap (a, b) of the gradient is G laid on the window X[a:a+2, b:b+2]. corr2d(X, G) has n − m + 1 rows\n" +
                 "(n = 3 the input's, m = 2 the output's), and since m = n − k + 1 that is k: the kernel's own shape.");
        var corr = SeedCode.Corr2d(X, G);
        page.ShowData("corr2d(X, G) =", corr);
        page.CheckEqual("U(X)ᵀ·vec(G) = corr2d(X, G), the lecture's corr2d with the output gradient as the kernel", Dense.Flatten(corr), gw);
        var reference = new long[gw.Length];
        DirectWeightGradient.Apply<long>(geometry, Dense.Flatten(X), Dense.Flatten(G), reference);
        page.CheckEqual("= the reference loop of torch.nn.grad.conv2d_weight, gw[co, c, t] = Σₙ Σₒ g[n, co, o]·x[n, c, o + t]", reference, gw);
        page.CheckEqual("= Functional.ConvWeightGrad(X, (1, 1, 2, 2), G)", gw,
            Functional.ConvWeightGrad(Dense.AsTensor(X), [1, 1, 2, 2], Dense.AsTensor(G)).Data);

        var symbols = Symbolic.Kernel("x", 3, 3);
        var taps = new[] { "k₀₀", "k₀₁", "k₁₀", "k₁₁" };
        var patches = TapGridFigure.CompilePatches("U(x) (4×4)", symbols, geometry) with
        {
            RowLabels = ["y₀₀", "y₀₁", "y₁₀", "y₁₁"], ColumnLabels = taps,
        };
        var windows = TapGridFigure.CompileTapWindows("∂L/∂K = U(x)ᵀ·g, tap by tap", symbols, Dense.Flatten(G), geometry);
        page.Figure(new TapGridFigure(
            "Left, U(x) compiled by the library over a symbolic input, each entry coloured by the input element it is: row yᵢⱼ is " +
            "the patch that output reads, column kₐᵦ the input elements tap (a, b) meets. Right, the weight gradient U(x)ᵀ·g with " +
            "G = [[2, −1], [1, 3]], one block per tap: block (a, b) is the window of x that tap sums over, each element times the G " +
            $"it meets. The window moves with the tap: the gradient is G correlated with x. At x = X the blocks sum to {string.Join(", ", gw)}.",
            [patches, windows], showEntries: true));
        long Value(Symbolic s) => s.Evaluate(name => Dense.Flatten(X)[Array.FindIndex(symbols, v => v.ToString() == name)]);
        page.CheckEqual("the figure's U(x), evaluated at x = X, is U(X)", U, Dense.Map(patches.Matrix, Value));
        var blocks = Enumerable.Range(0, 4).Select(t => Dense.Block(windows.Matrix, t / 2 * 3, t % 2 * 3, 3, 3)).ToList();
        page.CheckEqual("each tap's block, summed and evaluated at x = X, is that tap of U(X)ᵀ·vec(G)", gw,
            blocks.Select(b => Dense.Flatten(b).Sum(Value)).ToArray());
        page.Check("block (a, b) is non-zero exactly on the window X[a:a+2, b:b+2]: the window shifts with the tap",
            blocks.Select((b, t) => Enumerable.Range(0, 9).All(e =>
                b[e / 3, e % 3].IsZero != (e / 3 - t / 2 is 0 or 1 && e % 3 - t % 2 is 0 or 1))).All(held => held));

        page.Heading("Three ways to write ⟨y, g⟩");
        ThreeWays(page, "⟨V(K)x, g⟩", Dense.Dot(vx, Dense.Flatten(G)), "⟨K, U(X)ᵀg⟩", Dense.Dot(Dense.Flatten(K), gw),
            "⟨x, V(K)ᵀg⟩", Dense.Dot(Dense.Flatten(X), Dense.Multiply(Dense.Transpose(V), Dense.Flatten(G))));
    }

    /// <summary>A strided 2-d case, then a sweep in 1-d: with stride s and dilation d the gradient is corr(x, g) with stride d and dilation s.</summary>
    private static void Strided(ProofPage page)
    {
        page.Heading("With a stride, stride and dilation swap roles");
        page.Say("In general gw[t] = Σₒ g[o]·xpad[o·s + t·d] (stride s, dilation d, xpad the padded input). Read as a\n" +
                 "correlation of xpad with g as the kernel: g's tap o reads s·o further on, so g is dilated by s; the gradient's\n" +
                 "element t starts d·t further on, so the correlation's stride is d. Stride and dilation exchange places, and\n" +
                 "the padding stays the input's.");
        var options = new ConvOptions { Stride = [2], Padding = 1 };
        var x = Samples.Integers([1, 1, 5, 5], seed: 41);
        var geometry = ConvGeometry.ForConv(x.ShapeArray, [1, 1, 3, 3], options);
        var g = Samples.Integers(geometry.OutputShape, seed: 42);
        page.Say(geometry.ToString());
        page.Show("x", x);
        page.Show("g", g);
        var gw = new long[geometry.WeightLength];
        PatchMatrix<long>.ForConv(geometry, x.Data).TransposeMultiply(g.Data, gw);
        page.ShowData("U(x)ᵀ·g =", Dense.Matrix(gw, 3, 3));
        var swapped = Correlate(x, g, new ConvOptions { Stride = [1], Dilation = [2], Padding = 1 });
        var naive = Correlate(x, g, new ConvOptions { Stride = [2], Dilation = [1], Padding = 1 });
        page.ShowData("corr(x, g; stride 1, dilation 2, padding 1) =", swapped);
        page.ShowData("corr(x, g; stride 2, dilation 1, padding 1) =", naive);
        page.CheckEqual("U(x)ᵀ·g = corr(x, g) with stride 1 and dilation 2: the forward stride became the dilation", Dense.Flatten(swapped), gw);
        page.Check("and with the stride kept as the stride the correlation is something else (here also 3×3, different values)",
            !Dense.Flatten(naive).SequenceEqual(gw));

        page.Say("\nThe correlation can be longer than the kernel: when (n + 2p − d(k − 1) − 1) is not a multiple of s, the\n" +
                 "forward convolution never reads the last input rows, and the correlation has outputs for taps past k − 1. The\n" +
                 "gradient is its first k (torch.nn.grad.conv2d_weight narrows it the same way). In 1-d, input 8, kernel 3:");
        var rows = new List<IReadOnlyList<string>>();
        bool all = true;
        foreach (var (s, d, p) in new[] { (1, 1, 0), (2, 1, 0), (1, 2, 0), (2, 2, 1), (3, 1, 1), (3, 2, 2), (2, 3, 2) })
        {
            var o = new ConvOptions { Stride = [s], Dilation = [d], Padding = p };
            var geo = ConvGeometry.ForConv([1, 1, 8], [1, 1, 3], o);
            var xi = Samples.Integers(geo.InputShape, seed: 50 + rows.Count);
            var gi = Samples.Integers(geo.OutputShape, seed: 60 + rows.Count);
            var grad = new long[3];
            PatchMatrix<long>.ForConv(geo, xi.Data).TransposeMultiply(gi.Data, grad);
            var full = Correlate(xi, gi, o with { Stride = [d], Dilation = [s] });
            bool equal = Dense.Flatten(full).Take(3).SequenceEqual(grad);
            all &= equal;
            rows.Add([$"{s}", $"{d}", $"{p}", $"{full.Length}", string.Join(" ", grad), string.Join(" ", Dense.Flatten(full)), equal ? "yes" : "NO"]);
        }
        page.Table(["stride s", "dilation d", "pad", "corr length", "U(x)ᵀg", "corr(x, g; stride d, dilation s)", "equal"], rows);
        page.Check($"on all {rows.Count} cases the gradient is the first k outputs of the correlation with stride and dilation exchanged", all);
    }

    /// <summary>A layer-sized case: batch, channels, groups, stride, dilation and reflect padding.</summary>
    private static void Layer(ProofPage page)
    {
        page.Heading("A real layer: batch 2, 4 → 6 channels, groups 2, stride (2, 1), dilation (1, 2), reflect padding");
        var options = new ConvOptions { Stride = [2, 1], Dilation = [1, 2], Padding = 1, Groups = 2, PaddingMode = PaddingMode.Reflect };
        var x = Samples.Integers([2, 4, 5, 6], seed: 71);
        var w = Samples.Integers([6, 2, 3, 2], seed: 72);
        var geometry = ConvGeometry.ForConv(x.ShapeArray, w.ShapeArray, options);
        var g = Samples.Integers(geometry.OutputShape, seed: 73);
        page.Say(geometry.ToString());
        var u = PatchMatrix<long>.ForConv(geometry, x.Data);
        var explicitU = u.ToCompressedRows();
        page.Say($"U(x) is {u.RowCount}×{u.ColumnCount} (rows (n, co, o), columns (co, c, t)) with {u.NonZeroCount} stored entries: each output\n" +
                 "channel's rows read only its group's input channels, and only its own block of weight columns.");
        page.CheckEqual("the explicit U(x) = U probed column by column from the direct correlation (unit weights)",
            Probe.Patches(geometry, x.Data), explicitU.ToDense());

        var uw = new long[u.RowCount];
        u.Multiply(w.Data, uw);
        var conv = new long[geometry.Batch * geometry.OutputLength];
        DirectCorrelation.Apply<long>(geometry, x.Data, w.Data, conv);
        page.CheckEqual("U(x)·w = the direct correlation conv(x, w), over the whole batch", conv, uw);

        var gw = new long[u.ColumnCount];
        u.TransposeMultiply(g.Data, gw);
        var reference = new long[gw.Length];
        DirectWeightGradient.Apply<long>(geometry, x.Data, g.Data, reference);
        page.CheckEqual("U(x)ᵀ·g = the reference loop of torch.nn.grad.conv2d_weight (summed over the batch)", reference, gw);
        page.CheckEqual("= Σₙ corr(x[n, ci], g[n, co]; stride (1, 2), dilation (2, 1), same padding), first 3×2, for each (co, c)",
            AsCorrelation(geometry, x.Data, g.Data), gw);
        var vx = new long[conv.Length];
        var vtg = new long[x.Length];
        var v = ConvolutionMatrix<long>.Compile(w.Data, geometry);
        v.Convolve(x.Data, vx);
        v.ConvolveTranspose(g.Data, vtg);
        ThreeWays(page, "⟨V(w)x, g⟩", Dense.Dot(vx, g.Data), "⟨w, U(x)ᵀg⟩", Dense.Dot(w.Data, gw), "⟨x, V(w)ᵀg⟩", Dense.Dot(x.Data, vtg));
    }

    /// <summary>The lecture's transposed convolution: its weight gradient is the correlation of the output gradient with the input.</summary>
    private static void Transposed(ProofPage page)
    {
        page.Heading("Transposed convolution: the output gradient is the one correlated");
        page.Say("y = V(K)ᵀ·x is linear in K as well, y = Uₜ(x)·K, and ⟨V(K)ᵀx, g⟩ = ⟨V(K)g, x⟩: the gradient with respect to K\n" +
                 "is that of the forward convolution whose input is g and whose output gradient is x, corr2d(g, x). On the\n" +
                 "lecture's X = K = [[0, 1], [2, 3]] with a 3×3 output gradient:");
        long[,] x = { { 0, 1 }, { 2, 3 } }, k = { { 0, 1 }, { 2, 3 } };
        var geometry = ConvGeometry.ForConvTranspose([1, 1, 2, 2], [1, 1, 2, 2]);
        var g = Dense.Plane(Samples.Integers([1, 1, 3, 3], seed: 81));
        page.ShowData("g =", g);
        var u = PatchMatrix<long>.ForConvTranspose(geometry, Dense.Flatten(x));
        var U = u.ToCompressedRows().ToDense();
        page.Show($"Uₜ(X) ({U.GetLength(0)}×{U.GetLength(1)}) =", U);
        var y = new long[u.RowCount];
        u.Multiply(Dense.Flatten(k), y);
        page.CheckEqual("Uₜ(X)·vec(K) = trans_conv(X, K), the lecture's [[0, 0, 1], [0, 4, 6], [4, 12, 9]]", Dense.Flatten(SeedCode.TransConv(x, k)), y);
        var gw = new long[u.ColumnCount];
        u.TransposeMultiply(Dense.Flatten(g), gw);
        page.ShowSideBySide(false, ("Uₜ(X)ᵀ·vec(g) =", Dense.Matrix(gw, 2, 2)), ("corr2d(g, X) =", SeedCode.Corr2d(g, x)));
        page.CheckEqual("Uₜ(X)ᵀ·vec(g) = corr2d(g, X): the output gradient, correlated with the input as the kernel", Dense.Flatten(SeedCode.Corr2d(g, x)), gw);
        page.CheckEqual("= Functional.ConvTransposeWeightGrad(X, (1, 1, 2, 2), g)", gw,
            Functional.ConvTransposeWeightGrad(Dense.AsTensor(x), [1, 1, 2, 2], Dense.AsTensor(g)).Data);
        var v = ConvolutionMatrix<long>.Compile(Dense.Flatten(k), geometry).ToDense();
        ThreeWays(page, "⟨V(K)ᵀx, g⟩", Dense.Dot(Dense.Multiply(Dense.Transpose(v), Dense.Flatten(x)), Dense.Flatten(g)),
            "⟨K, Uₜ(X)ᵀg⟩", Dense.Dot(Dense.Flatten(k), gw), "⟨x, V(K)g⟩", Dense.Dot(Dense.Flatten(x), Dense.Multiply(v, Dense.Flatten(g))));
    }

    /// <summary>Prints the three inner products and checks they are one number.</summary>
    private static void ThreeWays(ProofPage page, string a, long left, string b, long middle, string c, long right)
    {
        page.Say($"{a} = {left}    {b} = {middle}    {c} = {right}");
        page.Check($"{a} = {b} = {c}, exactly", left == middle && middle == right);
    }

    /// <summary>d2l's slices X[i:i+h, j:j+w], flattened, one row per output element: im2col by hand.</summary>
    public static long[,] Im2Col(long[,] x, int h, int w)
    {
        int rows = x.GetLength(0) - h + 1, cols = x.GetLength(1) - w + 1;
        var u = new long[rows * cols, h * w];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                for (int a = 0; a < h; a++)
                    for (int b = 0; b < w; b++)
                        u[i * cols + j, a * w + b] = x[i + a, j + b];
        return u;
    }

    /// <summary>U column by column: column t is corr2d(X, Eₜ) with Eₜ the h×w kernel that is 1 at tap t.</summary>
    private static long[,] ProbedWithCorr2d(long[,] x, int h, int w)
    {
        var u = new long[(x.GetLength(0) - h + 1) * (x.GetLength(1) - w + 1), h * w];
        for (int t = 0; t < h * w; t++)
        {
            var unit = new long[h, w];
            unit[t / w, t % w] = 1;
            var column = Dense.Flatten(SeedCode.Corr2d(x, unit));
            for (int o = 0; o < column.Length; o++) u[o, t] = column[o];
        }
        return u;
    }

    /// <summary>corr(x, g) of one sample and channel with g as the kernel, through the direct correlation, as a matrix (1-d: one row).</summary>
    private static long[,] Correlate(Tensor<long> x, Tensor<long> g, ConvOptions options)
    {
        var geometry = ConvGeometry.ForConv(x.ShapeArray, g.ShapeArray, options);
        var result = new long[geometry.OutputLength];
        DirectCorrelation.Apply<long>(geometry, x.Data, g.Data, result);
        return Dense.Matrix(result, geometry.Rank == 1 ? 1 : geometry.OutputSize[0], geometry.OutputSize[^1]);
    }

    /// <summary>
    /// The weight gradient as correlations only: gw[co, c] = Σₙ corr(x[n, ci], g[n, co]) with the stride and dilation
    /// exchanged and the same padding, cut to the kernel's size; ci is c's channel in co's group.
    /// </summary>
    public static long[] AsCorrelation(ConvGeometry geometry, long[] x, long[] g)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        int cig = geometry.InChannels / geometry.Groups, cog = geometry.OutChannels / geometry.Groups;
        int inPlane = geometry.InputLength / geometry.InChannels, outPlane = geometry.OutputLength / geometry.OutChannels;
        var swapped = ConvGeometry.ForConv([1, 1, .. geometry.InputSize], [1, 1, .. geometry.OutputSize], new ConvOptions
        {
            Stride = [.. geometry.Dilation], Dilation = [.. geometry.Stride], PaddingMode = geometry.PaddingMode,
            Padding = Padding.Asymmetric([.. geometry.PaddingBefore.Zip(geometry.PaddingAfter)]),
        });
        var kernel = geometry.KernelSize.ToArray();
        int taps = kernel.Aggregate(1, (a, b) => a * b);
        var corr = new long[swapped.OutputLength];
        var result = new long[geometry.WeightLength];
        for (int co = 0; co < geometry.OutChannels; co++)
            for (int c = 0; c < cig; c++)
                for (int n = 0; n < geometry.Batch; n++)
                {
                    int ci = co / cog * cig + c;
                    DirectCorrelation.Apply<long>(swapped, x.AsSpan((n * geometry.InChannels + ci) * inPlane, inPlane),
                        g.AsSpan((n * geometry.OutChannels + co) * outPlane, outPlane), corr);
                    for (int t = 0; t < taps; t++) result[(co * cig + c) * taps + t] += corr[Leading(t, kernel, swapped.OutputSize)];
                }
        return result;
    }

    /// <summary>Index t of a row-major <paramref name="inner"/> block, as an index into the row-major <paramref name="outer"/> array that holds it at its origin.</summary>
    private static int Leading(int t, int[] inner, IReadOnlyList<int> outer)
    {
        int index = 0, stride = 1;
        for (int d = inner.Length - 1; d >= 0; d--)
        {
            index += t % inner[d] * stride;
            t /= inner[d];
            stride *= outer[d];
        }
        return index;
    }
}
