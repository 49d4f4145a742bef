using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Exchange;

/// <summary>The layout promises of docs/exchange.md that CSparse.NET and SuiteSparse users rely on.</summary>
public class LayoutGuaranteeTests
{
    [Fact]
    public void ArraysAreExactSortedDuplicateFreeAndSharedByTheTranspose()
    {
        var random = new Random(17);
        for (int trial = 0; trial < 60; trial++)
        {
            var mode = (PaddingMode)(trial % 4);
            int groups = 1 + trial % 2;
            var v = Problems.Random2D(random, 2 * groups, 2 * groups, random.Next(3, 7), 3,
                new ConvOptions { Padding = 2, Stride = [1 + trial % 2], Dilation = [1 + trial / 30], Groups = groups, PaddingMode = mode });
            string where = $"trial {trial} ({mode})";

            // Exactly NonZerosCount entries, pointers from 0, columns strictly ascending within each row (so no duplicates).
            Assert.Equal(v.NonZerosCount, v.ColumnIndices.Length);
            Assert.Equal(v.NonZerosCount, v.Values.Length);
            Assert.Equal(0, v.RowPointers[0]);
            AssertStrictlyAscending(v.RowPointers, v.ColumnIndices, where);

            // Vᵀ in CSC is the same three arrays.
            var vt = v.Transpose();
            Assert.Same(v.RowPointers, vt.ColumnPointers);
            Assert.Same(v.ColumnIndices, vt.RowIndices);
            Assert.Same(v.Values, vt.Values);
            Assert.Equal((v.ColumnCount, v.RowCount), (vt.RowCount, vt.ColumnCount));

            // V in CSC: a copy of the same entries, rows strictly ascending within each column.
            var csc = v.ToCompressedColumns();
            Assert.Equal(v.NonZerosCount, csc.RowIndices.Length);
            AssertStrictlyAscending(csc.ColumnPointers, csc.RowIndices, where + " CSC");
            Assert.Equal(v.ToDense(), csc.ToDense());
        }
    }

    [Fact]
    public void TapsThatCancelAreStoredAsExplicitZeros()
    {
        // Reflect padding folds taps 0 and 2 of output 0 onto x[1]: 1 + (−1) = 0, kept as a stored entry.
        var g = ConvGeometry.ForConv([1, 1, 5], [1, 1, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect });
        var v = ConvolutionMatrix<double>.Compile([1.0, 0.0, -1.0], g);
        Assert.Equal(g.NonZeroCount, v.NonZerosCount);
        Assert.Contains(v.EnumerateNonZeros(), e => e is { Row: 0, Column: 1, Value: 0.0 });
    }

    private static void AssertStrictlyAscending(int[] pointers, int[] indices, string where)
    {
        for (int line = 0; line + 1 < pointers.Length; line++)
            for (int k = pointers[line] + 1; k < pointers[line + 1]; k++)
                Assert.True(indices[k - 1] < indices[k], $"{where}: line {line} indices {indices[k - 1]}, {indices[k]}");
    }
}
