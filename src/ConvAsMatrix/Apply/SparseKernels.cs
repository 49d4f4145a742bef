using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The two products every compressed matrix needs, written once: a gather along the major dimension and
/// a scatter along the minor one. Arguments are trusted; the public storage types check them.
/// </summary>
/// <remarks>
/// The gathers hand double, float and long to <see cref="NumericKernels"/> (parallel over lines, SIMD across
/// a batch); the sequential loops here serve every other element type and are the reference the fast
/// kernels are tested against. A scatter cannot be split over threads without atomics, so the transposed
/// product of a <see cref="ConvolutionMatrix{T}"/> gathers through its compressed-column form instead.
/// </remarks>
internal static class SparseKernels
{
    /// <summary>y[i] = α·Σ_k v[k]·x[idx[k]] + β·y[i] over k in line i (α = 1, β = 0 when not <paramref name="scaled"/>).</summary>
    public static void Gather<T>(int[] ptr, int[] idx, T[] val, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        if (!NumericKernels.TryGather(ptr, idx, val, alpha, x, beta, y, scaled))
            GatherSequential(ptr, idx, val, alpha, x, beta, y, scaled);
    }

    /// <summary>
    /// For each of <paramref name="samples"/> samples s: y[s] = (the matrix)·x[s], where x holds the samples'
    /// minor-length vectors one after another and y their major-length results. When the lines form
    /// (<paramref name="channels"/>, positions) blocks (a convolution's channels) the fast kernel visits one
    /// position's channels together for cache reuse; 1 keeps plain order. It must divide the line count.
    /// </summary>
    public static void GatherBatch<T>(int[] ptr, int[] idx, T[] val, int samples, ReadOnlySpan<T> x, Span<T> y, int channels = 1)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        if (NumericKernels.TryGatherBatch(ptr, idx, val, samples, x, y, channels)) return;
        int minor = x.Length / samples, major = y.Length / samples;
        for (int s = 0; s < samples; s++)
            GatherSequential(ptr, idx, val, default!, x.Slice(s * minor, minor), default!, y.Slice(s * major, major), scaled: false);
    }

    /// <summary>The plain loop of <see cref="Gather"/>, one line after another on the calling thread.</summary>
    public static void GatherSequential<T>(int[] ptr, int[] idx, T[] val, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        bool readY = scaled && !IsZero(beta);
        for (int i = 0; i < y.Length; i++)
        {
            T sum = T.AdditiveIdentity;
            for (int k = ptr[i]; k < ptr[i + 1]; k++) sum += val[k] * x[idx[k]];
            y[i] = !scaled ? sum : readY ? alpha * sum + beta * y[i] : alpha * sum;
        }
    }

    /// <summary>y = β·y, then y[idx[k]] += α·v[k]·x[i] over k in line i (α = 1, β = 0 when not <paramref name="scaled"/>).</summary>
    public static void Scatter<T>(int[] ptr, int[] idx, T[] val, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        if (scaled && !IsZero(beta))
            for (int j = 0; j < y.Length; j++) y[j] = beta * y[j];
        else
            y.Fill(T.AdditiveIdentity);
        for (int i = 0; i < x.Length; i++)
        {
            T xi = scaled ? alpha * x[i] : x[i];
            for (int k = ptr[i]; k < ptr[i + 1]; k++) y[idx[k]] += val[k] * xi;
        }
    }

    private static bool IsZero<T>(T value) where T : IAdditiveIdentity<T, T> =>
        EqualityComparer<T>.Default.Equals(value, T.AdditiveIdentity);
}
