namespace ConvAsMatrix;

/// <summary>Work on a half-open range of rows; a struct so the parallel loop calls it without a closure.</summary>
internal interface IRowOperation
{
    void Invoke(int start, int end);
}

/// <summary>Runs a row operation over [0, count) in contiguous blocks, in parallel when the work is large enough to pay for it.</summary>
internal static class ParallelRows
{
    /// <summary>Below this much work (rows × work per row) the loop stays on the calling thread.</summary>
    private const long SequentialWork = 1 << 16;

    public static void For<TOperation>(int count, long workPerRow, in TOperation operation)
        where TOperation : struct, IRowOperation
    {
        int workers = Environment.ProcessorCount;
        if (workers == 1 || count < 2 || count * Math.Max(1, workPerRow) < SequentialWork)
        {
            operation.Invoke(0, count);
            return;
        }
        int blocks = Math.Min(count, workers * 4);
        var op = operation;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = workers }, b =>
            op.Invoke((int)((long)count * b / blocks), (int)((long)count * (b + 1) / blocks)));
    }
}
