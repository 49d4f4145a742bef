using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The two products every compressed matrix needs, written once: a gather along the major dimension and
/// a scatter along the minor one. Arguments are trusted; the public storage types check them.
/// </summary>
internal static class SparseKernels
{
    /// <summary>y[i] = α·Σ_k v[k]·x[idx[k]] + β·y[i] over k in line i (α = 1, β = 0 when not <paramref name="scaled"/>).</summary>
    public static void Gather<T>(int[] ptr, int[] idx, T[] val, T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, bool scaled)
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
