using ConvAsMatrix.Tests.Performance;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// One kernel instance called from many threads at once gives, bit for bit, what it gives alone; and the result
/// does not depend on <see cref="Parallelism.MaxDegreeOfParallelism"/>: on every path this process runs natively.
/// </summary>
[Collection(nameof(ParallelismSetting))]
[Trait("Category", "Kernel")]
public class BlockedConcurrencyTests
{
    private static readonly ConvGeometry[] Geometries =
    [
        ConvGeometry.ForConv([3, 8, 20, 37], [12, 8, 3, 3], new ConvOptions { Padding = 1 }),
        ConvGeometry.ForConv([2, 2, 64, 70], [2, 1, 5, 5], new ConvOptions { Groups = 2, Padding = 2, PaddingMode = PaddingMode.Reflect }),
        ConvGeometry.ForConvTranspose([2, 16, 12, 12], [16, 8, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1 }),
    ];

    /// <summary>Every geometry on every native path.</summary>
    private static IEnumerable<(ConvGeometry G, KernelPath Path)> Cases => Geometries.SelectMany(g => KernelChecks.Native.Select(p => (g, p)));

    [Fact]
    public void ConcurrentCallsOnOneInstanceAreIdentical()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 2;
            foreach (var (g, path) in Cases)
            {
                var (kernel, x, y) = Setup(g, path);
                double[] forward = new double[g.Batch * g.OutputLength], adjoint = new double[g.Batch * g.InputLength];
                kernel.Forward(x, forward, g.Batch);
                kernel.Adjoint(y, adjoint, g.Batch);
                var results = new (double[] Forward, double[] Adjoint)[8];
                Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
                {
                    var f = new double[forward.Length];
                    var a = new double[adjoint.Length];
                    for (int repeat = 0; repeat < 3; repeat++)
                    {
                        kernel.Forward(x, f, g.Batch);
                        kernel.Adjoint(y, a, g.Batch);
                    }
                    results[i] = (f, a);
                });
                foreach (var (f, a) in results)
                {
                    Assert.True(forward.SequenceEqual(f), $"{KernelChecks.Label(path)} {g}: a concurrent V·x differs");
                    Assert.True(adjoint.SequenceEqual(a), $"{KernelChecks.Label(path)} {g}: a concurrent Vᵀ·y differs");
                }
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void ResultDoesNotDependOnTheThreadCount()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            foreach (var (g, path) in Cases)
            {
                var (kernel, x, y) = Setup(g, path);
                var runs = new[] { 1, 2, 3 }.Select(threads =>
                {
                    Parallelism.MaxDegreeOfParallelism = threads;
                    double[] f = new double[g.Batch * g.OutputLength], a = new double[g.Batch * g.InputLength];
                    kernel.Forward(x, f, g.Batch);
                    kernel.Adjoint(y, a, g.Batch);
                    return (f, a);
                }).ToArray();
                foreach (var run in runs[1..])
                {
                    Assert.True(runs[0].f.SequenceEqual(run.f), $"{KernelChecks.Label(path)} {g}: V·x depends on the thread count");
                    Assert.True(runs[0].a.SequenceEqual(run.a), $"{KernelChecks.Label(path)} {g}: Vᵀ·y depends on the thread count");
                }
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static (BlockedConvolution<double> Kernel, double[] X, double[] Y) Setup(ConvGeometry g, KernelPath path)
    {
        var random = new Random(3);
        var kernel = BlockedConvolution<double>.TryCreate(g, KernelChecks.Values(random, g.WeightLength), path)!;
        return (kernel, KernelChecks.Values(random, g.Batch * g.InputLength), KernelChecks.Values(random, g.Batch * g.OutputLength));
    }
}
