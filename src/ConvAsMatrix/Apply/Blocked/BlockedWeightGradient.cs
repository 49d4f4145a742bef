using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvAsMatrix;

/// <summary>
/// The weight gradient <c>gw = Σ_n U(a_n)ᵀ·b_n</c> of one geometry by the blocked convolution's register-blocked SIMD
/// kernel, for double and float: a on V's column side (N, C_in, *in), b on its row side (N, C_out, *out). The fast
/// path of <see cref="WeightGradient.Compute{T}"/>.
/// </summary>
/// <remarks>
/// <para>As a matrix product per group, <c>gw (C_out/groups × K) = B (C_out/groups × positions) · Aᵀ (positions × K)</c>
/// with K = C_in/groups·∏k columns (input channel, tap), reduced over the batch and the output positions. Per sample
/// the column side is copied into <see cref="PaddedLayout"/> (padding mode applied, last dimension split into stride
/// phases), where column (c, t) of output position o is the element at o's row base plus the forward's step offset
/// of (c, t) (<see cref="BlockedPlans.ForwardSteps"/>): consecutive positions of one output row read consecutive
/// elements. The row side is packed four output channels at a time, a vector of each per step, its rows rounded
/// up to whole vectors with zeros.</para>
/// <para>The kernel is the forward's wide tile (<see cref="MicroKernel"/>) with the roles turned: the tile's four
/// channels are four output channels, its S slots (6, 3 or 2 by the register file, <see cref="TileShape.Wide"/>) are S
/// columns, and a step is one vector of output positions: 4·S accumulators, each lane summing the positions ≡ lane
/// (mod width), added up (<see cref="IVectorOps{TNum, TVec}.Sum"/>) and onto the weight gradient after each pass of samples.
/// When the whole batch has few output positions (W5 at batch 1: 196 for 590,000 weight elements) those sums dominate, and
/// <see cref="ColumnWeightGradientOf{TNum}"/> vectorises along the columns instead; it does too for larger batches of
/// small samples with many channels whose rows would leave lanes idle (W5 at batch 16; <see cref="TryCreate"/> chooses,
/// <see cref="ColumnWeightGradientOf{TNum}.Suits"/>).</para>
/// <para>Exactness: positions past a row's end have a zero output gradient, so their products vanish; that needs
/// every column-side value finite (0·Inf is NaN), which <see cref="WeightGradient.Compute{T}"/> checks first
/// (<see cref="AllFinite"/>), taking the generic path otherwise, so a non-finite input touches only the weight
/// elements whose taps read it, as in PyTorch.</para>
/// <para>Threads: tiles are split across <see cref="Parallelism.MaxDegreeOfParallelism"/> threads; each tile's sums run
/// in one fixed order (pass of samples, chunk of positions, position; the lanes added up onto the weight gradient after
/// each pass), stored and reloaded exactly between chunks, so results do not depend on the number of threads.</para>
/// </remarks>
/// <typeparam name="T">double or float.</typeparam>
internal abstract class BlockedWeightGradient<T>
{
    /// <summary>
    /// The kernel of <paramref name="geometry"/> on <paramref name="path"/> (<see cref="KernelPath.Best"/> when null); null
    /// when T is neither double nor float, when a padding is negative (cropping) or a buffer would not fit a .NET
    /// array, as for <see cref="BlockedConvolution{T}.TryCreate"/>: the generic path computes those.
    /// </summary>
    /// <param name="geometry">The convolution.</param>
    /// <param name="path">The SIMD path.</param>
    /// <param name="vectorise">What the vectors run along; null: <see cref="WeightGradientVectors.Columns"/> where
    /// <see cref="ColumnWeightGradientOf{TNum}.Suits"/> (few output positions), else positions.</param>
    public static BlockedWeightGradient<T>? TryCreate(ConvGeometry geometry, KernelPath? path = null, WeightGradientVectors? vectorise = null)
    {
        path ??= KernelPath.Best;
        if (!BlockedConvolution<T>.Fits(geometry) || BlockedConvolution<T>.HasNegativePadding(geometry)) return null;
        vectorise ??= ColumnWeightGradientOf<double>.Suits(geometry, typeof(T) == typeof(float) ? path.Lanes<float>() : path.Lanes<double>())
            ? WeightGradientVectors.Columns : WeightGradientVectors.Positions;
        bool columns = vectorise == WeightGradientVectors.Columns;
        BlockedWeightGradient<T>? kernel = null;
        if (typeof(T) == typeof(double))
            kernel = (BlockedWeightGradient<T>)(object)(columns ? new ColumnWeightGradientOf<double>(geometry, path) : new BlockedWeightGradientOf<double>(geometry, path));
        else if (typeof(T) == typeof(float))
            kernel = (BlockedWeightGradient<T>)(object)(columns ? new ColumnWeightGradientOf<float>(geometry, path) : new BlockedWeightGradientOf<float>(geometry, path));
        return kernel is not null && kernel.Fits ? kernel : null;
    }

    /// <summary>weightGradient = Σ_{n &lt; samples} U(columnSide[n])ᵀ·rowSide[n] (overwritten). Lengths are the caller's to check.</summary>
    /// <param name="columnSide">samples × InputLength, every value finite (<see cref="AllFinite"/>).</param>
    /// <param name="rowSide">samples × OutputLength.</param>
    /// <param name="weightGradient">WeightLength.</param>
    /// <param name="samples">At least 1.</param>
    public abstract void Compute(ReadOnlySpan<T> columnSide, ReadOnlySpan<T> rowSide, Span<T> weightGradient, int samples);

    /// <summary>The SIMD path the kernel runs on.</summary>
    public abstract KernelPath Path { get; }

    /// <summary>Whether the per-call buffers (the packed row side, the tiles' accumulators) fit .NET arrays.</summary>
    private protected abstract bool Fits { get; }

    /// <summary>Whether every value is finite (no NaN, no ±Inf): v − v is 0 for a finite v and NaN otherwise.</summary>
    public static bool AllFinite(ReadOnlySpan<T> values)
    {
        if (typeof(T) == typeof(double)) return AllFinite(Cast<double>(values));
        if (typeof(T) == typeof(float)) return AllFinite(Cast<float>(values));
        return true;
    }

    private static bool AllFinite<TNum>(ReadOnlySpan<TNum> values) where TNum : unmanaged, INumberBase<TNum>
    {
        var vectors = MemoryMarshal.Cast<TNum, Vector<TNum>>(values);
        var sum = Vector<TNum>.Zero;
        foreach (var v in vectors) sum += v - v;
        if (!Vector.EqualsAll(sum, Vector<TNum>.Zero)) return false;
        foreach (var v in values[(vectors.Length * Vector<TNum>.Count)..])
            if (!TNum.IsFinite(v)) return false;
        return true;
    }

    private static ReadOnlySpan<TTo> Cast<TTo>(ReadOnlySpan<T> s) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<T, TTo>(ref MemoryMarshal.GetReference(s)), s.Length);
}
