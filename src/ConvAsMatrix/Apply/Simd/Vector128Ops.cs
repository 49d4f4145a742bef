using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>The <see cref="IVectorOps{TNum, TVec}"/> of Vector128: SSE on x64, NEON (AdvSimd) on ARM64; fused where the hardware has FMA.</summary>
internal readonly unsafe struct Vector128Ops<TNum> : IVectorOps<TNum, Vector128<TNum>>
    where TNum : unmanaged, INumberBase<TNum>
{
    public static int Count => Vector128<TNum>.Count;

    public static Vector128<TNum> Zero => Vector128<TNum>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<TNum> Load(TNum* p) => Vector128.Load(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<TNum> v, TNum* p) => v.Store(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<TNum> Create(TNum value) => Vector128.Create(value);

    /// <summary>FMA3 on x64, AdvSimd on ARM64. Tested on the intrinsic classes directly, not through a property of a class with static state
    /// (KernelPath's initialiser kept the JIT from folding it, and the 128-bit kernel then kept its accumulators on the stack).</summary>
    public static bool IsFused => System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;

    /// <remarks>One broadcast load where the ISA has it: on ARM64 <c>ld1r</c> (the JIT turns Vector128.Create(*p) into a load and a <c>dup</c>, which takes a vector-pipe slot from the multiply-adds).</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<TNum> Broadcast(TNum* p)
    {
        if (System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.IsSupported)
        {
            if (typeof(TNum) == typeof(double))
                return System.Runtime.Intrinsics.Arm.AdvSimd.Arm64.LoadAndReplicateToVector128((double*)p).As<double, TNum>();
            if (typeof(TNum) == typeof(float))
                return System.Runtime.Intrinsics.Arm.AdvSimd.LoadAndReplicateToVector128((float*)p).As<float, TNum>();
        }
        // x64 without AVX2 (the 128-bit path there): AVX's vbroadcastss is one load, where Create(*p) for float is a
        // load and a vpermilps that takes an FP port from the multiplies (double's movddup is one load either way).
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported && typeof(TNum) == typeof(float))
            return System.Runtime.Intrinsics.X86.Avx.BroadcastScalarToVector128((float*)p).As<float, TNum>();
        return Vector128.Create(*p);
    }

    /// <remarks>
    /// <c>a * b + c</c> on vectors is not contracted by the JIT, and Vector128.FusedMultiplyAdd is emulated in software
    /// where the hardware lacks FMA: so the fused form is taken only where <see cref="IsFused"/>, and each
    /// instantiation compiles to one <c>vfmadd231p{d,s}</c> / <c>fmla</c>, or to a multiply and an add.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<TNum> MultiplyAdd(Vector128<TNum> a, Vector128<TNum> b, Vector128<TNum> c)
    {
        // On the concrete element type: the generic operators inline through every element type's branch, and in a
        // kernel with 24 accumulators that many inlinees left the JIT too few tracked locals (all of them on the stack).
        if (typeof(TNum) == typeof(double))
        {
            Vector128<double> x = a.AsDouble(), y = b.AsDouble(), z = c.AsDouble();
            return (IsFused ? Vector128.FusedMultiplyAdd(x, y, z) : x * y + z).As<double, TNum>();
        }
        if (typeof(TNum) == typeof(float))
        {
            Vector128<float> x = a.AsSingle(), y = b.AsSingle(), z = c.AsSingle();
            return (IsFused ? Vector128.FusedMultiplyAdd(x, y, z) : x * y + z).As<float, TNum>();
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<TNum> Add(Vector128<TNum> a, Vector128<TNum> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Sum(Vector128<TNum> v) => Vector128.Sum(v);
}
