using ConvAsMatrix.Benchmarks;
using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Tests.Exchange;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// <see cref="Lsqr"/> against SciPy's <c>scipy.sparse.linalg.lsqr</c> on the same V (Matrix Market) and y (.npy):
/// the solution to 1e-8 relative, the stop code, the iteration count (side by side in the test output) and the
/// estimates. Needs Debian's python3-scipy (.ci/run installs it); without it these tests FAIL, they do not skip.
/// </summary>
public class ScipyLsqrTests(ITestOutputHelper output) : IDisposable
{
    private const string Script =
        "import sys, json, numpy as np, scipy.io\n" +
        "from scipy.sparse.linalg import lsqr\n" +
        "A = scipy.io.mmread(sys.argv[1]).tocsr()\n" +
        "b = np.load(sys.argv[2])\n" +
        "damp, atol, btol, conlim = map(float, sys.argv[3:7])\n" +
        "x, istop, itn, r1, r2, anorm, acond, arnorm, xnorm, var = lsqr(A, b, damp=damp, atol=atol, btol=btol, conlim=conlim, iter_lim=int(sys.argv[7]))\n" +
        "print(json.dumps({'x': x.tolist(), 'istop': int(istop), 'itn': int(itn), 'r1norm': float(r1), 'r2norm': float(r2), 'anorm': float(anorm), 'acond': float(acond), 'arnorm': float(arnorm), 'xnorm': float(xnorm)}))\n";

    private readonly string directory = Directory.CreateTempSubdirectory("convmat-lsqr-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<string, double, double, double, int> Cases => new()
    {
        // name, λ, atol = btol, conlim, iteration limit
        { "blur16", 1e-4, 1e-12, 1e8, 10000 },            // the regularised deblurring problem
        { "blur16", 0, 1e-12, 1e14, 10000 },              // undamped: ill-conditioned, converges on the normal equations
        { "overdetermined", 0, 1e-12, 1e8, 10000 },       // 3 outputs of 2 inputs, full column rank
        { "strided", 0.1, 1e-12, 1e8, 10000 },            // fewer rows than columns, unique thanks to λ
        { "strided", 0, 1e-12, 1e8, 10000 },              // fewer rows than columns: the minimum-norm solution
        { "blur16", 0, 1e-12, 30, 10000 },                // stops on conlim (istop 3)
        { "blur16", 1e-4, 1e-12, 1e8, 7 },                // stops on the iteration limit (istop 7)
        { "blur16", 1e-4, 1e-6, 1e8, 10000 },             // default tolerances
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LsqrAgreesWithScipy(string problem, double lambda, double tol, double conlim, int limit)
    {
        var random = new Random(problem.Length);
        CompressedRowStorage<double> v = problem switch
        {
            "blur16" => Deblurring.Matrix(16),
            "overdetermined" => OverDetermined(random),
            _ => Problems.Random2D(random, 2, 2, 8, 3, new ConvOptions { Stride = [2], Padding = 1 }),
        };
        var truth = Problems.Gaussian(random, v.ColumnCount);
        var y = new double[v.RowCount];
        v.Multiply(truth, y);
        for (int i = 0; i < y.Length; i++) y[i] += 1e-3 * (random.NextDouble() - 0.5);

        var x = new double[v.ColumnCount];
        var ours = Lsqr.Solve(LinearOperator.From(v), y, x, lambda, new SolverOptions { Tolerance = tol, MaxIterations = limit },
            new LsqrOptions { ConditionLimit = conlim });
        var scipy = RunScipy(v, y, Math.Sqrt(lambda), tol, conlim, limit);

        var sx = scipy.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        int itn = scipy.GetProperty("itn").GetInt32(), istop = scipy.GetProperty("istop").GetInt32();
        var e = ours.Lsqr!;
        double difference = Problems.Distance(x, sx) / Problems.Norm(sx);
        output.WriteLine($"{problem} lambda={lambda} tol={tol} conlim={conlim} limit={limit}: iterations library {ours.Iterations} / scipy {itn}; " +
            $"istop {e.StopCode} / {istop}; relative difference of x {difference:E2}; anorm {e.NormA:G6} / {scipy.GetProperty("anorm").GetDouble():G6}; " +
            $"acond {e.ConditionA:G6} / {scipy.GetProperty("acond").GetDouble():G6}; arnorm {e.NormalResidualNorm:E3} / {scipy.GetProperty("arnorm").GetDouble():E3}");

        // At tight tolerances both are at the unique minimiser (or, stopped early, at the same iterate); at a loose one
        // they stop a few iterations apart, each within about cond·tol of it.
        double allowed = tol <= 1e-10 || ours.Iterations == itn ? 1e-8 : scipy.GetProperty("acond").GetDouble() * tol;
        Assert.True(difference <= allowed, $"x differs from scipy's by {difference:E3} relative, more than {allowed:E1} ({ours}; scipy itn {itn})");
        Assert.Equal(istop, e.StopCode);
        // Without reorthogonalisation rounding decides the last iterations of an ill-conditioned run: counts agree to a few per cent.
        Assert.True(Math.Abs(ours.Iterations - itn) <= Math.Max(1, 0.05 * itn), $"iterations: library {ours.Iterations}, scipy {itn}");
        if (ours.Iterations == itn)
        {
            // r1norm is left out: with damping it is √(r2² − λ‖x‖²), a difference of near-equal numbers at convergence.
            foreach (var (name, value) in new[] { ("anorm", e.NormA), ("acond", e.ConditionA), ("r2norm", e.DampedResidualNorm), ("xnorm", e.SolutionNorm) })
                Assert.True(Math.Abs(value - scipy.GetProperty(name).GetDouble()) <= 1e-4 * Math.Abs(value), $"{name}: library {value:R}, scipy {scipy.GetProperty(name).GetDouble():R}");
        }
        var expectedStatus = istop switch { 3 or 6 => SolverStatus.IllConditioned, 7 => SolverStatus.IterationLimit, _ => SolverStatus.Converged };
        Assert.Equal(expectedStatus, ours.Status);
    }

    private static ConvolutionMatrix<double> OverDetermined(Random random)
    {
        var g = ConvGeometry.ForConv([1, 2, 6, 6], [3, 2, 3, 3], new ConvOptions { Padding = 1 });
        var w = Problems.Gaussian(random, g.WeightLength);
        for (int c = 0; c < 2; c++) w[(c * 2 + c) * 9 + 4] += 3;
        return ConvolutionMatrix<double>.Compile(w, g);
    }

    private JsonElement RunScipy(CompressedRowStorage<double> v, double[] y, double damp, double tol, double conlim, int limit)
    {
        var matrix = Path.Combine(directory, "V.mtx");
        var vector = Path.Combine(directory, "y.npy");
        MatrixMarket.WriteFile(matrix, v);
        Npy.WriteFile(vector, new Tensor<double>(y, y.Length));
        string F(double d) => d.ToString("R", CultureInfo.InvariantCulture);
        var stdout = DebianTools.RunPython(Script, "python3-scipy", [matrix, vector, F(damp), F(tol), F(tol), F(conlim), limit.ToString(CultureInfo.InvariantCulture)]);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
