namespace ConvAsMatrix;

/// <summary>
/// Scratch aligned to a cache line, for buffers the kernels read in whole vectors from fixed multiples of the vector
/// width (a packed panel, a tile): rent <see cref="Slack{T}"/> more elements and start at <see cref="Align{T}"/>.
/// </summary>
/// <remarks>
/// A .NET array's elements start 16 bytes into the object, and objects are only 8-byte aligned, so a rented buffer
/// starts at 0, 8, 16 or 24 modulo 32 depending on where the allocator put it — fixed for the life of a process that
/// keeps re-renting it. Where every load of a kernel sits at a multiple of 4 doubles from the buffer's start, that one
/// address decides whether none or a quarter to a half of its 32-byte loads straddle two cache lines: measured on an
/// AMD Zen 3 (one thread), the weight gradient of W5 at batch 1 took either about 5.7 or about 8.3 ms in a fresh process,
/// two processes in six slow, and 5.5–6.2 ms in eight of eight once its panel, packed output gradient and tile were aligned.
/// </remarks>
internal static unsafe class CacheLine
{
    /// <summary>Bytes per cache line on the cores this targets (x64 Intel and AMD, ARM64 Neoverse and Apple's L1).</summary>
    public const int Bytes = 64;

    /// <summary>Extra elements to rent so that an aligned start still leaves the length asked for.</summary>
    public static int Slack<T>() where T : unmanaged => Bytes / sizeof(T);

    /// <summary>The first cache-line boundary at or after <paramref name="pointer"/> (within a pinned buffer of <see cref="Slack{T}"/> spare elements).</summary>
    public static T* Align<T>(T* pointer) where T : unmanaged => (T*)(((nint)pointer + (Bytes - 1)) & ~(nint)(Bytes - 1));
}
