using ConvAsMatrix.Solvers;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>Regularised least squares by CGLS on V and Vᵀ: recovery, regularisation, status reporting, arguments.</summary>
public class DeconvolutionTests
{
    private static readonly SolverOptions Tight = new() { Tolerance = 1e-12, MaxIterations = 2000 };

    [Theory]
    [InlineData(1, 1, PaddingMode.Zeros)]
    [InlineData(2, 2, PaddingMode.Circular)]
    [InlineData(2, 3, PaddingMode.Reflect)]   // more outputs than inputs: overdetermined, full column rank
    public void NoiselessDataGiveBackTheInput(int cin, int cout, PaddingMode mode)
    {
        var random = new Random(cin * 10 + cout);
        var g = ConvGeometry.ForConv([1, cin, 8, 8], [cout, cin, 3, 3], new ConvOptions { Padding = 1, PaddingMode = mode });
        var w = Problems.Gaussian(random, g.WeightLength);
        for (int c = 0; c < Math.Min(cin, cout); c++) w[(c * cin + c) * 9 + 4] += 3; // keep V well conditioned
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var truth = Problems.Gaussian(random, v.ColumnCount);
        var y = new double[v.RowCount];
        v.Multiply(truth, y);

        var x = new double[v.ColumnCount];
        var result = Deconvolution.Solve(v, y, x, new DeconvolutionOptions { Lambda = 1e-14, Solver = Tight });

        Assert.Equal(SolverStatus.Converged, result.Solver.Status);
        Assert.True(Problems.Distance(x, truth) <= 1e-8 * Problems.Norm(truth), $"error {Problems.Distance(x, truth)}; {result}");
        Assert.Equal(Problems.Misfit(v, x, y), result.Solver.Residual, 1e-9);
    }

    [Fact]
    public void CglsMatchesTheNormalEquationsSolvedDensely()
    {
        var random = new Random(11);
        var v = Problems.Random2D(random, 2, 3, 5, 3, new ConvOptions { Stride = [2], Padding = 1 });
        var y = Problems.Gaussian(random, v.RowCount);
        const double lambda = 0.1;
        var x = new double[v.ColumnCount];
        var result = Cgls.Solve(LinearOperator.From(v), y, x, lambda, Tight);

        var a = Matrix<double>.Build.DenseOfArray(v.ToDense());
        var normal = a.TransposeThisAndMultiply(a) + lambda * Matrix<double>.Build.DenseIdentity(v.ColumnCount);
        var want = normal.Solve(a.TransposeThisAndMultiply(Vector<double>.Build.DenseOfArray(y)));
        Assert.True(result.Converged, result.ToString());
        Assert.True(Problems.Distance(x, want.ToArray()) <= 1e-9 * Problems.Norm(want.ToArray()));
    }

    [Fact]
    public void RegularisationTradesMisfitForStabilityUnderNoise()
    {
        // A [1, 2, 1]/4 ⊗ [1, 2, 1]/4 blur nearly annihilates the checkerboard: without λ the noise there explodes.
        var g = ConvGeometry.ForConv([1, 1, 16, 16], [1, 1, 3, 3], new ConvOptions { Padding = 1 });
        double[] b = [0.25, 0.5, 0.25];
        var w = new double[9];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) w[i * 3 + j] = b[i] * b[j];
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var random = new Random(2);
        var truth = new double[v.ColumnCount];
        for (int i = 0; i < 16; i++) for (int j = 0; j < 16; j++) truth[i * 16 + j] = (i is > 3 and < 12 && j is > 5 and < 10) ? 1 : 0;
        var y = new double[v.RowCount];
        v.Multiply(truth, y);
        for (int i = 0; i < y.Length; i++) y[i] += 0.01 * (random.NextDouble() * 2 - 1);

        double[] lambdas = [1e-8, 1e-4, 1e-2, 1e-1];
        var norms = new double[lambdas.Length];
        var misfits = new double[lambdas.Length];
        var errors = new double[lambdas.Length];
        for (int t = 0; t < lambdas.Length; t++)
        {
            var x = new double[v.ColumnCount];
            var r = Deconvolution.Solve(v, y, x, new DeconvolutionOptions { Lambda = lambdas[t], Solver = new SolverOptions { Tolerance = 1e-10, MaxIterations = 5000 } });
            Assert.True(r.Converged, r.ToString());
            norms[t] = Problems.Norm(x);
            misfits[t] = Problems.Misfit(v, x, y);
            errors[t] = Problems.Distance(x, truth);
        }
        // Tikhonov theory: ‖x_λ‖ falls and ‖V·x_λ − y‖ rises as λ grows.
        for (int t = 1; t < lambdas.Length; t++)
        {
            Assert.True(norms[t] < norms[t - 1], $"norms {string.Join(", ", norms)}");
            Assert.True(misfits[t] > misfits[t - 1], $"misfits {string.Join(", ", misfits)}");
        }
        // A little regularisation beats almost none on noisy data.
        Assert.True(errors[1] < 0.5 * errors[0], $"errors {string.Join(", ", errors)}");
    }

    [Fact]
    public void DefaultLambdaIsRelativeToTheSquaredNorm()
    {
        var v = Problems.WellConditioned(new Random(4), 1, 6, PaddingMode.Zeros);
        var y = Problems.Gaussian(new Random(5), v.RowCount);
        var result = Deconvolution.Solve(v, y, new double[v.ColumnCount]);
        var sigma = ConvAsMatrix.Spectrum.SingularValues.Dense(v)[0];
        Assert.InRange(result.Lambda / (DeconvolutionOptions.DefaultRelativeLambda * sigma * sigma), 1 - 1e-4, 1 + 1e-12);
        Assert.True(result.Converged, result.ToString());
    }

    [Fact]
    public void IterationLimitIsReportedWithIterationsAndResidual()
    {
        var v = Problems.Random2D(new Random(6), 1, 1, 12, 3, new ConvOptions { Padding = 1 });
        var y = Problems.Gaussian(new Random(7), v.RowCount);
        var x = new double[v.ColumnCount];
        var result = Deconvolution.Solve(v, y, x, new DeconvolutionOptions { Lambda = 1e-12, Solver = new SolverOptions { Tolerance = 1e-14, MaxIterations = 3 } });

        Assert.Equal(SolverStatus.IterationLimit, result.Solver.Status);
        Assert.Equal(3, result.Solver.Iterations);
        Assert.Equal(4, result.Solver.ResidualHistory.Count);
        Assert.Equal(Problems.Misfit(v, x, y), result.Solver.Residual, 1e-12);
        Assert.True(result.Solver.RelativeResidual > 1e-14);
        Assert.Contains("IterationLimit after 3 iterations", result.ToString());
        // CGLS never increases the misfit.
        for (int i = 1; i < result.Solver.ResidualHistory.Count; i++)
            Assert.True(result.Solver.ResidualHistory[i] <= result.Solver.ResidualHistory[i - 1] + 1e-12);
    }

    [Fact]
    public void CancellationStopsWithTheIterateSoFar()
    {
        var v = Problems.Random2D(new Random(8), 1, 1, 12, 3, new ConvOptions { Padding = 1 });
        var y = Problems.Gaussian(new Random(9), v.RowCount);

        using var before = new CancellationTokenSource();
        before.Cancel();
        var x = new double[v.ColumnCount];
        var r0 = Deconvolution.Solve(v, y, x, new DeconvolutionOptions { Lambda = 1e-6, Solver = new SolverOptions { CancellationToken = before.Token } });
        Assert.Equal(SolverStatus.Cancelled, r0.Solver.Status);
        Assert.Equal(0, r0.Solver.Iterations);

        // Cancelled from inside the run (as another thread would), seen at the next check.
        using var during = new CancellationTokenSource();
        var trigger = new DelegateStopCriterion<double>((k, _, _, _) =>
        {
            if (k == 5) during.Cancel();
            return IterationStatus.Continue;
        });
        var r1 = Cgls.Solve(LinearOperator.From(v), y, x.AsSpan(), 1e-6,
            new SolverOptions { Tolerance = 1e-14, CancellationToken = during.Token, ExtraCriteria = [trigger] });
        Assert.Equal(SolverStatus.Cancelled, r1.Status);
        Assert.Equal(6, r1.Iterations);
        Assert.Equal(Problems.Misfit(v, x, y), r1.Residual, 1e-12);
    }

    [Fact]
    public void ExtraCriteriaCompose()
    {
        var v = Problems.Random2D(new Random(10), 1, 1, 8, 3, new ConvOptions { Padding = 1 });
        var y = Problems.Gaussian(new Random(11), v.RowCount);
        var failAt2 = new DelegateStopCriterion<double>((k, _, _, _) => k >= 2 ? IterationStatus.Failure : IterationStatus.Continue);
        var r = Cgls.Solve(LinearOperator.From(v), y, new double[v.ColumnCount], 0, new SolverOptions { Tolerance = 1e-14, ExtraCriteria = [failAt2] });
        Assert.Equal(SolverStatus.Failed, r.Status);
        Assert.Equal(2, r.Iterations);
    }

    [Fact]
    public void NaNFromTheOperatorIsReportedAsDiverged()
    {
        var a = new LinearOperator(4, 3, (x, y) => y.Fill(double.NaN), (y, x) => x.Fill(double.NaN));
        var r = Cgls.Solve(a, [1, 2, 3, 4], new double[3], 0.1);
        Assert.Equal(SolverStatus.Diverged, r.Status);
        Assert.Equal(0, r.Iterations);
    }

    [Fact]
    public void AKernelWithNaNIsRefusedWhenLambdaIsLeftToDefault()
    {
        var g = ConvGeometry.ForConv([1, 1, 5, 5], [1, 1, 3, 3], new ConvOptions { Padding = 1 });
        var w = new double[9];
        w[4] = double.NaN;
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var e = Assert.Throws<ArgumentException>(() => Deconvolution.Solve(v, new double[25], new double[25]));
        Assert.Equal("v", e.ParamName);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void ZeroDataConvergeImmediately()
    {
        var v = Problems.Random2D(new Random(12), 1, 1, 5, 3);
        var x = new double[v.ColumnCount];
        var r = Deconvolution.Solve(v, new double[v.RowCount], x, new DeconvolutionOptions { Lambda = 0 });
        Assert.Equal(SolverStatus.Converged, r.Solver.Status);
        Assert.Equal(0, r.Solver.Iterations);
        Assert.All(x, e => Assert.Equal(0, e));
    }

    [Fact]
    public void BadArgumentsNameTheParameter()
    {
        var v = Problems.Random2D(new Random(13), 1, 1, 5, 3);
        var y = new double[v.RowCount];
        var x = new double[v.ColumnCount];
        var a = LinearOperator.From(v);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Cgls.Solve(a, y, x, -1)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Cgls.Solve(a, y, x, double.NaN)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => Deconvolution.Solve(v, y, x, new() { Lambda = double.PositiveInfinity })).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => Cgls.Solve(a, y, x, 0, new SolverOptions { Tolerance = 0 })).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => Deconvolution.Solve(v, y, x, new() { Solver = new() { MaxIterations = 0 } })).ParamName);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => Deconvolution.Solve(v, new double[v.RowCount + 1], x)).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => Deconvolution.Solve(v, y, new double[1])).ParamName);
        Assert.Equal("b", Assert.Throws<ArgumentException>(() => Cgls.Solve(a, new double[2], x, 0)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => Deconvolution.Solve(v, y, x, new() { RelativeLambda = -1 })).ParamName);
        var message = Assert.Throws<ArgumentOutOfRangeException>(() => Cgls.Solve(a, y, x, -2)).Message;
        Assert.Contains("-2", message);
    }

    [Fact]
    public void BatchSolvesEverySampleWithOneLambda()
    {
        var v = Problems.WellConditioned(new Random(14), 1, 5, PaddingMode.Circular);
        var truth = Problems.Gaussian(new Random(15), 2 * v.ColumnCount);
        var y = new double[2 * v.RowCount];
        v.Convolve(truth, y);
        var x = new double[truth.Length];
        var results = Deconvolution.SolveBatch(v, y, x, new DeconvolutionOptions { RelativeLambda = 1e-12, Solver = Tight });
        Assert.Equal(2, results.Length);
        Assert.Equal(results[0].Lambda, results[1].Lambda);
        Assert.All(results, r => Assert.True(r.Converged));
        Assert.True(Problems.Distance(x, truth) <= 1e-8 * Problems.Norm(truth));
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => Deconvolution.SolveBatch(v, y, new double[3])).ParamName);
    }
}
