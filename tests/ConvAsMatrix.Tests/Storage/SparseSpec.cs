using FsCheck;
using FsCheck.Fluent;

namespace ConvAsMatrix.Tests.Storage;

/// <summary>
/// A random sparse matrix in compressed-row form, reproducible from its seed: 0 to 4 entries per row, columns in
/// any order and possibly repeated (the storage types accept both; repeated entries add up), long values in [−9, 9].
/// </summary>
public sealed record SparseSpec(int Rows, int Columns, int MaxPerRow, int Seed)
{
    public (int[] Pointers, int[] Indices, long[] Values) Arrays()
    {
        var rng = new Random(Seed);
        var pointers = new int[Rows + 1];
        var indices = new List<int>();
        var values = new List<long>();
        for (int r = 0; r < Rows; r++)
        {
            int count = Columns == 0 ? 0 : rng.Next(0, MaxPerRow + 1);
            for (int k = 0; k < count; k++)
            {
                indices.Add(rng.Next(Columns));
                values.Add(rng.Next(-9, 10));
            }
            pointers[r + 1] = indices.Count;
        }
        return (pointers, indices.ToArray(), values.ToArray());
    }

    public CompressedRowStorage<long> Csr()
    {
        var (p, i, v) = Arrays();
        return new CompressedRowStorage<long>(Rows, Columns, p, i, v);
    }

    /// <summary>The same arrays read as compressed columns: pointers run over Rows lines, so this is the Columns × Rows matrix Dense()ᵀ.</summary>
    public CompressedColumnStorage<long> Csc()
    {
        var (p, i, v) = Arrays();
        return new CompressedColumnStorage<long>(Columns, Rows, p, i, v);
    }

    /// <summary>The dense matrix, duplicates summed: written from the arrays directly, not through the storage types.</summary>
    public long[,] Dense()
    {
        var (p, i, v) = Arrays();
        var d = new long[Rows, Columns];
        for (int r = 0; r < Rows; r++)
            for (int k = p[r]; k < p[r + 1]; k++) d[r, i[k]] += v[k];
        return d;
    }

    public long[] Vector(int length, int salt)
    {
        var rng = new Random(Seed ^ salt);
        return Enumerable.Range(0, length).Select(_ => (long)rng.Next(-9, 10)).ToArray();
    }

    public override string ToString() => $"{Rows}x{Columns}, <= {MaxPerRow} per row, seed {Seed}";
}

/// <summary>Generator and shrinker of <see cref="SparseSpec"/> (empty rows, columns and matrices included).</summary>
public static class SparseArbitraries
{
    public static Arbitrary<SparseSpec> Sparse() => Arb.From(
        from rows in Gen.Choose(0, 12)
        from columns in Gen.Choose(0, 12)
        from perRow in Gen.Choose(0, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select new SparseSpec(rows, columns, perRow, seed),
        s => new[] { s with { Rows = s.Rows - 1 }, s with { Columns = s.Columns - 1 }, s with { MaxPerRow = s.MaxPerRow - 1 } }
            .Where(t => t.Rows >= 0 && t.Columns >= 0 && t.MaxPerRow >= 0));
}
