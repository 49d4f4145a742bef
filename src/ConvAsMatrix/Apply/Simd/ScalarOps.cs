using System.Numerics;
using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// The <see cref="IVectorOps{TNum, TVec}"/> of one lane: the kernels' register-blocked scalar path, for a process
/// without SIMD (<c>DOTNET_EnableHWIntrinsic=0</c>). The same tiles, each "vector" one element in a floating-point
/// register, so the blocking still saves loads: 12 accumulators per 3 + 4 loads.
/// </summary>
internal readonly unsafe struct ScalarOps<TNum> : IVectorOps<TNum, TNum>
    where TNum : unmanaged, INumberBase<TNum>
{
    public static int Count => 1;

    public static TNum Zero => TNum.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Load(TNum* p) => *p;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(TNum v, TNum* p) => *p = v;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Create(TNum value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Broadcast(TNum* p) => *p;

    /// <summary>The instruction sets whose vector FMA comes with a scalar one: those of <see cref="Vector128Ops{TNum}"/>.</summary>
    public static bool IsFused => Vector128Ops<TNum>.IsFused;

    /// <remarks>Math.FusedMultiplyAdd is a JIT intrinsic where the hardware has FMA and a slow software routine elsewhere, so it is taken only there.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum MultiplyAdd(TNum a, TNum b, TNum c)
    {
        if (IsFused)
        {
            if (typeof(TNum) == typeof(double))
                return Unsafe.BitCast<double, TNum>(Math.FusedMultiplyAdd(Unsafe.BitCast<TNum, double>(a), Unsafe.BitCast<TNum, double>(b), Unsafe.BitCast<TNum, double>(c)));
            if (typeof(TNum) == typeof(float))
                return Unsafe.BitCast<float, TNum>(MathF.FusedMultiplyAdd(Unsafe.BitCast<TNum, float>(a), Unsafe.BitCast<TNum, float>(b), Unsafe.BitCast<TNum, float>(c)));
        }
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Add(TNum a, TNum b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TNum Sum(TNum v) => v;
}
