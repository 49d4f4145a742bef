using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// U(x), the weight-side matrix of a convolution and an input batch: the convolution is bilinear,
/// <c>V(w)·x = U(x)·w</c>, so U(x) maps a weight to the batch's output and <c>U(x)ᵀ·g</c> is the gradient with
/// respect to the weight, summed over the batch. For a convolution its rows hold the input patches each output reads
/// (im2col as a matrix); for a transposed convolution <c>U(x)·w = V(w)ᵀ·x</c> in its own weight layout.
/// </summary>
/// <remarks>
/// <para>Convolution (<see cref="ForConv"/>): rows (n, co, o), N·C_out·∏out of them; columns the weight (co, c, t),
/// C_out·C_in/groups·∏k. Entry <c>U[(n, co, o), (co, c, t)] = x[n, ci, source(o, t)]</c> with ci = g·C_in/groups + c
/// for co's group g, where tap t of output position o reads an input element (the padding mode applied); zero
/// elsewhere. Then <c>(U·w)[n, co, o] = Σ_{c,t} w[co, c, t]·x[n, ci, source(o, t)]</c>, the convolution, and
/// <c>(Uᵀ·g)[co, c, t] = Σ_n Σ_o g[n, co, o]·x[n, ci, source(o, t)]</c>, PyTorch's <c>torch.nn.grad.conv{1,2,3}d_weight</c>.</para>
/// <para>Transposed convolution (<see cref="ForConvTranspose"/>, geometry from <see cref="ConvGeometry.ForConvTranspose"/>): the
/// weight is (C_in, C_out/groups, *k) of the transposed convolution, which is the forward convolution's (C_out, C_in/groups, *k);
/// rows (n, ci, i) of the transposed output; <c>U·w = V(w)ᵀ·x</c> and <c>Uᵀ·g</c> = the forward weight gradient of
/// input g and output gradient x, because ⟨V(w)ᵀx, g⟩ = ⟨x, V(w)g⟩.</para>
/// <para>Structured: it holds a copy of the batch and per-dimension tap tables, nothing per entry. <see cref="ToCompressedRows"/>
/// materialises it for small cases (teaching, export), with its size checked first.</para>
/// </remarks>
/// <typeparam name="T">Element type: double, float, long, decimal, BigInteger, or any type with +, × and zero.</typeparam>
public sealed class PatchMatrix<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    private readonly T[] input;

    private PatchMatrix(ConvGeometry geometry, T[] input, bool transposed)
    {
        Geometry = geometry;
        this.input = input;
        IsTransposed = transposed;
    }

    /// <summary>U(x) of a convolution: U·w = conv(x, w), Uᵀ·g = the weight gradient.</summary>
    /// <param name="geometry">The convolution (<see cref="ConvGeometry.ForConv"/>).</param>
    /// <param name="input">x, (N, C_in, *in) row-major: <see cref="ConvGeometry.Batch"/> × <see cref="ConvGeometry.InputLength"/> elements (copied).</param>
    /// <exception cref="ArgumentException">The input's length disagrees with the geometry.</exception>
    public static PatchMatrix<T> ForConv(ConvGeometry geometry, ReadOnlySpan<T> input)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Check.SpanLength(input.Length, geometry.Batch * geometry.InputLength, nameof(input));
        return new PatchMatrix<T>(geometry, input.ToArray(), transposed: false);
    }

    /// <summary>U(x) of a transposed convolution: U·w = conv_transpose(x, w), Uᵀ·g = the gradient with respect to its weight (C_in, C_out/groups, *k).</summary>
    /// <param name="geometry">The forward convolution being transposed (<see cref="ConvGeometry.ForConvTranspose"/>).</param>
    /// <param name="input">x, the transposed convolution's input (N, C_in, *spatial): <see cref="ConvGeometry.Batch"/> × <see cref="ConvGeometry.OutputLength"/> elements (copied).</param>
    /// <exception cref="ArgumentException">The input's length disagrees with the geometry.</exception>
    public static PatchMatrix<T> ForConvTranspose(ConvGeometry geometry, ReadOnlySpan<T> input)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Check.SpanLength(input.Length, geometry.Batch * geometry.OutputLength, nameof(input));
        return new PatchMatrix<T>(geometry, input.ToArray(), transposed: true);
    }

    /// <summary>The forward convolution (for a transposed convolution, the one it transposes).</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Whether this is U of the transposed convolution (<see cref="ForConvTranspose"/>).</summary>
    public bool IsTransposed { get; }

    /// <summary>Rows: the batch's output, N·OutputLength for a convolution, N·InputLength for a transposed one.</summary>
    public int RowCount => Geometry.Batch * (IsTransposed ? Geometry.InputLength : Geometry.OutputLength);

    /// <summary>Columns: the weight, <see cref="ConvGeometry.WeightLength"/>.</summary>
    public int ColumnCount => Geometry.WeightLength;

    /// <summary>y = U·w: the convolution (or transposed convolution) of the batch with the weight <paramref name="weight"/>.</summary>
    /// <param name="weight">Length <see cref="ColumnCount"/>, the weight row-major.</param>
    /// <param name="output">Length <see cref="RowCount"/>, overwritten; must not overlap the weight.</param>
    /// <exception cref="ArgumentException">A length disagrees with U, or the spans overlap.</exception>
    public void Multiply(ReadOnlySpan<T> weight, Span<T> output)
    {
        CheckSpans(weight, ColumnCount, output, RowCount);
        MultiplyCore(weight, output);
    }

    /// <summary>y = α·U·w + β·y (y is not read when β is zero).</summary>
    /// <exception cref="ArgumentException">A length disagrees with U, or the spans overlap.</exception>
    public void Multiply(T alpha, ReadOnlySpan<T> weight, T beta, Span<T> output)
    {
        CheckSpans(weight, ColumnCount, output, RowCount);
        ScaledProduct.Apply(alpha, weight, beta, output, (a, b) => MultiplyCore(a, b));
    }

    /// <summary>gw = Uᵀ·g: the gradient with respect to the weight of ⟨U·w, g⟩, summed over the batch.</summary>
    /// <param name="gradOutput">Length <see cref="RowCount"/>: the gradient of the batch's output.</param>
    /// <param name="weightGradient">Length <see cref="ColumnCount"/>, overwritten; must not overlap gradOutput.</param>
    /// <exception cref="ArgumentException">A length disagrees with U, or the spans overlap.</exception>
    public void TransposeMultiply(ReadOnlySpan<T> gradOutput, Span<T> weightGradient)
    {
        CheckSpans(gradOutput, RowCount, weightGradient, ColumnCount);
        TransposeCore(gradOutput, weightGradient);
    }

    /// <summary>gw = α·Uᵀ·g + β·gw (gw is not read when β is zero): with β = 1, gradients accumulate as PyTorch's <c>.grad</c> does.</summary>
    /// <exception cref="ArgumentException">A length disagrees with U, or the spans overlap.</exception>
    public void TransposeMultiply(T alpha, ReadOnlySpan<T> gradOutput, T beta, Span<T> weightGradient)
    {
        CheckSpans(gradOutput, RowCount, weightGradient, ColumnCount);
        ScaledProduct.Apply(alpha, gradOutput, beta, weightGradient, (a, b) => TransposeCore(a, b));
    }

    /// <summary>The entries U stores explicitly: one per (row, weight element) whose tap reads an input element (or, transposed, is read by an output).</summary>
    public long NonZeroCount
    {
        get
        {
            var s = new TapSources(Geometry);
            // Per dimension, the (o, t) pairs that read an element: the same pairs make U's rows (conv) or, folded onto their input element, U's transposed rows.
            long pairs = (long)Geometry.Batch * Geometry.OutChannels * (Geometry.InChannels / Geometry.Groups);
            if (!IsTransposed) return pairs * s.Pairs(0) * s.Pairs(1) * s.Pairs(2);
            return pairs * DistinctPairs(s, 0) * DistinctPairs(s, 1) * DistinctPairs(s, 2);
        }
    }

    /// <summary>Per dimension, the distinct (input element, tap) pairs some output position reads.</summary>
    private static long DistinctPairs(TapSources s, int d)
    {
        var seen = new HashSet<long>();
        for (int o = 0; o < s.Out[d]; o++)
            for (int t = 0; t < s.Kernel[d]; t++)
                if (s.Source[d][o * s.Kernel[d] + t] is var i and >= 0) seen.Add((long)i * s.Kernel[d] + t);
        return seen.Count;
    }

    /// <summary>U as explicit compressed rows, columns ascending in each row: for teaching, printing and export at small sizes.</summary>
    /// <exception cref="ArgumentException">U would have more than int32 entries, or would not fit the memory this process may use.</exception>
    public CompressedRowStorage<T> ToCompressedRows()
    {
        long nnz = NonZeroCount;
        if (nnz > Array.MaxLength)
            throw new ArgumentException($"U of {Geometry} would have {nnz} entries, beyond one .NET array; use the structured U (Multiply / TransposeMultiply)", "input");
        MemoryBudget.Ensure(nnz * (Unsafe.SizeOf<T>() + sizeof(int)) + ((long)RowCount + 1) * sizeof(int), $"U of {Geometry} with {nnz} entries would need", "input");
        return IsTransposed ? ExplicitTransposed(new TapSources(Geometry), (int)nnz) : ExplicitConv(new TapSources(Geometry), (int)nnz);
    }

    /// <summary>Rows (n, co, o); in each, the weight elements (c, t) ascending whose tap reads an input element.</summary>
    private CompressedRowStorage<T> ExplicitConv(TapSources s, int nnz)
    {
        var g = Geometry;
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups, taps = s.Taps;
        int in1 = s.In[1], in2 = s.In[2], inChannel = s.In[0] * in1 * in2;
        var pointers = new int[RowCount + 1];
        var columns = new int[nnz];
        var values = new T[nnz];
        int e = 0, row = 0;
        for (int n = 0; n < g.Batch; n++)
            for (int co = 0; co < g.OutChannels; co++)
                for (int o0 = 0; o0 < s.Out[0]; o0++)
                    for (int o1 = 0; o1 < s.Out[1]; o1++)
                        for (int o2 = 0; o2 < s.Out[2]; o2++, row++)
                        {
                            for (int c = 0; c < cig; c++)
                            {
                                int aBase = n * g.InputLength + (co / cog * cig + c) * inChannel;
                                for (int t0 = 0, t = 0; t0 < s.Kernel[0]; t0++)
                                    for (int t1 = 0; t1 < s.Kernel[1]; t1++)
                                        for (int t2 = 0; t2 < s.Kernel[2]; t2++, t++)
                                        {
                                            int i0 = s.Source[0][o0 * s.Kernel[0] + t0], i1 = s.Source[1][o1 * s.Kernel[1] + t1], i2 = s.Source[2][o2 * s.Kernel[2] + t2];
                                            if (i0 < 0 || i1 < 0 || i2 < 0) continue;
                                            columns[e] = (co * cig + c) * taps + t;
                                            values[e++] = input[aBase + (i0 * in1 + i1) * in2 + i2];
                                        }
                            }
                            pointers[row + 1] = e;
                        }
        return new CompressedRowStorage<T>(RowCount, ColumnCount, pointers, columns, values);
    }

    /// <summary>
    /// Rows (n, ci, i) of the transposed output; in each, the weight elements (co, c, t) ascending, co over ci's group and
    /// c = ci's index in it, whose tap t some output position o reads i through: the entry is Σ of x[n, co, o] over those o.
    /// </summary>
    private CompressedRowStorage<T> ExplicitTransposed(TapSources s, int nnz)
    {
        var g = Geometry;
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups, taps = s.Taps;
        // readers[d][i·k + t]: the output positions o that read input element i through tap t in dimension d.
        var readers = new List<int>[3][];
        for (int d = 0; d < 3; d++)
        {
            readers[d] = new List<int>[s.In[d] * s.Kernel[d]];
            for (int o = 0; o < s.Out[d]; o++)
                for (int t = 0; t < s.Kernel[d]; t++)
                    if (s.Source[d][o * s.Kernel[d] + t] is var i and >= 0) (readers[d][i * s.Kernel[d] + t] ??= []).Add(o);
        }
        int positions = s.Positions;
        var pointers = new int[RowCount + 1];
        var columns = new int[nnz];
        var values = new T[nnz];
        int e = 0, row = 0;
        for (int n = 0; n < g.Batch; n++)
            for (int ci = 0; ci < g.InChannels; ci++)
                for (int i0 = 0; i0 < s.In[0]; i0++)
                    for (int i1 = 0; i1 < s.In[1]; i1++)
                        for (int i2 = 0; i2 < s.In[2]; i2++, row++)
                        {
                            int group = ci / cig, c = ci % cig;
                            for (int co = group * cog; co < (group + 1) * cog; co++)
                            {
                                int xBase = n * g.OutputLength + co * positions;
                                for (int t0 = 0, t = 0; t0 < s.Kernel[0]; t0++)
                                    for (int t1 = 0; t1 < s.Kernel[1]; t1++)
                                        for (int t2 = 0; t2 < s.Kernel[2]; t2++, t++)
                                        {
                                            var r0 = readers[0][i0 * s.Kernel[0] + t0];
                                            var r1 = readers[1][i1 * s.Kernel[1] + t1];
                                            var r2 = readers[2][i2 * s.Kernel[2] + t2];
                                            if (r0 is null || r1 is null || r2 is null) continue;
                                            T sum = T.AdditiveIdentity;
                                            foreach (int o0 in r0)
                                                foreach (int o1 in r1)
                                                    foreach (int o2 in r2)
                                                        sum += input[xBase + (o0 * s.Out[1] + o1) * s.Out[2] + o2];
                                            columns[e] = (co * cig + c) * taps + t;
                                            values[e++] = sum;
                                        }
                            }
                            pointers[row + 1] = e;
                        }
        return new CompressedRowStorage<T>(RowCount, ColumnCount, pointers, columns, values);
    }

    private static void CheckSpans(ReadOnlySpan<T> x, int xLength, Span<T> y, int yLength, [CallerMemberName] string caller = "")
    {
        Check.SpanLength(x.Length, xLength, nameof(x), caller);
        Check.SpanLength(y.Length, yLength, nameof(y), caller);
        Check.NoOverlap(x, y);
    }

    /// <summary>U·w through the structured V(w): the weight becomes V's, the batch its input (or, transposed, Vᵀ's input).</summary>
    private void MultiplyCore(ReadOnlySpan<T> weight, Span<T> output)
    {
        var v = StructuredConvolution<T>.Compile(weight, Geometry);
        if (IsTransposed) v.ConvolveTranspose(input, output);
        else v.Convolve(input, output);
    }

    /// <summary>Uᵀ·g: the weight gradient with this batch on V's column side (conv) or row side (transposed).</summary>
    private void TransposeCore(ReadOnlySpan<T> gradOutput, Span<T> weightGradient)
    {
        if (IsTransposed) WeightGradient.Compute(Geometry, gradOutput, input, weightGradient);
        else WeightGradient.Compute(Geometry, input, gradOutput, weightGradient);
    }
}
