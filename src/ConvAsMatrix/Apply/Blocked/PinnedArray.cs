namespace ConvAsMatrix;

/// <summary>
/// Zeroed arrays on the pinned object heap for a plan's packed weights and step offsets: the kernels read them through
/// pointers from worker threads, and packing writes them in place, so compiling allocates each once.
/// </summary>
internal static class PinnedArray
{
    public static T[] Zeroed<T>(long length) => GC.AllocateArray<T>(checked((int)length), pinned: true);
}
