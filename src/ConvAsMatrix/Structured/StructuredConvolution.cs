using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The matrix V of a convolution in structured form: exactly the matrix <see cref="ConvolutionMatrix{T}"/> stores
/// entry by entry, held as the weight and the geometry's per-dimension sampling maps, with no weight replicated.
/// It applies V and Vᵀ (one sample or a batch) and materialises V as compressed rows (whole, or any block of
/// rows) or in SciPy's block-sparse-row layout.
/// </summary>
/// <remarks>
/// <para><c>V = Σ_t S_t ⊗ W_t</c> over the kernel taps t = (t₀, t₁, t₂), in channel-last order (rows (o, co), columns
/// (i, ci), the order of <see cref="ToBlockSparseRows"/>); in V's own channel-first order the same sum reads
/// <c>Σ_t W_t ⊗ S_t</c>. Here:</para>
/// <list type="bullet">
/// <item><c>S_t</c> (positions_out × positions_in) is 0/1: <c>S_t[o, i] = 1</c> when output position o reads input
/// position i through tap t. It is the Kronecker product <c>S_t = S⁰_{t₀} ⊗ S¹_{t₁} ⊗ S²_{t₂}</c> of the per-dimension
/// sampling maps, the padding mode folded in (reflect, replicate and circular send a tap outside the input to an
/// input index; zero padding sends it nowhere).</item>
/// <item><c>W_t</c> (C_out × C_in) is the weight at tap t, block-diagonal across groups:
/// <c>W_t[co, ci] = weight[co, ci − g·C_in/groups, t]</c> for ci in co's group g, zero elsewhere.</item>
/// </list>
/// <para>Entry <c>V[(co, o), (ci, i)] = Σ_{t : S_t[o, i] = 1} W_t[co, ci]</c>, which is why taps folded onto one input
/// element add into one entry, as in <see cref="ConvolutionMatrix{T}"/>.</para>
/// <para>Memory: a copy of the weight, the sampling maps and their inverses, O(weight + Σ_d out_d·k_d + Σ_d in_d)
/// (<see cref="StoredBytes"/>); nothing per output position or per entry of V. Compiling is O(that) too.</para>
/// <para>Products: for double and float, register-blocked SIMD kernels over the weight packed once (for V and for
/// Vᵀ) and one padded sample per call (docs/performance.md). Other element types: V·x gathers row by row and Vᵀ·y
/// column by column (through the inverse sampling maps), both split over threads (<see cref="Parallelism.MaxDegreeOfParallelism"/>) with no atomics and no copy of V.</para>
/// </remarks>
/// <typeparam name="T">Element type: double, float, decimal, long, BigInteger, or any type with +, × and zero.</typeparam>
public sealed partial class StructuredConvolution<T> : IConvolutionOperator<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    private readonly T[] weight;
    private readonly SamplingMap[] maps;
    private readonly InverseSamplingMap[] inverse;
    private readonly Frame frame;

    /// <summary>The SIMD kernels for double and float (the weight packed once); null for the other element types, which take the generic path.</summary>
    private readonly BlockedConvolution<T>? blocked;

    private StructuredConvolution(ConvGeometry geometry, T[] weight, KernelPath path)
    {
        Geometry = geometry;
        this.weight = weight;
        maps = geometry.Maps3;
        inverse = InverseSamplingMap.Of(geometry);
        frame = new Frame(geometry, maps);
        blocked = BlockedConvolution<T>.TryCreate(geometry, weight, path);
    }

    /// <summary>
    /// The SIMD path the products run on (<see cref="ConvAsMatrix.KernelPath.Best"/> when compiled), or null where they take the
    /// generic gather path: element types other than double and float, and geometries whose padding crops (negative pads).
    /// </summary>
    public KernelPath? KernelPath => blocked?.Path;

    /// <summary>Compiles the structured V from a weight tensor of shape <see cref="ConvGeometry.WeightShape"/>.</summary>
    /// <param name="weight">(C_out, C_in / groups, *k).</param>
    /// <param name="geometry">The convolution.</param>
    /// <exception cref="ArgumentException">The weight's shape disagrees with the geometry.</exception>
    public static StructuredConvolution<T> Compile(Tensor<T> weight, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(geometry);
        Check.Shape(weight.Shape, geometry.WeightShape, nameof(weight));
        return Compile(weight.Data, geometry);
    }

    /// <summary>Compiles the structured V from the weight (C_out, C_in / groups, *k) flattened row-major (copied).</summary>
    /// <param name="weight">The weight, row-major.</param>
    /// <param name="geometry">The convolution.</param>
    /// <remarks>O(weight + Σ_d (out_d·k_d + in_d)) time and memory, whatever the size of the explicit V.</remarks>
    /// <exception cref="ArgumentException">The weight's length disagrees with the geometry.</exception>
    public static StructuredConvolution<T> Compile(ReadOnlySpan<T> weight, ConvGeometry geometry) =>
        Compile(weight, geometry, ConvAsMatrix.KernelPath.Best);

    /// <summary>
    /// Compiles the structured V with its double and float products on <paramref name="path"/> instead of
    /// <see cref="ConvAsMatrix.KernelPath.Best"/>: for the tests that run every path (any width, either tile shape).
    /// </summary>
    internal static StructuredConvolution<T> Compile(ReadOnlySpan<T> weight, ConvGeometry geometry, KernelPath path)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(path);
        Check.SpanLength(weight.Length, geometry.WeightLength, nameof(weight));
        return new StructuredConvolution<T>(geometry, weight.ToArray(), path);
    }

    /// <summary>The convolution V represents.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Rows of V: <see cref="ConvGeometry.OutputLength"/>.</summary>
    public int RowCount => Geometry.OutputLength;

    /// <summary>Columns of V: <see cref="ConvGeometry.InputLength"/>.</summary>
    public int ColumnCount => Geometry.InputLength;

    /// <summary>The entries the explicit V stores (<see cref="ConvGeometry.NonZeroCount"/>), which this form does not.</summary>
    public long NonZeroCount => Geometry.NonZeroCount;

    /// <summary>The bytes this form holds: the weight copy, the three sampling maps and their inverses, and (double, float) the weight packed for the SIMD kernels.</summary>
    public long StoredBytes =>
        (long)weight.Length * Unsafe.SizeOf<T>() + maps.Sum(m => m.Bytes) + inverse.Sum(m => m.Bytes) + (blocked?.Bytes ?? 0);

    /// <summary>y = V·x for one sample.</summary>
    /// <param name="x">Length <see cref="ColumnCount"/>.</param>
    /// <param name="y">Length <see cref="RowCount"/>, overwritten; must not overlap x.</param>
    /// <exception cref="ArgumentException">A length disagrees with V, or the spans overlap.</exception>
    public void Multiply(ReadOnlySpan<T> x, Span<T> y)
    {
        CheckSingle(x, ColumnCount, y, RowCount);
        ForwardCore(x, y, 1);
    }

    /// <summary>y = α·V·x + β·y (y is not read when β is zero).</summary>
    /// <exception cref="ArgumentException">A length disagrees with V, or the spans overlap.</exception>
    public void Multiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        CheckSingle(x, ColumnCount, y, RowCount);
        ScaledProduct.Apply(alpha, x, beta, y, (a, b) => ForwardCore(a, b, 1));
    }

    /// <summary>y = Vᵀ·x for one sample.</summary>
    /// <param name="x">Length <see cref="RowCount"/>.</param>
    /// <param name="y">Length <see cref="ColumnCount"/>, overwritten; must not overlap x.</param>
    /// <exception cref="ArgumentException">A length disagrees with V, or the spans overlap.</exception>
    public void TransposeMultiply(ReadOnlySpan<T> x, Span<T> y)
    {
        CheckSingle(x, RowCount, y, ColumnCount);
        AdjointCore(x, y, 1);
    }

    /// <summary>y = α·Vᵀ·x + β·y (y is not read when β is zero).</summary>
    /// <exception cref="ArgumentException">A length disagrees with V, or the spans overlap.</exception>
    public void TransposeMultiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y)
    {
        CheckSingle(x, RowCount, y, ColumnCount);
        ScaledProduct.Apply(alpha, x, beta, y, (a, b) => AdjointCore(a, b, 1));
    }

    /// <summary>The convolution of a batch: output[n] = V·input[n] for each sample n.</summary>
    /// <param name="input">n samples of <see cref="ConvGeometry.InputLength"/> elements each, (N, C_in, *in) row-major.</param>
    /// <param name="output">n samples of <see cref="ConvGeometry.OutputLength"/> elements, overwritten.</param>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or the spans overlap.</exception>
    public void Convolve(ReadOnlySpan<T> input, Span<T> output)
    {
        int n = Check.Samples(input, ColumnCount, output, RowCount);
        ForwardCore(input, output, n);
    }

    /// <summary>The transposed convolution of a batch: output[n] = Vᵀ·input[n] for each sample n.</summary>
    /// <param name="input">n samples of <see cref="ConvGeometry.OutputLength"/> elements each, (N, C_out, *out) row-major.</param>
    /// <param name="output">n samples of <see cref="ConvGeometry.InputLength"/> elements, overwritten.</param>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or the spans overlap.</exception>
    /// <remarks>No copy of V is made for Vᵀ: the same weight and maps are read column by column.</remarks>
    public void ConvolveTranspose(ReadOnlySpan<T> input, Span<T> output)
    {
        int n = Check.Samples(input, RowCount, output, ColumnCount);
        AdjointCore(input, output, n);
    }

    private static void CheckSingle(ReadOnlySpan<T> x, int xLength, Span<T> y, int yLength, [CallerMemberName] string caller = "")
    {
        Check.SpanLength(x.Length, xLength, nameof(x), caller);
        Check.SpanLength(y.Length, yLength, nameof(y), caller);
        Check.NoOverlap(x, y);
    }

    /// <summary>
    /// output[n] = V·input[n] for <paramref name="samples"/> samples, overwriting output: the one place every product
    /// with V goes through, so a faster kernel for some element types and geometries plugs in here alone.
    /// </summary>
    private void ForwardCore(ReadOnlySpan<T> input, Span<T> output, int samples)
    {
        if (blocked is not null) blocked.Forward(input, output, samples);
        else RunGeneric(input, output, samples, forward: true);
    }

    /// <summary>output[n] = Vᵀ·input[n] for <paramref name="samples"/> samples, overwriting output: the one place every product with Vᵀ goes through.</summary>
    private void AdjointCore(ReadOnlySpan<T> input, Span<T> output, int samples)
    {
        if (blocked is not null) blocked.Adjoint(input, output, samples);
        else RunGeneric(input, output, samples, forward: false);
    }
}
