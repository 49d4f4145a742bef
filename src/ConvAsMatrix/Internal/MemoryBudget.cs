namespace ConvAsMatrix;

/// <summary>
/// The rule by which the library refuses a large allocation before making it: what the GC heap holds now plus
/// what the operation is about to allocate must stay within <see cref="Fraction"/> of the memory the GC says
/// this process may use, so the rest of the process (its inputs, outputs, the runtime) keeps the remaining headroom.
/// </summary>
internal static class MemoryBudget
{
    /// <summary>At most 80 % of <see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/> may be in use once the allocation is made.</summary>
    public const double Fraction = 0.8;

    /// <summary>The way on when an explicit form does not fit, quoted by every refusal.</summary>
    public const string StructuredAdvice =
        "use the structured form, which stores only the weight (StructuredConvolution<T>.Compile; CLI --form structured), or apply the convolution matrix-free (DirectCorrelation)";

    /// <summary>The bytes the process may still allocate under the rule, or null when the GC reports no limit.</summary>
    public static long? Remaining()
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available <= 0) return null;
        return (long)(available * Fraction) - GC.GetTotalMemory(forceFullCollection: false);
    }

    /// <summary>Throws an ArgumentException naming <paramref name="what"/>, the bytes and the budget when <paramref name="bytes"/> exceed what <see cref="Remaining"/> allows.</summary>
    /// <param name="bytes">Everything the operation will hold.</param>
    /// <param name="what">What would be allocated, with its size in its own units, e.g. "V of conv2d … would need".</param>
    /// <param name="parameter">The parameter the caller blames.</param>
    public static void Ensure(long bytes, string what, string parameter)
    {
        if (Remaining() is not { } remaining || bytes <= remaining) return;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        throw new ArgumentException(
            $"{what} {bytes} bytes, more than the {Math.Max(0, remaining)} bytes this process may still use ({Fraction:P0} of the {available} bytes available to it, less the {GC.GetTotalMemory(false)} bytes it holds); {StructuredAdvice}",
            parameter);
    }
}
