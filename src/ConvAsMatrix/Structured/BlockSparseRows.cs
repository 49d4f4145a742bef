namespace ConvAsMatrix;

/// <summary>
/// A convolution's V in SciPy's block-sparse-row layout (BSR), channels last, as made by
/// <see cref="StructuredConvolution{T}.ToBlockSparseRows"/>: block row r holds the blocks
/// <c>Indptr[r] .. Indptr[r + 1]</c>, block b sits in block column <c>Indices[b]</c>, and its values are
/// <c>Data[b·R·C .. (b + 1)·R·C]</c>, an R × C matrix row-major. <c>scipy.sparse.bsr_matrix((Data.reshape(-1, R, C),
/// Indices, Indptr), shape=(RowCount, ColumnCount))</c> reads it as it is.
/// </summary>
/// <remarks>
/// <para>Channels last: block row o is output position o (row-major over the output's spatial dimensions), block column i
/// input position i, R = C_out and C = C_in. So row <c>o·C_out + co</c> of this matrix is row <c>co·positions_out + o</c> of V,
/// whose rows are channel-first (co, o); columns alike. With the permutations below, this matrix B and V satisfy
/// <c>B[r, c] = V[RowPermutation[r], ColumnPermutation[c]]</c>.</para>
/// </remarks>
/// <typeparam name="T">Element type.</typeparam>
public sealed class BlockSparseRows<T>
{
    internal BlockSparseRows(int rowCount, int columnCount, int blockRows, int blockColumns, int[] indptr, int[] indices, T[] data)
    {
        RowCount = rowCount;
        ColumnCount = columnCount;
        BlockRows = blockRows;
        BlockColumns = blockColumns;
        Indptr = indptr;
        Indices = indices;
        Data = data;
    }

    /// <summary>Rows of the matrix (V's rows).</summary>
    public int RowCount { get; }

    /// <summary>Columns of the matrix (V's columns).</summary>
    public int ColumnCount { get; }

    /// <summary>R, the rows of one block: C_out.</summary>
    public int BlockRows { get; }

    /// <summary>C, the columns of one block: C_in.</summary>
    public int BlockColumns { get; }

    /// <summary>Block row r's blocks are <c>Indptr[r] .. Indptr[r + 1]</c>; length RowCount / R + 1.</summary>
    public int[] Indptr { get; }

    /// <summary>The block column of each block, ascending within a block row.</summary>
    public int[] Indices { get; }

    /// <summary>The blocks' values: block b is <c>Data[b·R·C + j·C + k]</c> for its row j and column k (shape (blocks, R, C), row-major).</summary>
    public T[] Data { get; }

    /// <summary>Number of blocks.</summary>
    public int BlockCount => Indices.Length;

    /// <summary>For each row r of this matrix, the row of V it is: <c>RowPermutation[o·R + co] = co·(RowCount / R) + o</c>.</summary>
    public int[] RowPermutation => ChannelsFirst(RowCount, BlockRows);

    /// <summary>For each column c of this matrix, the column of V it is: <c>ColumnPermutation[i·C + ci] = ci·(ColumnCount / C) + i</c>.</summary>
    public int[] ColumnPermutation => ChannelsFirst(ColumnCount, BlockColumns);

    /// <summary>The channel-first index of each channel-last index (position·channels + channel ↦ channel·positions + position).</summary>
    private static int[] ChannelsFirst(int length, int channels)
    {
        int positions = length / channels;
        var map = new int[length];
        for (int p = 0, r = 0; p < positions; p++)
            for (int c = 0; c < channels; c++, r++)
                map[r] = c * positions + p;
        return map;
    }
}
