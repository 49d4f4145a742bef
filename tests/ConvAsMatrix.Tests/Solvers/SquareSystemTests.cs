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
    public void MathNetBreakdownIsAStatusNotAnException()
    {
        // MathNet throws NumericalBreakdownException for a zero ILU pivot or a vanishing BiCGStab inner product;
        // a preconditioner that does so on its fifth use stands in for both.
        var v = Problems.WellConditioned(new Random(10), 1, 6, PaddingMode.Circular);
        var y = Problems.Gaussian(new Random(8), v.RowCount);
        var r = SquareSystem.Solve(v, y, new double[v.ColumnCount], new BiCgStab(), new BreaksDown(5), new SolverOptions { Tolerance = 1e-15 });
        Assert.Equal(SolverStatus.Failed, r.Status);
        Assert.True(r.Iterations >= 1, r.ToString());
        Assert.Equal(Problems.Misfit(v, new double[v.ColumnCount], y), r.ResidualHistory[0], 1e-12);
    }

    private sealed class BreaksDown(int uses) : IPreconditioner<double>
    {
        private int count;

        public void Initialize(MathNet.Numerics.LinearAlgebra.Matrix<double> matrix) { }

        public void Approximate(MathNet.Numerics.LinearAlgebra.Vector<double> rhs, MathNet.Numerics.LinearAlgebra.Vector<double> lhs)
        {
            if (++count >= uses) throw new MathNet.Numerics.NumericalBreakdownException();
            rhs.CopyTo(lhs);
        }
    }

    [Fact]
    public void MissingDiagonalEndsAsDiverged()
    {
        // Taps at offsets −1 and +1 (kernel 2, dilation 2, padding 1) store nothing on V's diagonal; ILU(0) then
        // divides by zero and the NaNs are reported as divergence.
        var g = ConvGeometry.ForConv([1, 1, 6], [1, 1, 2], new ConvOptions { Padding = 1, Dilation = [2], PaddingMode = PaddingMode.Circular });
        var v = ConvolutionMatrix<double>.Compile([1.0, 2.0], g);
        Assert.DoesNotContain(v.EnumerateNonZeros(), e => e.Row == e.Column);
        var r = SquareSystem.Solve(v, Problems.Gaussian(new Random(8), 6), new double[6], new BiCgStab(), new ILU0Preconditioner());
        Assert.Equal(SolverStatus.Diverged, r.Status);
    }

    [Fact]
    public void AStoredZeroPivotEndsAsDiverged()
    {
        // A zero centre tap is stored as an explicit zero: no exception, the NaNs it produces are reported as divergence.
        var g = ConvGeometry.ForConv([1, 1, 6], [1, 1, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular });
        var v = ConvolutionMatrix<double>.Compile([1.0, 0.0, 2.0], g);
        var r = SquareSystem.Solve(v, Problems.Gaussian(new Random(9), 6), new double[6], new BiCgStab(), new ILU0Preconditioner());
        Assert.Equal(SolverStatus.Diverged, r.Status);
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
