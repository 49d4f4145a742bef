namespace ConvAsMatrix.Tests.Concurrency;

/// <summary>Runs one body on several threads released together by a <see cref="Barrier"/>, so their first steps overlap as closely as threads can.</summary>
internal static class Race
{
    /// <summary>Threads each test races: more than the machine's cores, so some are preempted mid-way.</summary>
    public const int Threads = 8;

    /// <summary>Runs <paramref name="body"/>(thread index) on <paramref name="threads"/> dedicated threads at once; returns their results in index order.</summary>
    /// <exception cref="AggregateException">A body threw; every thread's exception is inside.</exception>
    public static T[] Run<T>(Func<int, T> body, int threads = Threads)
    {
        var results = new T[threads];
        var errors = new Exception?[threads];
        using var barrier = new Barrier(threads);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            barrier.SignalAndWait();
            try { results[t] = body(t); }
            catch (Exception e) { errors[t] = e; }
        }) { IsBackground = true }).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers)
            if (!w.Join(TimeSpan.FromSeconds(60))) throw new TimeoutException("a raced thread did not finish in 60 s (deadlock?)");
        var thrown = errors.OfType<Exception>().ToArray();
        if (thrown.Length > 0) throw new AggregateException(thrown);
        return results;
    }
}
