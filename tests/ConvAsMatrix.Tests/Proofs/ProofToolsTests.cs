using ConvAsMatrix.Proofs;
using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Tests.Proofs;

/// <summary>The proofs' own tools: exact rank, the seed's ported code, grids and wrapping.</summary>
public class ProofToolsTests
{
    [Fact]
    public void ExactRankOfKnownMatrices()
    {
        Assert.Equal(3, ExactRank.Of(new long[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }));
        Assert.Equal(0, ExactRank.Of(new long[3, 4]));
        Assert.Equal(2, ExactRank.Of(new long[,] { { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } }));
        Assert.Equal(1, ExactRank.Of(new long[,] { { 0, 2 }, { 0, 4 } }));
    }

    [Fact]
    public void ExactRankAgreesWithMathNetOnRandomIntegerMatrices()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int rows = rng.Next(1, 7), cols = rng.Next(1, 7), rankCap = rng.Next(1, 7);
            // A product of rows×r and r×cols integer factors has rank ≤ r: exercises the deficient cases.
            var a = new long[rows, rankCap];
            var b = new long[rankCap, cols];
            for (int i = 0; i < rows; i++) for (int j = 0; j < rankCap; j++) a[i, j] = rng.Next(-3, 4);
            for (int i = 0; i < rankCap; i++) for (int j = 0; j < cols; j++) b[i, j] = rng.Next(-3, 4);
            var m = Dense.Multiply(a, b);
            int expected = Matrix<double>.Build.Dense(rows, cols, (i, j) => m[i, j]).Rank();
            Assert.Equal(expected, ExactRank.Of(m));
        }
    }

    [Fact]
    public void SeedKernel2MatrixIsTheSeedsLiteralW()
    {
        long[,] expected =
        {
            { 1, 2, 0, 3, 4, 0, 0, 0, 0 },
            { 0, 1, 2, 0, 3, 4, 0, 0, 0 },
            { 0, 0, 0, 1, 2, 0, 3, 4, 0 },
            { 0, 0, 0, 0, 1, 2, 0, 3, 4 },
        };
        Assert.Equal(expected, SeedCode.Kernel2Matrix(new long[,] { { 1, 2 }, { 3, 4 } }));
    }

    [Fact]
    public void GridDrawsBracketsDotsAndRules()
    {
        var lines = Grid.Lines("V =", new long[,] { { 1, 0, 2, 0 }, { 0, 3, 0, 4 } }, rowBlock: 1, columnBlock: 2);
        Assert.Equal(
        [
            "    ┌ 1 · │ 2 · ┐",
            "    ├─────┼─────┤",
            "V = └ · 3 │ · 4 ┘",
        ], lines);
        Assert.Equal("x = [  0  1 -2 ]", Grid.Row("x =", new long[] { 0, 1, -2 }));
        Assert.Equal(["[ 7 ]"], Grid.Lines("", new long[,] { { 7 } }));
    }

    [Fact]
    public void ParagraphsJoinProseAndKeepFormulas()
    {
        Assert.Equal(["one two three", "  x = 1", "four five", "", "six"],
            Wrap.Paragraphs("one two\nthree\n  x = 1\nfour\nfive\n\nsix"));
    }

    [Fact]
    public void WrapBreaksAtSpacesAndKeepsTheIndent()
    {
        Assert.Equal(["  aaa bbb", "  ccc"], Wrap.Lines("  aaa bbb ccc", 10));
        Assert.Equal(["short"], Wrap.Lines("short", 10));
        Assert.Equal(["averyveryverylongword", "x"], Wrap.Lines("averyveryverylongword x", 10));
    }
}
