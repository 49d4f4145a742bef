using System.Numerics;

namespace ConvAsMatrix.Proofs;

/// <summary>The rank of an integer matrix, exactly: fraction-free Gaussian elimination (Bareiss) on BigInteger.</summary>
public static class ExactRank
{
    /// <summary>The number of linearly independent rows of <paramref name="m"/>.</summary>
    public static int Of(long[,] m)
    {
        int rows = m.GetLength(0), cols = m.GetLength(1);
        var a = new BigInteger[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                a[i, j] = m[i, j];

        // Bareiss: after each pivot every entry below stays an integer, because the previous pivot divides it exactly.
        int rank = 0;
        BigInteger previous = BigInteger.One;
        for (int col = 0; col < cols && rank < rows; col++)
        {
            int pivot = rank;
            while (pivot < rows && a[pivot, col].IsZero) pivot++;
            if (pivot == rows) continue;
            for (int j = 0; j < cols; j++) (a[rank, j], a[pivot, j]) = (a[pivot, j], a[rank, j]);
            for (int i = rank + 1; i < rows; i++)
            {
                for (int j = col + 1; j < cols; j++)
                    a[i, j] = (a[rank, col] * a[i, j] - a[i, col] * a[rank, j]) / previous;
                a[i, col] = BigInteger.Zero;
            }
            previous = a[rank, col];
            rank++;
        }
        return rank;
    }
}
