using ConvAsMatrix.Proofs;

namespace ConvAsMatrix.Tests.Proofs;

/// <summary>
/// Proof 14 prints the numbers worked out here by hand for the lecture's example, and its claim (the weight gradient
/// is a correlation with stride and dilation exchanged) holds beyond the geometries the proof shows.
/// </summary>
public class WeightGradientIsACorrelationTests
{
    private static IReadOnlyList<PageBlock> Blocks()
    {
        var page = new ProofPage();
        new WeightGradientIsACorrelation().Run(page);
        Assert.All(page.Checks, c => Assert.True(c.Holds, c.Statement));
        return page.Blocks;
    }

    private static string[,] Shown(IReadOnlyList<PageBlock> blocks, string labelStart) =>
        blocks.OfType<MatricesBlock>().SelectMany(m => m.Items).First(i => i.Label.StartsWith(labelStart, StringComparison.Ordinal)).Cells;

    private static string[,] Cells(long[,] m) => Dense.Map(m, v => v.ToString());

    [Fact]
    public void PrintsTheLecturesUAndItsProducts()
    {
        var blocks = Blocks();
        // Row (i, j) is X[i:i+2, j:j+2] of X = arange(9).reshape(3, 3), flattened; X[0, 0] = 0 is printed as 0, not a dot.
        Assert.Equal(Cells(new long[,] { { 0, 1, 3, 4 }, { 1, 2, 4, 5 }, { 3, 4, 6, 7 }, { 4, 5, 7, 8 } }), Shown(blocks, "U(X) (4×4, 16 stored entries)"));
        Assert.Equal(["27", "37", "57", "67"], blocks.OfType<VectorBlock>().Single(v => v.Label == "U(X)·vec(K) =").Cells);
        // ∂L/∂K[a, b] = Σ G[i, j]·X[i + a, j + b] with G = [[2, −1], [1, 3]]: 0·2 − 1 + 3 + 4·3 = 14, …
        var gradient = Cells(new long[,] { { 14, 19 }, { 29, 34 } });
        Assert.Equal(gradient, Shown(blocks, "U(X)ᵀ·vec(G)"));
        Assert.Equal(gradient, Shown(blocks, "∂L/∂K by unit steps"));
        Assert.Equal(gradient, Shown(blocks, "corr2d(X, G)"));
        // ⟨Y, G⟩ = 27·2 − 37 + 57 + 67·3 = 275, three ways.
        Assert.Contains(blocks.OfType<ProseBlock>(), p => p.Text == "⟨V(K)x, g⟩ = 275    ⟨K, U(X)ᵀg⟩ = 275    ⟨x, V(K)ᵀg⟩ = 275");
    }

    [Fact]
    public void PrintsTheTransposedConvolutionsUOfTheLecturesScatter()
    {
        // Uₜ(X)[(r, c), (a, b)] = X[r − a, c − b] for X = [[0, 1], [2, 3]]: the scatter Y[i:i+2, j:j+2] += X[i, j]·K read by tap.
        long[,] expected =
        {
            { 0, 0, 0, 0 }, { 1, 0, 0, 0 }, { 0, 1, 0, 0 },
            { 2, 0, 0, 0 }, { 3, 2, 1, 0 }, { 0, 3, 0, 1 },
            { 0, 0, 2, 0 }, { 0, 0, 3, 2 }, { 0, 0, 0, 3 },
        };
        Assert.Equal(Dense.Map(expected, v => Grid.Cell(v, dotZeros: true)), Shown(Blocks(), "Uₜ(X) (9×4)"));
    }

    [Fact]
    public void EveryStrideAndDilationTableRowAgrees()
    {
        var table = Blocks().OfType<TableBlock>().Single();
        Assert.Equal(7, table.Rows.Count);
        Assert.All(table.Rows, r => Assert.Equal("yes", r[^1]));
        Assert.Contains(table.Rows, r => int.Parse(r[3]) > 3); // a case where the correlation runs past the kernel
    }

    [Fact]
    public void TheLecturesGradientWouldCatchAFlippedOrTransposedGradient()
    {
        // The example is not symmetric: a gradient flipped in both axes, or transposed, differs from it, so the proof's
        // comparisons would fail on those mistakes (convmat check's weight-grad-flipped and weight-grad-transposed).
        long[,] gw = { { 14, 19 }, { 29, 34 } };
        Assert.NotEqual(gw, new long[,] { { 34, 29 }, { 19, 14 } });
        Assert.NotEqual(gw, Dense.Transpose(gw));
        Assert.Equal(gw, SeedCode.Corr2d(WeightGradientIsACorrelation.X, WeightGradientIsACorrelation.G));
        Assert.NotEqual(gw, SeedCode.Corr2d(WeightGradientIsACorrelation.G, WeightGradientIsACorrelation.X)); // the order matters: input first
    }

    public static TheoryData<int[], int[], int[], int[], int, int, PaddingMode> Geometries() => new()
    {
        { [1, 1, 8], [1, 1, 3], [2], [1], 0, 1, PaddingMode.Zeros },
        { [2, 3, 9], [4, 3, 2], [3], [2], 1, 1, PaddingMode.Circular },
        { [2, 4, 6, 7], [6, 2, 3, 2], [2, 1], [1, 2], 1, 2, PaddingMode.Reflect },
        { [1, 2, 7, 6], [2, 1, 2, 3], [1, 3], [3, 1], 2, 2, PaddingMode.Replicate },
        { [2, 2, 4, 5, 4], [2, 2, 2, 2, 2], [2, 1, 2], [1, 2, 1], 1, 1, PaddingMode.Zeros },
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void TheGradientIsTheCorrelationWithStrideAndDilationExchanged(int[] input, int[] weight, int[] stride, int[] dilation, int padding, int groups, PaddingMode mode)
    {
        var geometry = ConvGeometry.ForConv(input, weight, new ConvOptions { Stride = stride, Dilation = dilation, Padding = padding, Groups = groups, PaddingMode = mode });
        var x = Samples.Integers(geometry.InputShape, seed: 1).Data;
        var g = Samples.Integers(geometry.OutputShape, seed: 2).Data;
        var reference = new long[geometry.WeightLength];
        DirectWeightGradient.Apply<long>(geometry, x, g, reference);
        Assert.Equal(reference, WeightGradientIsACorrelation.AsCorrelation(geometry, x, g));

    }

    [Fact]
    public void ProbedUIsTheLecturesPatches()
    {
        var geometry = ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]);
        var x = WeightGradientIsACorrelation.X;
        Assert.Equal(WeightGradientIsACorrelation.Im2Col(x, 2, 2), Probe.Patches(geometry, Dense.Flatten(x)));
        Assert.Equal(new long[,] { { 0, 1, 3, 4 }, { 1, 2, 4, 5 }, { 3, 4, 6, 7 }, { 4, 5, 7, 8 } }, WeightGradientIsACorrelation.Im2Col(x, 2, 2));
    }
}
