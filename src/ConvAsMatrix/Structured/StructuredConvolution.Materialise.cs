using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>The explicit forms of the structured V: compressed rows (whole or a block of rows) and block-sparse rows.</summary>
public sealed partial class StructuredConvolution<T>
{
    /// <summary>The explicit V in compressed rows: bit-identical to <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/> on the same weight.</summary>
    /// <param name="progress">Receives the fraction of rows written (0 to 1); null for none.</param>
    /// <exception cref="ArgumentException">V would not fit int32 indices or this process's memory (checked before allocating).</exception>
    public ConvolutionMatrix<T> ToConvolutionMatrix(IProgress<double>? progress = null) =>
        ConvolutionMatrix<T>.CompileUnchecked(weight, Geometry, withColumns: false, progress);

    /// <summary>
    /// Rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) of V alone, as compressed rows: RowCount = rowEnd − rowStart,
    /// ColumnCount = V's, row r holding V's row rowStart + r with the same columns and values, built without the other rows.
    /// </summary>
    /// <param name="rowStart">First row of V, in [0, RowCount].</param>
    /// <param name="rowEnd">One past the last row, in [rowStart, RowCount].</param>
    /// <exception cref="ArgumentException">The range is outside V, or the block would not fit int32 indices or this process's memory.</exception>
    public CompressedRowStorage<T> ToCompressedRows(int rowStart, int rowEnd)
    {
        if (rowStart < 0 || rowStart > RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowStart), rowStart, $"rowStart must be in [0, {RowCount}], got {rowStart}");
        if (rowEnd < rowStart || rowEnd > RowCount)
            throw new ArgumentOutOfRangeException(nameof(rowEnd), rowEnd, $"rowEnd must be in [rowStart = {rowStart}, {RowCount}], got {rowEnd}");
        var (pointers, columns, values) = ConvolutionMatrix<T>.CompileRows(weight, Geometry, rowStart, rowEnd - rowStart, ExtraMemory.None, progress: null);
        return CompressedRowStorage<T>.View(rowEnd - rowStart, ColumnCount, pointers, columns, values);
    }

    /// <summary>
    /// V in SciPy's block-sparse-row layout (<c>scipy.sparse.bsr_matrix((Data, Indices, Indptr))</c>), channels last:
    /// block row o is output position o, block column i input position i, and block (o, i) is the C_out × C_in matrix
    /// Σ_{t : S_t[o, i] = 1} W_t (block-diagonal across groups, explicit zeros off the groups).
    /// </summary>
    /// <remarks>
    /// Row <c>o·C_out + co</c> of the BSR matrix is row <c>co·positions_out + o</c> of V, and column <c>i·C_in + ci</c> is V's
    /// column <c>ci·positions_in + i</c>: the BSR matrix is P_r·V·P_cᵀ for the permutations
    /// <see cref="BlockSparseRows{T}.RowPermutation"/> and <see cref="BlockSparseRows{T}.ColumnPermutation"/>.
    /// Blocks are listed by block row, block columns ascending. Blocks = ∏_d (entries of map d); each holds C_out·C_in values.
    /// </remarks>
    /// <exception cref="ArgumentException">The data array would exceed int32 indices or this process's memory (checked before allocating).</exception>
    public BlockSparseRows<T> ToBlockSparseRows()
    {
        var g = Geometry;
        int blockRows = g.OutChannels, blockColumns = g.InChannels;
        long blocks = maps.Aggregate(1L, (p, m) => p * m.Source.Length);
        long values = blocks * blockRows * blockColumns;
        if (blocks > Array.MaxLength || values > Array.MaxLength)
            throw new ArgumentException($"the block-sparse rows of {g} would hold {blocks} blocks of {blockRows} x {blockColumns} = {values} values, beyond int32 indices ({Array.MaxLength}); export rows in blocks (ToCompressedRows) instead", "geometry");
        MemoryBudget.Ensure(values * Unsafe.SizeOf<T>() + blocks * sizeof(int), $"the block-sparse rows of {g} ({blocks} blocks of {blockRows} x {blockColumns} values) would need", "geometry");

        int positions = frame.Positions;
        var indptr = new int[positions + 1];
        for (int o = 0; o < positions; o++)
        {
            var (o0, o1, o2) = OutputIndex(o);
            indptr[o + 1] = indptr[o] + maps[0].Count(o0) * maps[1].Count(o1) * maps[2].Count(o2);
        }
        var indices = new int[blocks];
        // Zero-filled by the runtime except for types holding references, whose zero need not be null.
        var data = new T[values];
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>()) data.AsSpan().Fill(T.AdditiveIdentity);
        ParallelRows.For(positions, indptr[positions] / Math.Max(1, positions) * blockRows * blockColumns / Math.Max(1, g.Groups),
            new BlockFill(this, indptr, indices, data));
        return new BlockSparseRows<T>(RowCount, ColumnCount, blockRows, blockColumns, indptr, indices, data);
    }

    private (int O0, int O1, int O2) OutputIndex(int position) =>
        (position / (frame.Out1 * frame.Out2), position / frame.Out2 % frame.Out1, position % frame.Out2);

    /// <summary>Writes block rows [start, end): for each entry triple of o's maps, its input position and its C_out × C_in block.</summary>
    private readonly struct BlockFill(StructuredConvolution<T> v, int[] indptr, int[] indices, T[] data) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            var f = v.frame;
            SamplingMap m0 = v.maps[0], m1 = v.maps[1], m2 = v.maps[2];
            int blockColumns = v.Geometry.InChannels, blockSize = v.Geometry.OutChannels * blockColumns;
            int cig = f.InPerGroup, cog = f.OutPerGroup;
            for (int o = start; o < end; o++)
            {
                var (o0, o1, o2) = v.OutputIndex(o);
                int b = indptr[o];
                for (int e0 = m0.EntryStart[o0]; e0 < m0.EntryStart[o0 + 1]; e0++)
                    for (int e1 = m1.EntryStart[o1]; e1 < m1.EntryStart[o1 + 1]; e1++)
                        for (int e2 = m2.EntryStart[o2]; e2 < m2.EntryStart[o2 + 1]; e2++, b++)
                        {
                            indices[b] = (m0.Source[e0] * f.InSize[1] + m1.Source[e1]) * f.InRow + m2.Source[e2];
                            long block = (long)b * blockSize;
                            for (int co = 0; co < v.Geometry.OutChannels; co++)
                            {
                                int firstInput = co / cog * cig;
                                for (int c = 0; c < cig; c++)
                                    data[block + (long)co * blockColumns + firstInput + c] =
                                        ConvolutionMatrix<T>.TapSum(v.maps, v.weight, (co * cig + c) * f.KChannel, e0, e1, e2, f.KPlane, f.KRow);
                            }
                        }
            }
        }
    }
}
