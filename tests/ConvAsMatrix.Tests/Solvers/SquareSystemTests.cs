using ConvAsMatrix.Solvers;
using MathNet.Numerics.LinearAlgebra.Double.Solvers;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>MathNet's preconditioned Krylov solvers on a square V.</summary>
public class SquareSystemTests
{
    public static TheoryData<string> Solvers => ["BiCgStab+Diagonal", "TFQMR+ILU0", "GpBiCg+ILU0", "BiCgStab+ILUTP"];

    [Theory]
    [MemberData(nameof(Solvers))]
    public void SolvesAWellConditionedSameSizeConvolution(string setup)
    {
        var v = Problems.WellConditioned(new Random(setup.Length), 2, 7, PaddingMode.Circular);
        var truth = Problems.Gaussian(new Random(1), v.ColumnCount);
        var y = new double[v.RowCount];
        v.Multiply(truth, y);
        var (solver, preconditioner) = Create(setup);
        var x = new double[v.ColumnCount];
        var r = SquareSystem.Solve(v, y, x, solver, preconditioner, new SolverOptions { Tolerance = 1e-12 });
        Assert.True(r.Converged, r.ToString());
        Assert.True(Problems.Distance(x, truth) <= 1e-9 * Problems.Norm(truth), $"{setup}: error {Problems.Distance(x, truth)}");
        Assert.True(r.ResidualHistory.Count >= 2);
        Assert.Equal(Problems.Misfit(v, x, y), r.Residual, 1e-12);
    }

    private static (IIterativeSolver<double>, IPreconditioner<double>) Create(string setup) => setup switch
    {
        "BiCgStab+Diagonal" => (new BiCgStab(), new DiagonalPreconditioner()),
        "TFQMR+ILU0" => (new TFQMR(), new ILU0Preconditioner()),
        "GpBiCg+ILU0" => (new GpBiCg(), new ILU0Preconditioner()),
        _ => (new BiCgStab(), new ILUTPPreconditioner()),
    };

    [Fact]
    public void DefaultsAreBiCgStabWithADiagonalPreconditioner()
    {
        var v = Problems.WellConditioned(new Random(3), 1, 6, PaddingMode.Zeros);
        var truth = Problems.Gaussian(new Random(4), v.ColumnCount);
        var y = new double[v.RowCount];
        v.Multiply(truth, y);
        var x = new double[v.ColumnCount];
        var r = SquareSystem.Solve(v, y, x);
        Assert.True(r.Converged, r.ToString());
        Assert.True(r.RelativeResidual < 1e-5);
    }

    [Fact]
    public void IterationLimitIsAStatusNotAnException()
    {
        var v = Problems.Random2D(new Random(5), 2, 2, 8, 3, new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular });
        var y = Problems.Gaussian(new Random(6), v.RowCount);
        var r = SquareSystem.Solve(v, y, new double[v.ColumnCount], options: new SolverOptions { Tolerance = 1e-15, MaxIterations = 2 });
        Assert.Equal(SolverStatus.IterationLimit, r.Status);
        Assert.Equal(2, r.Iterations);
        Assert.True(r.Residual > 0);
    }

    [Fact]
    public void NonSquareVIsRefused()
    {
        var v = Problems.Random2D(new Random(7), 1, 1, 5, 3);
        var e = Assert.Throws<ArgumentException>(() => SquareSystem.Solve(v, new double[v.RowCount], new double[v.ColumnCount]));
        Assert.Equal("v", e.ParamName);
        Assert.Contains("9 x 25", e.Message);
    }
}
