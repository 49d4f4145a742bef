using ConvAsMatrix.Benchmarks;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.SuiteSparse;
using ConvAsMatrix.SuiteSparse.Native;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// The SuiteSparse factorisations (Debian's libsuitesparse-dev, which .ci/run installs; without it these tests FAIL):
/// the normal equations (VᵀV + λI)·x = Vᵀy to 1e-12 relative, checked with V's products (not the factors), agreement
/// with LSQR, batches equal to single solves, singular systems and bad λ refused, disposal.
/// </summary>
public class DirectSolverTests
{
    public static TheoryData<string, string, double> Cases => new()
    {
        { "cholmod", "blur16", 1e-4 },
        { "cholmod", "strided", 0.1 },
        { "cholmod", "multichannel", 1e-3 },
        { "cholmod", "overdetermined", 0 },
        { "cs-chol", "blur16", 1e-4 },
        { "cs-chol", "strided", 0.1 },
        { "cs-chol", "multichannel", 1e-3 },
        { "cs-qr", "overdetermined", 0 },
        { "spqr", "overdetermined", 0 },
        { "cs-lu", "square", 0 },
        { "umfpack", "square", 0 },
    };

    internal static CompressedRowStorage<double> Problem(string name) => name switch
    {
        "blur16" => Deblurring.Matrix(16),
        "strided" => Problems.Random2D(new Random(5), 2, 2, 8, 3, new ConvOptions { Stride = [2], Padding = 1 }),
        "multichannel" => Problems.Random2D(new Random(6), 3, 3, 10, 5, new ConvOptions { Padding = 2 }),
        "overdetermined" => Overdetermined(),
        _ => Problems.WellConditioned(new Random(7), 2, 9, PaddingMode.Reflect),
    };

    private static ConvolutionMatrix<double> Overdetermined()
    {
        var g = ConvGeometry.ForConv([1, 2, 7, 7], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Problems.Gaussian(new Random(8), g.WeightLength);
        for (int c = 0; c < 2; c++) w[(c * 2 + c) * 9 + 4] += 3;
        return ConvolutionMatrix<double>.Compile(w, g);
    }

    internal static DirectSolver Factor(string kind, CompressedRowStorage<double> v, double lambda) => kind switch
    {
        "cholmod" => CholmodCholesky.Create(v, lambda),
        "cs-chol" => CxSparseCholesky.Create(v, lambda),
        "cs-qr" => CxSparseQR.Create(v),
        "umfpack" => UmfpackLU.Create(v),
        "spqr" => SpqrQR.Create(v),
        _ => CxSparseLU.Create(v),
    };

    /// <summary>‖(VᵀV + λI)·x − Vᵀy‖ / ‖Vᵀy‖ by V's own products.</summary>
    internal static double NormalEquationResidual(CompressedRowStorage<double> v, double lambda, ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var vx = new double[v.RowCount];
        v.Multiply(x, vx);
        var lhs = new double[v.ColumnCount];
        v.TransposeMultiply(vx, lhs);
        var rhs = new double[v.ColumnCount];
        v.TransposeMultiply(y, rhs);
        for (int i = 0; i < lhs.Length; i++) lhs[i] += lambda * x[i];
        return Problems.Distance(lhs, rhs) / Problems.Norm(rhs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void SolutionsSatisfyTheNormalEquationsAndMatchLsqr(string kind, string problem, double lambda)
    {
        var v = Problem(problem);
        var random = new Random(kind.Length * 31 + problem.Length);
        const int batch = 3;
        var y = Problems.Gaussian(random, batch * v.RowCount);
        var x = new double[batch * v.ColumnCount];
        using (var solver = Factor(kind, v, lambda))
        {
            Assert.Equal(lambda, solver.Lambda);
            solver.SolveBatch(y, x);
            var single = new double[v.ColumnCount];
            solver.Solve(y.AsSpan(v.RowCount, v.RowCount), single);
            // Vᵀy of a batch is summed in another order (SIMD across samples) than of one sample: equal up to κ·ε.
            double apart = Problems.Distance(single, x.AsSpan(v.ColumnCount, v.ColumnCount)) / Problems.Norm(single);
            Assert.True(apart <= 1e-11, $"the batch's second sample differs from its single solve by {apart:E2}");
        }
        for (int k = 0; k < batch; k++)
        {
            var xs = x.AsSpan(k * v.ColumnCount, v.ColumnCount);
            var ys = y.AsSpan(k * v.RowCount, v.RowCount);
            double residual = NormalEquationResidual(v, lambda, xs, ys);
            Assert.True(residual <= 1e-12, $"{kind} on {problem}, sample {k}: normal-equation residual {residual:E2}");
            var reference = new double[v.ColumnCount];
            var report = Lsqr.Solve(LinearOperator.From(v), ys, reference, lambda, new SolverOptions { Tolerance = 1e-14, MaxIterations = 20000 });
            Assert.True(Problems.Distance(xs, reference) <= 1e-8 * Problems.Norm(reference), $"{kind} on {problem}: differs from LSQR ({report}) by {Problems.Distance(xs, reference) / Problems.Norm(reference):E2}");
        }
    }

    [Fact]
    public void LuSolvesTheSquareSystemExactly()
    {
        var v = Problem("square");
        var truth = Problems.Gaussian(new Random(1), v.ColumnCount);
        var y = new double[v.RowCount];
        v.Multiply(truth, y);
        foreach (var kind in new[] { "cs-lu", "umfpack" })
        {
            var x = new double[v.ColumnCount];
            using var lu = Factor(kind, v, 0);
            lu.Solve(y, x);
            Assert.True(Problems.Distance(x, truth) <= 1e-13 * Problems.Norm(truth), $"{kind}: {Problems.Distance(x, truth) / Problems.Norm(truth):E2}");
        }
    }

    [Fact]
    public void CreatePicksTheFactorisationForTheProblem()
    {
        using (var s = DirectSolver.Create(Problem("blur16"), 1e-3)) Assert.IsType<CholmodCholesky>(s);
        using (var s = DirectSolver.Create(Problem("square"), 0)) Assert.IsType<UmfpackLU>(s);
        using (var s = DirectSolver.Create(Problem("overdetermined"), 0)) Assert.IsType<SpqrQR>(s);
    }

    [Theory]
    [InlineData("cholmod")]
    [InlineData("cs-chol")]
    public void ASingularSystemWithoutLambdaIsRefused(string kind)
    {
        var v = Problem("strided");   // 32 rows, 128 columns: VᵀV has rank ≤ 32
        var e = Assert.Throws<ArgumentException>(() => Factor(kind, v, 0));
        Assert.Equal("lambda", e.ParamName);
        Assert.Contains("singular", e.Message);
        Assert.Contains("lambda > 0", e.Message);
    }

    [Fact]
    public void SingularLuAndRankDeficientQrAreRefused()
    {
        var zero = ConvolutionMatrix<double>.Compile(new double[2 * 2 * 9], ConvGeometry.ForConv([1, 2, 5, 5], [2, 2, 3, 3], new ConvOptions { Padding = 1 }));
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => CxSparseLU.Create(zero)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => UmfpackLU.Create(zero)).ParamName);
        // Two output channels that are copies of one input channel's blur, of two inputs: the second input is invisible.
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = new double[g.WeightLength];
        for (int o = 0; o < 3; o++) w[(o * 2) * 9 + 4] = o + 1;
        var deficient = ConvolutionMatrix<double>.Compile(w, g);
        Assert.Equal("lambda", Assert.Throws<ArgumentException>(() => CxSparseQR.Create(deficient)).ParamName);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => CxSparseQR.Create(Problem("strided"))).ParamName);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => CxSparseLU.Create(Problem("overdetermined"))).ParamName);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => UmfpackLU.Create(Problem("overdetermined"))).ParamName);
        // UMFPACK factors V's rows as they are: a row with its column indices out of order is refused by name.
        var unsorted = new CompressedRowStorage<double>(2, 2, [0, 2, 3], [1, 0, 1], [1.0, 2.0, 3.0]);
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => UmfpackLU.Create(unsorted)).ParamName);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void BadLambdaIsRefusedByName(double lambda)
    {
        var v = Problem("blur16");
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => CholmodCholesky.Create(v, lambda)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => CxSparseCholesky.Create(v, lambda)).ParamName);
        Assert.Equal("lambda", Assert.Throws<ArgumentOutOfRangeException>(() => DirectSolver.Create(v, lambda)).ParamName);
    }

    [Fact]
    public void AMissingLibraryNamesTheDebianPackage()
    {
        var e = Assert.Throws<NativeLibraryMissingException>(() => NativeLibraries.Require("libcholmod.so.999", "CHOLMOD"));
        Assert.Equal("libcholmod.so.999 (CHOLMOD) is not installed: apt-get install libsuitesparse-dev", e.Message);
        Assert.IsAssignableFrom<DllNotFoundException>(e);
    }

    [Fact]
    public void DisposedFactorisationsRefuseToSolveAndLengthsAreChecked()
    {
        var v = Problem("blur16");
        var solver = CholmodCholesky.Create(v, 1e-3);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => solver.Solve(new double[3], new double[v.ColumnCount])).ParamName);
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => solver.SolveBatch(new double[2 * v.RowCount], new double[v.ColumnCount])).ParamName);
        solver.Dispose();
        solver.Dispose();
        Assert.True(solver.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => solver.Solve(new double[v.RowCount], new double[v.ColumnCount]));
        var cs = CxSparseCholesky.Create(v, 1e-3);
        cs.Dispose();
        Assert.Throws<ObjectDisposedException>(() => cs.SolveBatch(new double[v.RowCount], new double[v.ColumnCount]));
        var square = Problem("square");
        var umfpack = UmfpackLU.Create(square);
        umfpack.Dispose();
        Assert.Throws<ObjectDisposedException>(() => umfpack.Solve(new double[square.RowCount], new double[square.ColumnCount]));
    }
}
