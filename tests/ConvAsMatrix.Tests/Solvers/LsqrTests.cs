using ConvAsMatrix.Benchmarks;
using ConvAsMatrix.Solvers;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>LSQR without SciPy: the dense normal equations, a non-zero start, the estimates, the frame's statuses and arguments.</summary>
public class LsqrTests
{
    private static readonly SolverOptions Tight = new() { Tolerance = 1e-14, MaxIterations = 5000 };

    private static double[] DenseSolution(CompressedRowStorage<double> v, double[] y, double lambda)
    {
        var a = Matrix<double>.Build.DenseOfArray(v.ToDense());
        var normal = a.TransposeThisAndMultiply(a) + lambda * Matrix<double>.Build.DenseIdentity(v.ColumnCount);
        return normal.Solve(a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(y))).ToArray();
    }

    [Theory]
    [InlineData(0.1, false)]
    [InlineData(0.1, true)]    // a non-zero start with λ > 0 runs on [A; √λI] and still minimises ‖Ax − b‖² + λ‖x‖²
    [InlineData(0.0, true)]
    public void LsqrMatchesTheNormalEquationsSolvedDensely(double lambda, bool start)
    {
        var random = new Random(11);
        var v = Problems.Random2D(random, 2, 3, 5, 3, new ConvOptions { Stride = [2], Padding = 1 });
        if (lambda == 0) v = Problems.WellConditioned(random, 2, 5, PaddingMode.Zeros);
        var y = Problems.Gaussian(random, v.RowCount);
        var x = start ? Problems.Gaussian(random, v.ColumnCount) : new double[v.ColumnCount];
        var result = Lsqr.Solve(LinearOperator.From(v), y, x, lambda, Tight);
        var want = DenseSolution(v, y, lambda);
        Assert.True(result.Converged, result.ToString());
        Assert.True(Problems.Distance(x, want) <= 1e-9 * Problems.Norm(want), $"error {Problems.Distance(x, want) / Problems.Norm(want):E2}; {result}");
        // The estimates against the truth: ‖b − Ax‖ and ‖Aᵀr − λx‖ at the solution.
        var e = result.Lsqr!;
        Assert.Equal(Problems.Misfit(v, x, y), e.ResidualNorm, 1e-6);
        Assert.Equal(e.ResidualNorm, result.Residual);
        Assert.True(e.NormalResidualNorm <= 1e-10, e.ToString());
        Assert.InRange(e.StopCode, 1, 2);
    }

    [Fact]
    public void NormEstimateBoundsTheSpectralNormAndConditionIsAtLeastOne()
    {
        var v = Deblurring.Matrix(12);
        var y = Problems.Gaussian(new Random(3), v.RowCount);
        var r = Lsqr.Solve(LinearOperator.From(v), y, new double[v.ColumnCount], 1e-3, Tight);
        double sigmaMax = ConvAsMatrix.Spectrum.SpectralNorm.Estimate(v).Value;
        Assert.True(r.Lsqr!.NormA >= sigmaMax * 0.999, $"anorm {r.Lsqr.NormA} vs sigma_max {sigmaMax}");
        Assert.True(r.Lsqr.ConditionA >= 1);
        Assert.Equal(Math.Sqrt(r.Lsqr.ResidualNorm * r.Lsqr.ResidualNorm + 1e-3 * r.Lsqr.SolutionNorm * r.Lsqr.SolutionNorm), r.Lsqr.DampedResidualNorm, 1e-9);
    }

    [Fact]
    public void DeconvolutionRunsLsqrWhenAskedAndAgreesWithCgls()
    {
        var v = Deblurring.Matrix(16);
        var y = Problems.Gaussian(new Random(4), v.RowCount);
        var viaCgls = new double[v.ColumnCount];
        var viaLsqr = new double[v.ColumnCount];
        var options = new DeconvolutionOptions { Lambda = 1e-3, Solver = new SolverOptions { Tolerance = 1e-12, MaxIterations = 5000 } };
        var c = Deconvolution.Solve(v, y, viaCgls, options);
        var l = Deconvolution.Solve(v, y, viaLsqr, options with { Method = DeconvolutionMethod.Lsqr });
        Assert.Null(c.Solver.Lsqr);
        Assert.NotNull(l.Solver.Lsqr);
        Assert.True(c.Converged && l.Converged);
        Assert.True(Problems.Distance(viaCgls, viaLsqr) <= 1e-8 * Problems.Norm(viaCgls));
    }

    [Fact]
    public void ZeroDataAreSolvedWithoutIterating()
    {
        var v = Deblurring.Matrix(6);
        var x = new double[v.ColumnCount];
        var r = Lsqr.Solve(LinearOperator.From(v), new double[v.RowCount], x, 0.5);
        Assert.Equal(SolverStatus.Converged, r.Status);
        Assert.Equal(0, r.Iterations);
        Assert.Equal(0, r.Lsqr!.StopCode);
        Assert.All(x, value => Assert.Equal(0, value));
    }

    [Fact]
    public void LimitsCancellationAndExtraCriteriaAreStatuses()
    {
        var v = Deblurring.Matrix(16);
        var a = LinearOperator.From(v);
        var y = Problems.Gaussian(new Random(5), v.RowCount);
        var limited = Lsqr.Solve(a, y, new double[v.ColumnCount], 0, new SolverOptions { Tolerance = 1e-14, MaxIterations = 4 });
        Assert.Equal(SolverStatus.IterationLimit, limited.Status);
        Assert.Equal(4, limited.Iterations);
        Assert.Equal(7, limited.Lsqr!.StopCode);
        Assert.Equal(5, limited.ResidualHistory.Count);

        var ill = Lsqr.Solve(a, y, new double[v.ColumnCount], 0, new SolverOptions { Tolerance = 1e-14, MaxIterations = 5000 }, new LsqrOptions { ConditionLimit = 10 });
        Assert.Equal(SolverStatus.IllConditioned, ill.Status);
        Assert.Equal(3, ill.Lsqr!.StopCode);
        Assert.True(ill.Lsqr.ConditionA >= 10);

        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.Equal(SolverStatus.Cancelled, Lsqr.Solve(a, y, new double[v.ColumnCount], 0, new SolverOptions { CancellationToken = cancel.Token }).Status);

        var failAt3 = new DelegateStopCriterion<double>((k, _, _, residual) => k >= 3 ? IterationStatus.Failure : IterationStatus.Continue);
        var failed = Lsqr.Solve(a, y, new double[v.ColumnCount], 0, new SolverOptions { Tolerance = 1e-14, ExtraCriteria = [failAt3] });
        Assert.Equal(SolverStatus.Failed, failed.Status);
        Assert.Equal(3, failed.Iterations);
    }

    [Fact]
    public void BadArgumentsNameTheParameter()
    {
        var a = LinearOperator.From(Deblurring.Matrix(4));
        var y = new double[16];
        var x = new double[16];
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Lsqr.Solve(a, y, x, -1)).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Lsqr.Solve(a, new double[3], x, 0)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Lsqr.Solve(a, y, new double[3], 0)).ParamName);
        Assert.Equal("Atol", Assert.Throws<ArgumentOutOfRangeException>(() => Lsqr.Solve(a, y, x, 0, null, new LsqrOptions { Atol = -1 })).ParamName);
        Assert.Equal("Btol", Assert.Throws<ArgumentOutOfRangeException>(() => Lsqr.Solve(a, y, x, 0, null, new LsqrOptions { Btol = double.NaN })).ParamName);
        Assert.Equal("ConditionLimit", Assert.Throws<ArgumentOutOfRangeException>(() => Lsqr.Solve(a, y, x, 0, null, new LsqrOptions { ConditionLimit = double.PositiveInfinity })).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => Lsqr.Solve(a, y, x, 0, new SolverOptions { MaxIterations = 0 })).ParamName);
    }
}
