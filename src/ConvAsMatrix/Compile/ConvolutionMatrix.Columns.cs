using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>The compressed-column form of V, compiled like the rows: from the sampling maps, in parallel, without sorting.</summary>
public sealed partial class ConvolutionMatrix<T>
{
    /// <summary>
    /// Column (ci, i) of V holds, for every output channel co of ci's group and every output position o that
    /// reads i, the entry (co, o). Per dimension the inverse of the sampling map lists, for each input index,
    /// the entries that read it in ascending output order; the row-major product of the three inverse lists
    /// inside each output channel gives the column's rows ascending, as a counting sort of V would.
    /// </summary>
    private CompressedColumnStorage<T> CompileColumns()
    {
        var g = Geometry;
        // Checked when first needed rather than at compile time: a V used only forwards never builds it.
        MemoryBudget.Ensure(ColumnsBytes(g), $"the compressed-column copy of V (for Vᵀ) of {g} would need", "geometry");
        var maps = g.Maps3;
        var inSize = ConvGeometry.Pad3(g.InputSize, 1);
        var inverse = InverseSamplingMap.Of(g);
        int cog = g.OutChannels / g.Groups, columnsPerChannel = inSize[0] * inSize[1] * inSize[2];
        var pointers = new int[ColumnCount + 1];
        for (int col = 0, i = 0; col < ColumnCount; col++, i = i + 1 == columnsPerChannel ? 0 : i + 1)
        {
            int i0 = i / (inSize[1] * inSize[2]), i1 = i / inSize[2] % inSize[1], i2 = i % inSize[2];
            pointers[col + 1] = pointers[col] + cog * inverse[0].Count(i0) * inverse[1].Count(i1) * inverse[2].Count(i2);
        }
        int nnz = pointers[ColumnCount];
        var rows = GC.AllocateUninitializedArray<int>(nnz);
        var values = GC.AllocateUninitializedArray<T>(nnz);
        ParallelRows.For(ColumnCount, nnz / Math.Max(1, ColumnCount), new ColumnFill(g, maps, inverse, weight, pointers, rows, values));
        return CompressedColumnStorage<T>.View(RowCount, ColumnCount, pointers, rows, values);
    }

    /// <summary>Writes columns [start, end) of V: for each output channel of the column's group, the row-major product of the inverse maps' entries.</summary>
    private readonly struct ColumnFill(ConvGeometry g, SamplingMap[] maps, InverseSamplingMap[] inverse, T[] weight, int[] columnPointers, int[] rowIndices, T[] values) : IRowOperation
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            InverseSamplingMap n0 = inverse[0], n1 = inverse[1], n2 = inverse[2];
            int out1 = maps[1].OutputSize, out2 = maps[2].OutputSize, positions = maps[0].OutputSize * out1 * out2;
            var inSize = ConvGeometry.Pad3(g.InputSize, 1);
            var kSize = ConvGeometry.Pad3(g.KernelSize, 1);
            int inPlane = inSize[1] * inSize[2], inChannel = inPlane * inSize[0];
            int kPlane = kSize[1] * kSize[2], kChannel = kPlane * kSize[0], kRow = kSize[2];
            int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
            bool singleTap = maps[0].SingleTap && maps[1].SingleTap && maps[2].SingleTap;
            // Locals, not fields: the JIT cannot keep a field's array in a register across the stores below.
            int[] start0 = n0.Start, start1 = n1.Start, start2 = n2.Start;
            int[] out0 = n0.Output, outs1 = n1.Output, outs2 = n2.Output;
            int[] tap0 = n0.FirstTap, tap1 = n1.FirstTap, tap2 = n2.FirstTap;
            int[] entries0 = n0.Entries, entries1 = n1.Entries, entries2 = n2.Entries;
            int[] rows = rowIndices;
            T[] vals = values, w = weight;
            for (int col = start; col < end; col++)
            {
                int ci = col / inChannel, pos = col % inChannel;
                int i0 = pos / inPlane, i1 = pos / inSize[2] % inSize[1], i2 = pos % inSize[2];
                int group = ci / cig, c = ci % cig;
                int k = columnPointers[col];
                int first2 = start2[i2], last2 = start2[i2 + 1];
                for (int co = group * cog; co < (group + 1) * cog; co++)
                {
                    int wBase = (co * cig + c) * kChannel, rowBase = co * positions;
                    for (int a0 = start0[i0]; a0 < start0[i0 + 1]; a0++)
                    {
                        int row0 = rowBase + out0[a0] * out1 * out2;
                        for (int a1 = start1[i1]; a1 < start1[i1 + 1]; a1++)
                        {
                            int row1 = row0 + outs1[a1] * out2;
                            if (singleTap)
                            {
                                int w1 = wBase + tap0[a0] * kPlane + tap1[a1] * kRow;
                                for (int a2 = first2; a2 < last2; a2++, k++)
                                {
                                    rows[k] = row1 + outs2[a2];
                                    vals[k] = w[w1 + tap2[a2]];
                                }
                            }
                            else
                                for (int a2 = first2; a2 < last2; a2++, k++)
                                {
                                    rows[k] = row1 + outs2[a2];
                                    vals[k] = TapSum(maps, w, wBase, entries0[a0], entries1[a1], entries2[a2], kPlane, kRow);
                                }
                        }
                    }
                }
            }
        }
    }
}
