using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>The one fused multiply-add the blocked kernels use, for Vector512 of double or float.</summary>
/// <remarks>
/// <c>a * b + c</c> on vectors is not contracted by the JIT (it rounds twice and issues two instructions);
/// the typeof tests are JIT-time constants, so each instantiation compiles to one <c>vfmadd231p{d,s}</c>.
/// </remarks>
internal static class Simd
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> Fma<TNum>(Vector512<TNum> a, Vector512<TNum> b, Vector512<TNum> c)
        where TNum : unmanaged, INumberBase<TNum>
    {
        if (typeof(TNum) == typeof(double))
            return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, TNum>();
        if (typeof(TNum) == typeof(float))
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, TNum>();
        return a * b + c;
    }
}
