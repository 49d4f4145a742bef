namespace ConvAsMatrix;

/// <summary>How many threads the library's parallel loops (compiling V, applying it) may use.</summary>
/// <remarks>
/// One process-wide setting, like <c>torch.set_num_threads</c> or OPENBLAS_NUM_THREADS, so a benchmark or a
/// host application can pin the library to one core. Results do not depend on it: every parallel loop
/// splits rows, and each row is computed by the same code whichever thread runs it.
/// </remarks>
public static class Parallelism
{
    private static int maxDegree = Environment.ProcessorCount;

    /// <summary>The most threads one call uses; defaults to <see cref="Environment.ProcessorCount"/>, 1 means sequential.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set below 1.</exception>
    public static int MaxDegreeOfParallelism
    {
        get => Volatile.Read(ref maxDegree);
        set
        {
            Check.AtLeast(value, 1, nameof(MaxDegreeOfParallelism));
            Volatile.Write(ref maxDegree, value);
        }
    }
}
