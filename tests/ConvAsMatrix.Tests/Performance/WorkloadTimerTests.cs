using ConvAsMatrix.Benchmarks;

namespace ConvAsMatrix.Tests.Performance;

/// <summary>
/// <see cref="WorkloadTimer.RunBatches{T}"/>: the batch sizes of one operation are timed in turns, and the rows are
/// those of <see cref="WorkloadTimer.Run{T}"/> for each batch size, in the order asked.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public class WorkloadTimerTests
{
    [Fact]
    public void MediansWarmUpEveryCallThenTimeThemInTurns()
    {
        var order = new List<char>();
        var medians = WorkloadTimer.Medians([() => order.Add('a'), () => order.Add('b'), () => order.Add('c')], repeats: 3, collect: false);
        Assert.Equal("abcabcabcabc", new string([.. order]));
        Assert.Equal(3, medians.Length);
        Assert.All(medians, s => Assert.True(s >= 0 && double.IsFinite(s)));
    }

    [Fact]
    public void MediansIsTheMiddleCallOfEach()
    {
        // The first action's timed calls sleep 30, 200 and 0 ms (the warm-up sleeps 0): its median is the 30 ms call,
        // neither the shortest nor the longest, however late a busy machine wakes a sleeper.
        int[] sleeps = [0, 30, 200, 0];
        int calls = 0;
        var medians = WorkloadTimer.Medians([() => Thread.Sleep(sleeps[calls++]), () => { }], repeats: 3, collect: false);
        Assert.InRange(medians[0], 0.029, 0.199);
        Assert.True(medians[1] < medians[0]);
    }

    [Fact]
    public void RunBatchesGivesEachBatchSizesRowsInTheOrderAsked()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        var rows = WorkloadTimer.RunBatches<float>(Workload.Tiny, [3, 1], threads: 1, repeats: 1);
        Assert.Equal([(3, "compile"), (3, "conv"), (3, "tconv"), (3, "wgrad"), (1, "compile"), (1, "conv"), (1, "tconv"), (1, "wgrad")],
            rows.Select(m => (m.Batch, m.Op)));
        Assert.All(rows, m => Assert.Equal("float32", m.Dtype));
        Assert.All(rows, m => Assert.Equal(1, m.Threads));
        // A row's rate is its own batch's flops over its own seconds.
        foreach (var m in rows.Where(m => m.Op != "compile"))
            Assert.Equal(WorkloadTimer.Flops(Workload.Tiny.Geometry(m.Batch)) / m.Seconds / 1e9, m.Gflops!.Value, 1e-9 * m.Gflops.Value);
        Assert.Equal(saved, Parallelism.MaxDegreeOfParallelism);
    }

    [Fact]
    public void RunIsRunBatchesOfOneBatchSize()
    {
        var one = WorkloadTimer.Run<double>(Workload.Tiny, 2, threads: 1, repeats: 1, MatrixForm.Csr);
        var batches = WorkloadTimer.RunBatches<double>(Workload.Tiny, [2], threads: 1, repeats: 1, MatrixForm.Csr);
        Assert.Equal(one.Select(m => (m.Batch, m.Op, m.Form, m.Nnz)), batches.Select(m => (m.Batch, m.Op, m.Form, m.Nnz)));
        Assert.Equal(["compile", "conv", "tconv"], one.Select(m => m.Op));
    }

    [Fact]
    public void BadBatchesNameTheParameter()
    {
        Assert.Equal("batches", Assert.Throws<ArgumentException>(() => WorkloadTimer.RunBatches<double>(Workload.Tiny, [], 1, 1)).ParamName);
        Assert.Equal("batches", Assert.ThrowsAny<ArgumentException>(() => WorkloadTimer.RunBatches<double>(Workload.Tiny, [1, 0], 1, 1)).ParamName);
        Assert.Equal("batch", Assert.ThrowsAny<ArgumentException>(() => WorkloadTimer.Run<double>(Workload.Tiny, 0, 1, 1)).ParamName);
    }
}
