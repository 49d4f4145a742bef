using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The matrix V of a convolution: <c>vec(conv(x)) = V·vec(x)</c> for one sample, and the transposed
/// convolution <c>vec(conv_transpose(y)) = Vᵀ·vec(y)</c>. Rows are output elements and columns input
/// elements, each flattened row-major over (channels, *spatial) like PyTorch's <c>reshape(-1)</c>.
/// </summary>
/// <remarks>
/// <para>Entry <c>V[(co, o), (ci, i)]</c> = Σ of <c>weight[co, ci − g·C_in/groups, t]</c> over the taps t of output
/// position o that read input position i (through the padding mode), for ci in output channel co's group g.
/// Taps that fall into zero padding store nothing.</para>
/// <para>Compiled straight into compressed-row arrays in O(nnz) time: row lengths come from the geometry's
/// per-dimension sampling maps, so the row pointers are a prefix sum and every row is written in place,
/// with ascending column indices, in parallel, without collecting or sorting triplets.</para>
/// </remarks>
/// <typeparam name="T">Element type: double, float, decimal, long, BigInteger, or any type with +, × and zero.</typeparam>
public sealed partial class ConvolutionMatrix<T> : CompressedRowStorage<T>, IConvolutionOperator<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    private ConvolutionMatrix(ConvGeometry geometry, T[] weight, int[] rowPointers, int[] columnIndices, T[] values)
        : base(geometry.OutputLength, geometry.InputLength, rowPointers, columnIndices, values, trusted: true)
    {
        Geometry = geometry;
        this.weight = weight;
    }

    /// <summary>The weight V was compiled from (a copy), kept to compile <see cref="Columns"/> without sorting V.</summary>
    private readonly T[] weight;

    /// <summary>The convolution this matrix represents.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Compiles V from a weight tensor of shape <see cref="ConvGeometry.WeightShape"/>.</summary>
    /// <param name="weight">(C_out, C_in / groups, *k).</param>
    /// <param name="geometry">The convolution.</param>
    /// <param name="progress">Receives the fraction of rows written (0 to 1) as compilation goes; null for none.</param>
    /// <exception cref="ArgumentException">The weight's shape disagrees with the geometry, or V would not fit (see <see cref="Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/>).</exception>
    public static ConvolutionMatrix<T> Compile(Tensor<T> weight, ConvGeometry geometry, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(geometry);
        Check.Shape(weight.Shape, geometry.WeightShape, nameof(weight));
        return Compile(weight.Data, geometry, progress);
    }

    /// <summary>Compiles V from the weight (C_out, C_in / groups, *k) flattened row-major.</summary>
    /// <param name="weight">The weight, row-major.</param>
    /// <param name="geometry">The convolution.</param>
    /// <param name="progress">Receives the fraction of rows written (0 to 1) as compilation goes; null for none.</param>
    /// <exception cref="ArgumentException">
    /// The weight's length disagrees with the geometry; V would have more entries than int32 column pointers
    /// index (the CSparse/SuiteSparse layout); or V would need more memory than this process can use. The
    /// message gives the size it would need. Checked before anything large is allocated.
    /// </exception>
    public static ConvolutionMatrix<T> Compile(ReadOnlySpan<T> weight, ConvGeometry geometry, IProgress<double>? progress = null) =>
        Compile(weight, geometry, workingBytes: 0, progress);

    /// <summary>
    /// Compiles V as <see cref="Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/> does, counting in the memory
    /// check <paramref name="workingBytes"/> that the caller's operation will allocate beside V (a solver's work
    /// vectors, the output batch), so V is refused up front rather than the operation failing after V filled memory.
    /// </summary>
    /// <param name="weight">The weight, row-major.</param>
    /// <param name="geometry">The convolution.</param>
    /// <param name="workingBytes">Bytes the operation will hold besides V; at least 0.</param>
    /// <param name="progress">Receives the fraction of rows written (0 to 1) as compilation goes; null for none.</param>
    /// <exception cref="ArgumentException">As the overload without <paramref name="workingBytes"/>; or it is negative.</exception>
    public static ConvolutionMatrix<T> Compile(ReadOnlySpan<T> weight, ConvGeometry geometry, long workingBytes, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Check.SpanLength(weight.Length, geometry.WeightLength, nameof(weight));
        if (workingBytes < 0) throw new ArgumentException($"workingBytes must be at least 0, got {workingBytes}", nameof(workingBytes));
        return CompileUnchecked(weight.ToArray(), geometry, withColumns: false, progress, workingBytes);
    }

    /// <summary>
    /// Compiles V from a weight the caller has checked and copied (kept, not copied again). With
    /// <paramref name="withColumns"/> the memory check also counts the compressed-column copy
    /// (<see cref="Columns"/>) the caller is about to build, as <see cref="Functional.ConvTranspose{T}"/> does, and
    /// <paramref name="workingBytes"/> the caller's operation will hold beside V.
    /// </summary>
    internal static ConvolutionMatrix<T> CompileUnchecked(T[] kernel, ConvGeometry geometry, bool withColumns, IProgress<double>? progress, long workingBytes = 0)
    {
        var extra = new ExtraMemory(withColumns ? ColumnsBytes(geometry) : 0, workingBytes);
        var (rowPointers, columnIndices, values) = CompileRows(kernel, geometry, 0, geometry.OutputLength, extra, progress);
        return new ConvolutionMatrix<T>(geometry, kernel, rowPointers, columnIndices, values);
    }

    /// <summary>
    /// Rows [first, first + count) of V as compressed rows (row pointers from 0): the one fill behind
    /// <see cref="Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/> (all rows) and
    /// <see cref="StructuredConvolution{T}.ToCompressedRows"/> (a block), refused before the large arrays are
    /// allocated when they, plus <paramref name="extra"/> the caller will add, do not fit.
    /// </summary>
    internal static (int[] RowPointers, int[] ColumnIndices, T[] Values) CompileRows(T[] kernel, ConvGeometry geometry, int first, int count, ExtraMemory extra, IProgress<double>? progress)
    {
        // The whole V's size has a closed form, checked before the sampling maps are built (they can be large for a
        // V that is far too large) and before the row pointers are allocated; a block's is counted from the maps.
        bool whole = first == 0 && count == geometry.OutputLength;
        if (whole) EnsureFits(geometry, geometry.NonZeroCount, count, extra, "V");
        var maps = geometry.Maps3;
        long nnz = whole ? geometry.NonZeroCount : BlockNonZeroCount(geometry, maps, first, count);
        if (!whole) EnsureFits(geometry, nnz, count, extra, $"rows [{first}, {first + count}) of V");
        var rowPointers = PrefixRowLengths(geometry, maps, first, count);
        // Every entry is written below, so the arrays skip the GC's zeroing pass (types holding references are zeroed anyway).
        var columnIndices = GC.AllocateUninitializedArray<int>((int)nnz);
        var values = GC.AllocateUninitializedArray<T>((int)nnz);
        var fill = new RowFill(geometry, maps, kernel, first, rowPointers, columnIndices, values);
        ParallelRows.For(count, nnz / Math.Max(1, count), fill, progress);
        return (rowPointers, columnIndices, values);
    }

    /// <summary>The bytes of V's compressed-column copy (<see cref="Columns"/>): the entries again, and column pointers.</summary>
    internal static long ColumnsBytes(ConvGeometry geometry) =>
        geometry.NonZeroCount * (Unsafe.SizeOf<T>() + sizeof(int)) + ((long)geometry.InputLength + 1) * sizeof(int);

    /// <summary>
    /// Refuses rows of V beyond int32 indices, or beyond <see cref="MemoryBudget"/> together with
    /// <paramref name="extra"/> the operation will add, naming the size it would need and the structured form as the way on.
    /// </summary>
    private static void EnsureFits(ConvGeometry geometry, long nnz, int rows, ExtraMemory extra, string what)
    {
        if (nnz > Array.MaxLength)
            throw new ArgumentException($"{what} of {geometry} would store {nnz} entries, beyond int32 column pointers ({Array.MaxLength}); {MemoryBudget.StructuredAdvice}, or compile it in blocks of rows", nameof(geometry));
        long bytes = nnz * (Unsafe.SizeOf<T>() + sizeof(int)) + ((long)rows + 1) * sizeof(int);
        MemoryBudget.Ensure(bytes + extra.Bytes, $"{what} of {geometry} ({nnz} entries x {Unsafe.SizeOf<T>() + sizeof(int)} bytes){extra.Description} would need", nameof(geometry));
    }

    /// <summary>Entries of rows [first, first + count), counted from the sampling maps in O(count).</summary>
    private static long BlockNonZeroCount(ConvGeometry g, SamplingMap[] maps, int first, int count)
    {
        long nnz = 0;
        ForEachRowLength(g, maps, first, count, (_, length) => nnz += length);
        return nnz;
    }

    /// <summary>Row (co, o) has (C_in / groups)·∏_d count_d(o_d) entries; every output channel repeats the same pattern.</summary>
    private static int[] PrefixRowLengths(ConvGeometry g, SamplingMap[] maps, int first, int count)
    {
        var rowPointers = new int[count + 1];
        ForEachRowLength(g, maps, first, count, (r, length) => rowPointers[r + 1] = rowPointers[r] + (int)length);
        return rowPointers;
    }

    /// <summary>Calls <paramref name="visit"/>(r, length of row first + r) for r in [0, count).</summary>
    private static void ForEachRowLength(ConvGeometry g, SamplingMap[] maps, int first, int count, Action<int, long> visit)
    {
        long perChannelInputs = g.InChannels / g.Groups;
        int out1 = maps[1].OutputSize, out2 = maps[2].OutputSize, positions = maps[0].OutputSize * out1 * out2;
        for (int r = 0; r < count; r++)
        {
            int pos = (first + r) % positions;
            visit(r, perChannelInputs * maps[0].Count(pos / (out1 * out2)) * maps[1].Count(pos / out2 % out1) * maps[2].Count(pos % out2));
        }
    }

    /// <summary>Writes rows firstRow + [start, end) of V at rowPointers[start ..]: for each input channel of the row's group, the row-major product of the three maps' entries.</summary>
    private readonly struct RowFill(ConvGeometry g, SamplingMap[] maps, T[] weight, int firstRow, int[] rowPointers, int[] columnIndices, T[] values) : IRowOperation
    {
        // Called once per block: without this the loop would run in tier-0 code until on-stack replacement.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke(int start, int end)
        {
            SamplingMap m0 = maps[0], m1 = maps[1], m2 = maps[2];
            int out1 = m1.OutputSize, out2 = m2.OutputSize, positions = m0.OutputSize * out1 * out2;
            var inSize = ConvGeometry.Pad3(g.InputSize, 1);
            var kSize = ConvGeometry.Pad3(g.KernelSize, 1);
            int inPlane = inSize[1] * inSize[2], inChannel = inPlane * inSize[0];
            int kPlane = kSize[1] * kSize[2], kChannel = kPlane * kSize[0];
            int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
            bool singleTap = m0.SingleTap && m1.SingleTap && m2.SingleTap;

            // Locals, not fields: the JIT cannot keep a field's array in a register across the stores below.
            int[] entry0 = m0.EntryStart, entry1 = m1.EntryStart, entry2 = m2.EntryStart;
            int[] source0 = m0.Source, source1 = m1.Source, source2 = m2.Source;
            int[] taps0 = m0.Taps, taps1 = m1.Taps, taps2 = m2.Taps;
            int kRow = kSize[2], inRow = inSize[2];
            int[] columns = columnIndices;
            T[] vals = values, w = weight;
            for (int r = start; r < end; r++)
            {
                int row = firstRow + r;
                int co = row / positions, pos = row % positions;
                int o0 = pos / (out1 * out2), o1 = pos / out2 % out1, o2 = pos % out2;
                int firstInput = co / cog * cig;
                int k = rowPointers[r];
                int first2 = entry2[o2], last2 = entry2[o2 + 1];
                for (int c = 0; c < cig; c++)
                {
                    int colBase = (firstInput + c) * inChannel;
                    int wBase = (co * cig + c) * kChannel;
                    for (int e0 = entry0[o0]; e0 < entry0[o0 + 1]; e0++)
                    {
                        int col0 = colBase + source0[e0] * inPlane;
                        for (int e1 = entry1[o1]; e1 < entry1[o1 + 1]; e1++)
                        {
                            int col1 = col0 + source1[e1] * inRow;
                            if (singleTap)
                            {
                                int w1 = wBase + taps0[e0] * kPlane + taps1[e1] * kRow;
                                for (int e2 = first2; e2 < last2; e2++, k++)
                                {
                                    columns[k] = col1 + source2[e2];
                                    vals[k] = w[w1 + taps2[e2]];
                                }
                            }
                            else
                                for (int e2 = first2; e2 < last2; e2++, k++)
                                {
                                    columns[k] = col1 + source2[e2];
                                    vals[k] = TapSum(maps, w, wBase, e0, e1, e2, kPlane, kRow);
                                }
                        }
                    }
                }
            }
        }

    }

    /// <summary>The sum of the kernel values of every tap triple that lands on one input element (non-zero padding modes).</summary>
    internal static T TapSum(SamplingMap[] maps, T[] weight, int wBase, int e0, int e1, int e2, int kPlane, int kRow)
    {
        SamplingMap m0 = maps[0], m1 = maps[1], m2 = maps[2];
        T sum = T.AdditiveIdentity;
        for (int a = m0.TapStart[e0]; a < m0.TapStart[e0 + 1]; a++)
            for (int b = m1.TapStart[e1]; b < m1.TapStart[e1 + 1]; b++)
                for (int c = m2.TapStart[e2]; c < m2.TapStart[e2 + 1]; c++)
                    sum += weight[wBase + m0.Taps[a] * kPlane + m1.Taps[b] * kRow + m2.Taps[c]];
        return sum;
    }

    /// <summary>
    /// V in compressed-column form, built on first use (O(nnz), in parallel, then kept): the layout in which the
    /// transposed convolution Vᵀ·y is a gather, split over threads by columns with no atomics.
    /// </summary>
    /// <remarks>
    /// Memory trade-off: compiling V costs V's arrays plus O(rows); the first <see cref="ConvolveTranspose"/>
    /// (or a read of this property) adds a second copy of the values and indices, so a matrix used both ways
    /// holds about twice V. <see cref="CompressedRowStorage{T}.TransposeMultiply(ReadOnlySpan{T}, Span{T})"/>
    /// needs no extra memory but scatters on one thread.
    /// </remarks>
    public CompressedColumnStorage<T> Columns => LazyInitializer.EnsureInitialized(ref columns, ref columnsLock, CompileColumns);

    private CompressedColumnStorage<T>? columns;
    private object? columnsLock;

    /// <summary>The convolution of a batch: output[n] = V·input[n] for each sample n.</summary>
    /// <param name="input">n samples of <see cref="ConvGeometry.InputLength"/> elements each, (N, C_in, *in) row-major.</param>
    /// <param name="output">n samples of <see cref="ConvGeometry.OutputLength"/> elements, overwritten.</param>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or the spans overlap.</exception>
    /// <remarks>For double, float and long the rows are split over threads and a batch is computed for all samples at once, SIMD across samples; other types run the sequential kernel sample by sample.</remarks>
    public void Convolve(ReadOnlySpan<T> input, Span<T> output)
    {
        int n = Check.Samples(input, ColumnCount, output, RowCount);
        SparseKernels.GatherBatch(Pointers, Indices, StoredValues, n, input, output, Geometry.OutChannels);
    }

    /// <summary>The transposed convolution of a batch: output[n] = Vᵀ·input[n] for each sample n.</summary>
    /// <param name="input">n samples of <see cref="ConvGeometry.OutputLength"/> elements each, (N, C_out, *out) row-major.</param>
    /// <param name="output">n samples of <see cref="ConvGeometry.InputLength"/> elements, overwritten.</param>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or the spans overlap.</exception>
    /// <remarks>Gathers through <see cref="Columns"/> (built on the first call), so it parallelises like <see cref="Convolve"/>.</remarks>
    public void ConvolveTranspose(ReadOnlySpan<T> input, Span<T> output)
    {
        int n = Check.Samples(input, RowCount, output, ColumnCount);
        var csc = Columns;
        SparseKernels.GatherBatch(csc.ColumnPointers, csc.RowIndices, csc.Values, n, input, output, Geometry.InChannels);
    }
}

/// <summary>What an operation will hold beside the rows of V it compiles, for the memory check's count and message.</summary>
/// <param name="ColumnsBytes">V's compressed-column copy, when Vᵀ will be applied through it.</param>
/// <param name="WorkingBytes">The caller's own arrays: a solver's work vectors, the output batch.</param>
internal readonly record struct ExtraMemory(long ColumnsBytes, long WorkingBytes)
{
    public static ExtraMemory None => default;

    public long Bytes => ColumnsBytes + WorkingBytes;

    /// <summary>" and its compressed-column copy for Vᵀ (N bytes)", " and the operation's work arrays (M bytes)", both, or nothing.</summary>
    public string Description =>
        (ColumnsBytes > 0 ? $" and its compressed-column copy for Vᵀ ({ColumnsBytes} bytes)" : "") +
        (WorkingBytes > 0 ? $" and the operation's work arrays ({WorkingBytes} bytes)" : "");
}
