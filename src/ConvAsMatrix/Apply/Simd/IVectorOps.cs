using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The few vector operations a register-blocked kernel needs, for one vector width: each kernel is written once
/// against this interface and instantiated per width (<see cref="Vector512Ops{TNum}"/>, <see cref="Vector256Ops{TNum}"/>,
/// <see cref="Vector128Ops{TNum}"/>, <see cref="ScalarOps{TNum}"/>).
/// </summary>
/// <remarks>
/// The implementations are empty structs with static methods: a generic method instantiated over one is compiled
/// for that struct alone, so every call below inlines to one instruction and the kernel's locals of type
/// <typeparamref name="TVec"/> live in registers, as if the kernel had been written for that width by hand
/// (the pattern TensorPrimitives uses internally; .NET's own ISimdVector is not public).
/// </remarks>
/// <typeparam name="TNum">double or float.</typeparam>
/// <typeparam name="TVec">The vector type: Vector512/256/128 of <typeparamref name="TNum"/>, or <typeparamref name="TNum"/> itself (scalar).</typeparam>
internal unsafe interface IVectorOps<TNum, TVec>
    where TNum : unmanaged, INumberBase<TNum>
    where TVec : unmanaged
{
    /// <summary>Lanes per vector (1 for scalar): a JIT-time constant.</summary>
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    /// <summary>Count elements from <paramref name="p"/>, any alignment.</summary>
    static abstract TVec Load(TNum* p);

    static abstract void Store(TVec v, TNum* p);

    /// <summary>Every lane = <paramref name="value"/>.</summary>
    static abstract TVec Create(TNum value);

    /// <summary>Every lane = *<paramref name="p"/>: one broadcast load (<c>vbroadcastsd</c>, <c>ld1r</c>) where the ISA has one.</summary>
    static abstract TVec Broadcast(TNum* p);

    /// <summary>
    /// Whether <see cref="MultiplyAdd"/> is one fused instruction in this process (a JIT-time constant): the one place
    /// each width states which hardware fuses it, read by <see cref="KernelPath"/> to name the path. Kernels fold it after
    /// inlining (checked: no spill and unchanged rates on the avx2, vector128 and scalar instantiations).
    /// </summary>
    static abstract bool IsFused { get; }

    /// <summary>a·b + c: fused (one rounding) where <see cref="IsFused"/>, else a multiply then an add, never a software FMA.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Add(TVec a, TVec b);

    /// <summary>The sum of the lanes, for peak and reduction loops.</summary>
    static abstract TNum Sum(TVec v);
}
