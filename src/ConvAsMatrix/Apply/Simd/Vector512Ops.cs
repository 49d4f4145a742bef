using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>The <see cref="IVectorOps{TNum, TVec}"/> of Vector512: AVX-512 (x64), always with FMA.</summary>
internal readonly unsafe struct Vector512Ops<TNum> : IVectorOps<TNum, Vector512<TNum>>
    where TNum : unmanaged, INumberBase<TNum>
{
    public static int Count => Vector512<TNum>.Count;

    public static Vector512<TNum> Zero => Vector512<TNum>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> Load(TNum* p) => Vector512.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<TNum> v, TNum* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> Create(TNum value) => Vector512.Create(value);

    /// <summary>AVX-512 always has FMA. Tested on the intrinsic classes directly, not through a property of a class with static state
    /// (KernelPath's initialiser kept the JIT from folding it, and the 128-bit kernel then kept its accumulators on the stack).</summary>
    public static bool IsFused => System.Runtime.Intrinsics.X86.Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> Broadcast(TNum* p) => Vector512.Create(*p);

    /// <remarks>
    /// <c>a * b + c</c> on vectors is not contracted by the JIT, and Vector512.FusedMultiplyAdd is emulated in software
    /// where the hardware lacks FMA: so the fused form is taken only where <see cref="IsFused"/>, and each
    /// instantiation compiles to one <c>vfmadd231p{d,s}</c> / <c>fmla</c>, or to a multiply and an add.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> MultiplyAdd(Vector512<TNum> a, Vector512<TNum> b, Vector512<TNum> c)
    {
        // On the concrete element type: the generic operators inline through every element type's branch, and in a
        // kernel with 24 accumulators that many inlinees left the JIT too few tracked locals (all of them on the stack).
        if (typeof(TNum) == typeof(double))
        {
            Vector512<double> x = a.AsDouble(), y = b.AsDouble(), z = c.AsDouble();
            return (IsFused ? Vector512.FusedMultiplyAdd(x, y, z) : x * y + z).As<double, TNum>();
        }
        if (typeof(TNum) == typeof(float))
        {
            Vector512<float> x = a.AsSingle(), y = b.AsSingle(), z = c.AsSingle();
            return (IsFused ? Vector512.FusedMultiplyAdd(x, y, z) : x * y + z).As<float, TNum>();
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<TNum> Add(Vector512<TNum> a, Vector512<TNum> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Sum(Vector512<TNum> v) => Vector512.Sum(v);
}
