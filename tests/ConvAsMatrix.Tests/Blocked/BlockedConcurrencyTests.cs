using ConvAsMatrix.Tests.Performance;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// One kernel instance called from many threads at once gives, bit for bit, what it gives alone; and the result
/// does not depend on <see cref="Parallelism.MaxDegreeOfParallelism"/>.
/// </summary>
[Collection(nameof(ParallelismSetting))]
public class BlockedConcurrencyTests
{
    private static readonly ConvGeometry[] Geometries =
    [
        ConvGeometry.ForConv([3, 8, 20, 37], [12, 8, 3, 3], new ConvOptions { Padding = 1 }),
        ConvGeometry.ForConv([2, 2, 64, 70], [2, 1, 5, 5], new ConvOptions { Groups = 2, Padding = 2, PaddingMode = PaddingMode.Reflect }),
        ConvGeometry.ForConvTranspose([2, 16, 12, 12], [16, 8, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1 }),
    ];

    [Fact]
    public void ConcurrentCallsOnOneInstanceAreIdentical()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 2;
            foreach (var g in Geometries)
            {
                var (kernel, x, y) = Setup(g);
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
                    Assert.Equal(forward, f);
                    Assert.Equal(adjoint, a);
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
            foreach (var g in Geometries)
            {
                var (kernel, x, y) = Setup(g);
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
                    Assert.Equal(runs[0].f, run.f);
                    Assert.Equal(runs[0].a, run.a);
                }
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static (BlockedConvolution<double> Kernel, double[] X, double[] Y) Setup(ConvGeometry g)
    {
        var random = new Random(3);
        var kernel = BlockedConvolution<double>.TryCreate(g, BlockedBoundaryTests.Values(random, g.WeightLength))!;
        return (kernel, BlockedBoundaryTests.Values(random, g.Batch * g.InputLength), BlockedBoundaryTests.Values(random, g.Batch * g.OutputLength));
    }
}
