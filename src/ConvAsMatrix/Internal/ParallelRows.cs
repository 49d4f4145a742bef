namespace ConvAsMatrix;

/// <summary>Work on a half-open range of rows; a struct so the parallel loop calls it without a closure per row.</summary>
internal interface IRowOperation
{
    void Invoke(int start, int end);
}

/// <summary>Runs a row operation over [0, count) in contiguous blocks, in parallel when the work is large enough to pay for it.</summary>
internal static class ParallelRows
{
    /// <summary>Below this much work (rows × work per row) the loop stays on the calling thread.</summary>
    internal const long SequentialWork = 1 << 16;

    /// <summary>Whether <see cref="For"/> would use threads for this much work.</summary>
    internal static bool IsParallel(int workers, int count, long workPerRow) =>
        workers > 1 && count >= 2 && count * Math.Max(1, workPerRow) >= SequentialWork;

    /// <param name="count">Rows.</param>
    /// <param name="workPerRow">Rough cost of one row (entries), to decide whether threads pay.</param>
    /// <param name="operation">The work.</param>
    /// <param name="progress">Receives the fraction of rows done, after each block.</param>
    public static void For<TOperation>(int count, long workPerRow, in TOperation operation, IProgress<double>? progress = null)
        where TOperation : struct, IRowOperation
    {
        int workers = Parallelism.MaxDegreeOfParallelism;
        bool parallel = IsParallel(workers, count, workPerRow);
        if (!parallel && progress is null)
        {
            operation.Invoke(0, count);
            return;
        }
        // Enough blocks to balance the threads and to report progress smoothly.
        int blocks = Math.Min(count, Math.Max(workers * 4, progress is null ? 1 : 100));
        var op = operation;
        long done = 0;
        void Block(int b)
        {
            int start = (int)((long)count * b / blocks), end = (int)((long)count * (b + 1) / blocks);
            op.Invoke(start, end);
            if (progress is not null) progress.Report((double)Interlocked.Add(ref done, end - start) / count);
        }
        if (parallel)
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = workers }, Block);
        else
            for (int b = 0; b < blocks; b++) Block(b);
    }
}
