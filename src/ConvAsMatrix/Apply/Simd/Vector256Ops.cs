using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>The <see cref="IVectorOps{TNum, TVec}"/> of Vector256: AVX2 (x64), fused where FMA3 is present.</summary>
internal readonly unsafe struct Vector256Ops<TNum> : IVectorOps<TNum, Vector256<TNum>>
    where TNum : unmanaged, INumberBase<TNum>
{
    public static int Count => Vector256<TNum>.Count;

    public static Vector256<TNum> Zero => Vector256<TNum>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<TNum> Load(TNum* p) => Vector256.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<TNum> v, TNum* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<TNum> Create(TNum value) => Vector256.Create(value);

    /// <summary>FMA3. Tested on the intrinsic classes directly, not through a property of a class with static state
    /// (KernelPath's initialiser kept the JIT from folding it, and the 128-bit kernel then kept its accumulators on the stack).</summary>
    public static bool IsFused => System.Runtime.Intrinsics.X86.Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<TNum> Broadcast(TNum* p) => Vector256.Create(*p);

    /// <remarks>
    /// <c>a * b + c</c> on vectors is not contracted by the JIT, and Vector256.FusedMultiplyAdd is emulated in software
    /// where the hardware lacks FMA: so the fused form is taken only where <see cref="IsFused"/>, and each
    /// instantiation compiles to one <c>vfmadd231p{d,s}</c> / <c>fmla</c>, or to a multiply and an add.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<TNum> MultiplyAdd(Vector256<TNum> a, Vector256<TNum> b, Vector256<TNum> c)
    {
        // On the concrete element type: the generic operators inline through every element type's branch, and in a
        // kernel with 24 accumulators that many inlinees left the JIT too few tracked locals (all of them on the stack).
        if (typeof(TNum) == typeof(double))
        {
            Vector256<double> x = a.AsDouble(), y = b.AsDouble(), z = c.AsDouble();
            return (IsFused ? Vector256.FusedMultiplyAdd(x, y, z) : x * y + z).As<double, TNum>();
        }
        if (typeof(TNum) == typeof(float))
        {
            Vector256<float> x = a.AsSingle(), y = b.AsSingle(), z = c.AsSingle();
            return (IsFused ? Vector256.FusedMultiplyAdd(x, y, z) : x * y + z).As<float, TNum>();
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<TNum> Add(Vector256<TNum> a, Vector256<TNum> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Sum(Vector256<TNum> v) => Vector256.Sum(v);
}
