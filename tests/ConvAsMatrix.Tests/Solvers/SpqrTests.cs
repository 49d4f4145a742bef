using ConvAsMatrix.Benchmarks;
using ConvAsMatrix.SuiteSparse;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// SPQR's least squares (Debian's libsuitesparse-dev, which .ci/run installs; without it these tests FAIL): the same x
/// as CXSparse's QR, the normal equations VᵀV·x = Vᵀy to 1e-12 relative, rank-deficient and wide V refused, disposal.
/// </summary>
public class SpqrTests
{
    public static TheoryData<string> TallProblems => new() { "k3-pad2", "multichannel-pad1", "deblur12-pad4", "strided-pad3" };

    /// <summary>Convolutions whose padding makes V taller than wide (more outputs than inputs), of full column rank.</summary>
    private static ConvolutionMatrix<double> Tall(string name) => name switch
    {
        "k3-pad2" => Problems.Random2D(new Random(11), 1, 1, 8, 3, new ConvOptions { Padding = 2 }),
        "multichannel-pad1" => Problems.Random2D(new Random(12), 2, 3, 6, 3, new ConvOptions { Padding = 1 }),
        "deblur12-pad4" => ConvolutionMatrix<double>.Compile(Deblurring.Weight(), ConvGeometry.ForConv([1, 1, 12, 12], [1, 1, 5, 5], new ConvOptions { Padding = 4 })),
        _ => Problems.Random2D(new Random(13), 1, 4, 7, 3, new ConvOptions { Stride = [2], Padding = 3 }),
    };

    [Theory]
    [MemberData(nameof(TallProblems))]
    public void MatchesCxSparseQrAndSatisfiesTheNormalEquations(string problem)
    {
        var v = Tall(problem);
        Assert.True(v.RowCount > v.ColumnCount, $"{problem} is {v.RowCount} x {v.ColumnCount}");
        const int batch = 3;
        var y = Problems.Gaussian(new Random(problem.Length), batch * v.RowCount);
        var x = new double[batch * v.ColumnCount];
        var reference = new double[batch * v.ColumnCount];
        using (var spqr = SpqrQR.Create(v))
        {
            Assert.Equal(0, spqr.Lambda);
            spqr.SolveBatch(y, x);
            var single = new double[v.ColumnCount];
            spqr.Solve(y.AsSpan(2 * v.RowCount, v.RowCount), single);
            Assert.True(Problems.Distance(single, x.AsSpan(2 * v.ColumnCount, v.ColumnCount)) <= 1e-12 * Problems.Norm(single), "a batch's last sample differs from its single solve");
        }
        using (var cs = CxSparseQR.Create(v)) cs.SolveBatch(y, reference);
        for (int k = 0; k < batch; k++)
        {
            var xs = x.AsSpan(k * v.ColumnCount, v.ColumnCount);
            var rs = reference.AsSpan(k * v.ColumnCount, v.ColumnCount);
            double apart = Problems.Distance(xs, rs) / Problems.Norm(rs);
            Assert.True(apart <= 1e-10, $"{problem}, sample {k}: SPQR differs from CXSparse's QR by {apart:E2}");
            double residual = DirectSolverTests.NormalEquationResidual(v, 0, xs, y.AsSpan(k * v.RowCount, v.RowCount));
            Assert.True(residual <= 1e-12, $"{problem}, sample {k}: normal-equation residual {residual:E2}");
        }
    }

    [Fact]
    public void ARankDeficientVIsRefusedNamingLambda()
    {
        // Input channel 1 has an all-zero weight towards every output: its 25 columns of V are zero.
        var g = ConvGeometry.ForConv([1, 2, 5, 5], [3, 2, 3, 3], new ConvOptions { Padding = 2 });
        var w = Problems.Gaussian(new Random(3), g.WeightLength);
        for (int o = 0; o < 3; o++) Array.Clear(w, (o * 2 + 1) * 9, 9);
        var v = ConvolutionMatrix<double>.Compile(w, g);
        Assert.True(v.RowCount > v.ColumnCount);
        var e = Assert.Throws<ArgumentException>(() => SpqrQR.Create(v));
        Assert.Equal("lambda", e.ParamName);
        Assert.Contains("singular", e.Message);
        Assert.Contains("rank is 25 of 50", e.Message);
    }

    [Fact]
    public void AWideVIsRefused()
    {
        var v = DirectSolverTests.Problem("strided");   // 32 rows, 128 columns
        Assert.Equal("v", Assert.Throws<ArgumentException>(() => SpqrQR.Create(v)).ParamName);
        Assert.Throws<ArgumentNullException>(() => SpqrQR.Create(null!));
    }

    [Fact]
    public void ADisposedFactorisationRefusesToSolve()
    {
        var v = Tall("k3-pad2");
        var solver = SpqrQR.Create(v);
        Assert.Equal("y", Assert.Throws<ArgumentException>(() => solver.Solve(new double[3], new double[v.ColumnCount])).ParamName);
        solver.Dispose();
        solver.Dispose();
        Assert.True(solver.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => solver.Solve(new double[v.RowCount], new double[v.ColumnCount]));
        Assert.Throws<ObjectDisposedException>(() => solver.SolveBatch(new double[v.RowCount], new double[v.ColumnCount]));
    }
}
