using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The three plain arrays of a compressed sparse matrix, read along its major dimension (rows for
/// <see cref="CompressedRowStorage{T}"/>, columns for <see cref="CompressedColumnStorage{T}"/>): major line
/// <c>i</c> holds minor indices <c>Indices[Pointers[i] .. Pointers[i + 1]]</c> with values at the same
/// positions. The same arrays read along the other dimension are the transpose, so both storage types are
/// views of this one layout and share every kernel.
/// </summary>
/// <typeparam name="T">Element type; only addition, multiplication and zero are asked of it.</typeparam>
public abstract class CompressedStorage<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    /// <param name="majorCount">Lines along the major dimension (rows of CSR, columns of CSC).</param>
    /// <param name="minorCount">Size of the other dimension.</param>
    /// <param name="pointers">Line i's entries are at pointers[i] .. pointers[i + 1].</param>
    /// <param name="indices">Minor index of each entry.</param>
    /// <param name="values">Value of each entry.</param>
    /// <param name="checkAs">The public names of the arrays and dimensions to check them under; null for arrays the library built itself.</param>
    private protected CompressedStorage(int majorCount, int minorCount, int[] pointers, int[] indices, T[] values, ArrayNames? checkAs)
    {
        if (checkAs is { } names) Validate(majorCount, minorCount, pointers, indices, values, names);
        MajorCount = majorCount;
        MinorCount = minorCount;
        Pointers = pointers;
        Indices = indices;
        StoredValues = values;
    }

    private protected int MajorCount { get; }
    private protected int MinorCount { get; }
    private protected int[] Pointers { get; }
    private protected int[] Indices { get; }
    private protected T[] StoredValues { get; }

    /// <summary>Number of stored entries, the last pointer.</summary>
    public int NonZerosCount => Pointers[MajorCount];

    /// <summary>What the caller calls the major and minor dimensions and the two index arrays, so errors name its parameters.</summary>
    private protected readonly record struct ArrayNames(string Major, string Minor, string Pointers, string Indices)
    {
        public static ArrayNames Rows { get; } = new("rowCount", "columnCount", "rowPointers", "columnIndices");
        public static ArrayNames Columns { get; } = new("columnCount", "rowCount", "columnPointers", "rowIndices");
    }

    private static void Validate(int major, int minor, int[] pointers, int[] indices, T[] values, ArrayNames n)
    {
        ArgumentNullException.ThrowIfNull(pointers, n.Pointers);
        ArgumentNullException.ThrowIfNull(indices, n.Indices);
        ArgumentNullException.ThrowIfNull(values, nameof(values));
        Check.AtLeast(major, 0, n.Major);
        Check.AtLeast(minor, 0, n.Minor);
        if (pointers.Length != (long)major + 1)
            throw new ArgumentException($"{n.Pointers} has length {pointers.Length}; {n.Major} = {major} needs {(long)major + 1}", n.Pointers);
        if (pointers[0] != 0) throw new ArgumentException($"{n.Pointers}[0] must be 0, got {pointers[0]}", n.Pointers);
        for (int i = 0; i < major; i++)
            if (pointers[i + 1] < pointers[i])
                throw new ArgumentException($"{n.Pointers} must not decrease: {n.Pointers}[{i}] = {pointers[i]} > {n.Pointers}[{i + 1}] = {pointers[i + 1]}", n.Pointers);
        int nnz = pointers[major];
        if (indices.Length < nnz || values.Length < nnz)
            throw new ArgumentException($"{n.Pointers} ends at {nnz} entries but {n.Indices} has {indices.Length} and values {values.Length}", indices.Length < nnz ? n.Indices : nameof(values));
        for (int k = 0; k < nnz; k++)
            if ((uint)indices[k] >= (uint)minor)
                throw new ArgumentException($"{n.Indices}[{k}] = {indices[k]} is outside [0, {n.Minor} = {minor})", n.Indices);
    }

    /// <summary>y[i] = Σ_k Values[k]·x[Indices[k]] over line i: the product with the matrix read along its major dimension.</summary>
    private protected void Gather(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
    {
        Check.SpanLength(x.Length, MinorCount, nameof(x));
        Check.SpanLength(y.Length, MajorCount, nameof(y));
        Check.NoOverlap(x, y);
        SparseKernels.Gather(Pointers, Indices, StoredValues, alpha, x, beta, y, scaled);
    }

    /// <summary>y[Indices[k]] += Values[k]·x[i] over line i: the product with the matrix read along its minor dimension (the transpose).</summary>
    private protected void Scatter(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
    {
        Check.SpanLength(x.Length, MajorCount, nameof(x));
        Check.SpanLength(y.Length, MinorCount, nameof(y));
        Check.NoOverlap(x, y);
        SparseKernels.Scatter(Pointers, Indices, StoredValues, alpha, x, beta, y, scaled);
    }

    /// <summary>The value at (major, minor): the sum of its stored entries, zero if none.</summary>
    private protected T Get(int major, int minor)
    {
        if ((uint)major >= (uint)MajorCount) throw new ArgumentOutOfRangeException(nameof(major), major, $"must be in [0, {MajorCount})");
        if ((uint)minor >= (uint)MinorCount) throw new ArgumentOutOfRangeException(nameof(minor), minor, $"must be in [0, {MinorCount})");
        T sum = T.AdditiveIdentity;
        for (int k = Pointers[major]; k < Pointers[major + 1]; k++)
            if (Indices[k] == minor) sum += StoredValues[k];
        return sum;
    }

    /// <summary>The dense matrix, with the major dimension first when <paramref name="majorFirst"/>.</summary>
    private protected T[,] Dense(bool majorFirst)
    {
        Check.Length("the dense matrix", MajorCount, MinorCount);
        var d = majorFirst ? new T[MajorCount, MinorCount] : new T[MinorCount, MajorCount];
        for (int i = 0; i < d.GetLength(0); i++)
            for (int j = 0; j < d.GetLength(1); j++)
                d[i, j] = T.AdditiveIdentity;
        for (int i = 0; i < MajorCount; i++)
            for (int k = Pointers[i]; k < Pointers[i + 1]; k++)
            {
                if (majorFirst) d[i, Indices[k]] += StoredValues[k];
                else d[Indices[k], i] += StoredValues[k];
            }
        return d;
    }

    /// <summary>The same matrix compressed along the other dimension (a counting sort, O(nnz + dimensions)); minor indices come out ascending.</summary>
    private protected (int[] Pointers, int[] Indices, T[] Values) Recompress()
    {
        int nnz = NonZerosCount;
        var ptr = new int[MinorCount + 1];
        for (int k = 0; k < nnz; k++) ptr[Indices[k] + 1]++;
        for (int j = 0; j < MinorCount; j++) ptr[j + 1] += ptr[j];
        var next = ptr[..MinorCount];
        var idx = new int[nnz];
        var val = new T[nnz];
        for (int i = 0; i < MajorCount; i++)
            for (int k = Pointers[i]; k < Pointers[i + 1]; k++)
            {
                int slot = next[Indices[k]]++;
                idx[slot] = i;
                val[slot] = StoredValues[k];
            }
        return (ptr, idx, val);
    }

    /// <summary>Every stored entry as (major, minor, value), in storage order.</summary>
    private protected IEnumerable<(int Major, int Minor, T Value)> Entries()
    {
        for (int i = 0; i < MajorCount; i++)
            for (int k = Pointers[i]; k < Pointers[i + 1]; k++)
                yield return (i, Indices[k], StoredValues[k]);
    }
}
