using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>An overwriting product y = A·x (A's core), as the α/β overloads call it.</summary>
internal delegate void SpanProduct<T>(ReadOnlySpan<T> x, Span<T> y);

/// <summary>
/// BLAS's y = α·A·x + β·y for operators whose cores only overwrite: the product goes into a pooled buffer and is then
/// scaled into y, which is not read when β is zero (so NaN in y does not survive, as BLAS specifies).
/// </summary>
internal static class ScaledProduct
{
    public static void Apply<T>(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y, SpanProduct<T> product)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        var buffer = ArrayPool<T>.Shared.Rent(y.Length);
        try
        {
            var p = buffer.AsSpan(0, y.Length);
            product(x, p);
            bool readY = !EqualityComparer<T>.Default.Equals(beta, T.AdditiveIdentity);
            for (int i = 0; i < y.Length; i++) y[i] = readY ? alpha * p[i] + beta * y[i] : alpha * p[i];
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        }
    }
}
