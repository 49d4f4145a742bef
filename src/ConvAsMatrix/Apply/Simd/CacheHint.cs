using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace ConvAsMatrix;

/// <summary>
/// Cache hints for the kernels: they change no result, only when a line arrives. A no-op where .NET exposes no
/// prefetch instruction (ARM64) or the process runs without hardware intrinsics (<c>DOTNET_EnableHWIntrinsic=0</c>).
/// </summary>
internal static unsafe class CacheHint
{
    /// <summary>
    /// Asks for the cache lines of [<paramref name="start"/>, <paramref name="start"/> + <paramref name="bytes"/>) to
    /// be brought into L1 (<c>prefetcht0</c>), so that stores to them later do not wait for the line to be read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* start, nint bytes)
    {
        if (!Sse.IsSupported || bytes <= 0) return;
        byte* p = (byte*)start, last = p + bytes - 1;
        for (; p < last; p += CacheLine.Bytes) Sse.Prefetch0(p);
        Sse.Prefetch0(last);
    }
}
