using ConvAsMatrix.Benchmarks;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Cli;

/// <summary><c>convmat deconvolve --solver</c> and <c>convmat compile --format/--rows</c>: agreement with the library, bad input.</summary>
public class SolverChoiceCommandTests
{
    private static (string Y, string W) BlurProblem(CliHarness cli, int batch)
    {
        var g = ConvGeometry.ForConv([batch, 1, 12, 12], [1, 1, 5, 5], new ConvOptions { Padding = 2 });
        var v = Deblurring.Matrix(12);
        var x = Problems.Gaussian(new Random(3), batch * v.ColumnCount);
        var y = new double[batch * v.RowCount];
        v.Convolve(x, y);
        Npy.WriteFile(cli.PathOf("y.npy"), new Tensor<double>(y, g.OutputShape));
        Npy.WriteFile(cli.PathOf("w.npy"), new Tensor<double>(Deblurring.Weight(), 1, 1, 5, 5));
        return (cli.PathOf("y.npy"), cli.PathOf("w.npy"));
    }

    [Fact]
    public void EverySolverGivesTheRegularisedSolution()
    {
        using var cli = new CliHarness();
        var (y, w) = BlurProblem(cli, batch: 3);
        const double lambda = 1e-3;
        var results = new Dictionary<string, double[]>();
        foreach (var solver in new[] { "cgls", "lsqr", "direct" })
        {
            var (code, stdout, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--padding", "2", "--lambda", "1e-3", "--tol", "1e-13", "--max-iter", "5000", "--solver", solver, "--out", cli.PathOf($"{solver}.npy"));
            Assert.True(code == 0, stderr);
            Assert.Equal("", stderr);
            Assert.Contains(solver == "direct" ? "3 samples solved by CholmodCholesky" : "3 of 3 samples converged", stdout);
            results[solver] = Npy.ReadFile(cli.PathOf($"{solver}.npy")).ToDouble().Data.ToArray();
        }
        var v = Deblurring.Matrix(12);
        var yData = Npy.ReadFile(y).ToDouble().Data.ToArray();
        for (int s = 0; s < 3; s++)
        {
            var direct = results["direct"].AsSpan(s * v.ColumnCount, v.ColumnCount);
            Assert.True(DirectSolverTests.NormalEquationResidual(v, lambda, direct, yData.AsSpan(s * v.RowCount, v.RowCount)) <= 1e-12);
            foreach (var solver in new[] { "cgls", "lsqr" })
            {
                var other = results[solver].AsSpan(s * v.ColumnCount, v.ColumnCount);
                Assert.True(Problems.Distance(other, direct) <= 1e-8 * Problems.Norm(direct), $"{solver}, sample {s}");
            }
        }
    }

    [Fact]
    public void DirectWithoutLambdaOnASingularSystemIsBadInputAndWritesNothing()
    {
        using var cli = new CliHarness();
        var x = new Tensor<double>(Problems.Gaussian(new Random(1), 2 * 8 * 8), 1, 2, 8, 8);
        var w = new Tensor<double>(Problems.Gaussian(new Random(2), 2 * 2 * 9), 2, 2, 3, 3);
        Npy.WriteFile(cli.PathOf("y.npy"), Functional.Conv(x, w, options: new ConvOptions { Stride = [2], Padding = 1 }));
        Npy.WriteFile(cli.PathOf("w.npy"), w);
        var (code, stdout, stderr) = cli.Run("deconvolve", "--input", cli.PathOf("y.npy"), "--weight", cli.PathOf("w.npy"), "--stride", "2", "--padding", "1",
            "--input-shape", "2,8,8", "--lambda", "0", "--solver", "direct", "--out", cli.PathOf("x.npy"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains("singular", stderr);
        Assert.Contains("lambda > 0", stderr);
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Theory]
    [InlineData("--solver", "qr")]
    [InlineData("--lambda", "-1")]
    public void BadSolverOptionsAreOneLine(string option, string value)
    {
        using var cli = new CliHarness();
        var (y, w) = BlurProblem(cli, batch: 1);
        var (code, _, stderr) = cli.Run("deconvolve", "--input", y, "--weight", w, "--padding", "2", option, value, "--out", cli.PathOf("x.npy"));
        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(option, stderr);
        Assert.False(File.Exists(cli.PathOf("x.npy")));
    }

    [Theory]
    [InlineData("mtx")]
    [InlineData("petsc")]
    public void CompileWritesARowBlockInEitherFormat(string format)
    {
        using var cli = new CliHarness();
        Npy.WriteFile(cli.PathOf("w.npy"), new Tensor<double>(Deblurring.Weight(2), 2, 2, 5, 5));
        var v = Deblurring.Matrix(6, channels: 2);
        var path = cli.PathOf($"V.{format}");
        var (code, stdout, stderr) = cli.Run("compile", "--weight", cli.PathOf("w.npy"), "--input-shape", "2,6,6", "--padding", "2", "--format", format, "--rows", "10:50", "--out", path);
        Assert.True(code == 0, stderr);
        Assert.Contains("rows 10:50 of V 40 x 72", stdout);
        var block = format == "petsc" ? PetscBinary.ReadMatrixFile(path) : MatrixMarket.ReadFile(path);
        Assert.Equal(40, block.RowCount);
        Assert.Equal(v.ColumnCount, block.ColumnCount);
        for (int r = 0; r < 40; r++)
            Assert.Equal(v.EnumerateNonZeros().Where(e => e.Row == r + 10).Select(e => (e.Column, e.Value)),
                block.EnumerateNonZeros().Where(e => e.Row == r).Select(e => (e.Column, e.Value)));

        (code, _, stderr) = cli.Run("compile", "--weight", cli.PathOf("w.npy"), "--input-shape", "2,6,6", "--padding", "2", "--format", format, "--out", path);
        Assert.True(code == 0, stderr);
        var whole = format == "petsc" ? PetscBinary.ReadMatrixFile(path) : MatrixMarket.ReadFile(path);
        Assert.Equal(v.Values, whole.Values);
    }

    [Theory]
    [InlineData("--rows", "5:5")]
    [InlineData("--rows", "0:73")]      // V has 72 rows
    [InlineData("--rows", "a:b")]
    [InlineData("--format", "hdf5")]
    [InlineData("--out", "missing-dir/V.petsc")]
    public void BadCompileOptionsWriteNothing(string option, string value)
    {
        using var cli = new CliHarness();
        Npy.WriteFile(cli.PathOf("w.npy"), new Tensor<double>(Deblurring.Weight(2), 2, 2, 5, 5));
        string[] args = ["compile", "--weight", cli.PathOf("w.npy"), "--input-shape", "2,6,6", "--padding", "2", "--format", "petsc"];
        args = option == "--out"
            ? [.. args, "--out", cli.PathOf(value)]
            : option == "--format" ? ["compile", "--weight", cli.PathOf("w.npy"), "--input-shape", "2,6,6", option, value, "--out", cli.PathOf("V.petsc")]
            : [.. args, option, value, "--out", cli.PathOf("V.petsc")];
        var (code, stdout, stderr) = cli.Run(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
        Assert.Contains(option, stderr);
        Assert.Equal(["w.npy"], cli.Files());
    }
}
