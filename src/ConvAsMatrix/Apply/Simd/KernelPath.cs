using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace ConvAsMatrix;

/// <summary>
/// The instruction path the structured V's SIMD kernels run on: a vector width, whether multiply-adds are fused,
/// and the vector registers the tile shape is chosen for. <see cref="Best"/> is what a compile chooses on this
/// process; <see cref="StructuredConvolution{T}.KernelPath"/> says what one operator runs.
/// </summary>
/// <remarks>
/// <para>Chosen once, when V is compiled, from <see cref="Vector512.IsHardwareAccelerated"/>,
/// <see cref="Vector256.IsHardwareAccelerated"/> and <see cref="Vector128.IsHardwareAccelerated"/>: the widest
/// accelerated width, never one .NET would emulate. So the runtime's knobs choose it too:
/// <c>DOTNET_EnableAVX512=0</c> gives <c>avx2+fma</c>, <c>DOTNET_EnableAVX2=0</c> <c>vector128</c> (no FMA on x64),
/// <c>DOTNET_EnableHWIntrinsic=0</c> <c>scalar</c>, and <c>DOTNET_PreferredVectorBitWidth=256</c> <c>avx2+fma</c>
/// on an AVX-512 core.</para>
/// <para>Names: <c>avx512</c>, <c>avx2</c>, <c>vector128</c> (SSE on x64, NEON on ARM64) or <c>scalar</c>, with
/// <c>+fma</c> where multiply-adds are fused (x64 FMA3, ARM64 AdvSimd). Without FMA the kernels multiply, then add
/// (two roundings), never a software FMA. Results are bit-identical for any thread count on one path; two
/// paths may differ by rounding.</para>
/// <para>Registers: 32 vector registers on ARM64 and on x64 with AVX-512 (EVEX encodes zmm/ymm/xmm 16–31), 16
/// otherwise; the register-blocked tiles are sized to them (docs/performance.md).</para>
/// </remarks>
public sealed record KernelPath
{
    private KernelPath(int vectorBits, bool fusedMultiplyAdd, int vectorRegisters)
    {
        VectorBits = vectorBits;
        FusedMultiplyAdd = fusedMultiplyAdd;
        VectorRegisters = vectorRegisters;
    }

    /// <summary>Bits per vector: 512, 256 or 128, or 0 for the scalar path.</summary>
    public int VectorBits { get; }

    /// <summary>Whether multiply-adds are fused (one rounding).</summary>
    public bool FusedMultiplyAdd { get; }

    /// <summary>The vector (or, for the scalar path, floating-point) registers the tiles are sized for: 16 or 32.</summary>
    public int VectorRegisters { get; }

    /// <summary><c>avx512+fma</c>, <c>avx2+fma</c>, <c>avx2</c>, <c>vector128+fma</c>, <c>vector128</c>, <c>scalar+fma</c> or <c>scalar</c>.</summary>
    public string Name => VectorBits switch
    {
        512 => "avx512",
        256 => "avx2",
        128 => "vector128",
        _ => "scalar",
    } + (FusedMultiplyAdd ? "+fma" : "");

    /// <summary>Lanes of one vector of <typeparamref name="TNum"/> on this path (1 for scalar).</summary>
    internal int Lanes<TNum>() where TNum : unmanaged =>
        VectorBits == 0 ? 1 : VectorBits / 8 / System.Runtime.CompilerServices.Unsafe.SizeOf<TNum>();

    /// <summary>Whether the kernels of a <paramref name="vectorBits"/> width fuse their multiply-adds: as that width's operator struct does.</summary>
    private static bool Fused(int vectorBits) => vectorBits switch
    {
        512 => Vector512Ops<double>.IsFused,
        256 => Vector256Ops<double>.IsFused,
        128 => Vector128Ops<double>.IsFused,
        _ => ScalarOps<double>.IsFused,
    };

    private static int Registers => AdvSimd.IsSupported || Avx512F.IsSupported ? 32 : 16;

    /// <summary>The widest path this process accelerates: what compiling V chooses.</summary>
    public static KernelPath Best { get; } = Supported()[0];

    /// <summary>
    /// A path of <paramref name="vectorBits"/> (512, 256, 128 or 0) with tiles for <paramref name="vectorRegisters"/>
    /// registers (16 or 32), FMA as this process has it for that width: for tests that run every width and tile shape.
    /// A width this process does not accelerate runs emulated, correct but slow: never chosen by <see cref="Best"/>.
    /// </summary>
    internal static KernelPath Create(int vectorBits, int vectorRegisters)
    {
        if (vectorBits is not (0 or 128 or 256 or 512)) throw new ArgumentOutOfRangeException(nameof(vectorBits), vectorBits, "vectorBits must be 0, 128, 256 or 512");
        if (vectorRegisters is not (16 or 32)) throw new ArgumentOutOfRangeException(nameof(vectorRegisters), vectorRegisters, "vectorRegisters must be 16 or 32");
        return new KernelPath(vectorBits, Fused(vectorBits), vectorRegisters);
    }

    /// <summary>Every path this process can run, widest first (<see cref="Best"/>, then each narrower width down to scalar).</summary>
    internal static KernelPath[] Supported()
    {
        var paths = new List<KernelPath>();
        if (Vector512.IsHardwareAccelerated) paths.Add(new KernelPath(512, Fused(512), Registers));
        if (Vector256.IsHardwareAccelerated) paths.Add(new KernelPath(256, Fused(256), Registers));
        if (Vector128.IsHardwareAccelerated) paths.Add(new KernelPath(128, Fused(128), Registers));
        paths.Add(new KernelPath(0, Fused(0), Vector128.IsHardwareAccelerated ? Registers : 16));
        return paths.ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
