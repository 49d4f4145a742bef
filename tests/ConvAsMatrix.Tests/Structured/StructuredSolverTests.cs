using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Solvers;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Tests.Structured;

/// <summary>The solvers, the spectral norm and the adjoint test take the structured V through <see cref="LinearOperator.From(IConvolutionOperator{double})"/>, with the explicit V's results.</summary>
public class StructuredSolverTests
{
    private static (ConvGeometry G, double[] W, ConvolutionMatrix<double> Csr, StructuredConvolution<double> Structured) Layer(PaddingMode mode)
    {
        var g = ConvGeometry.ForConv([1, 2, 9, 7], [3, 2, 3, 3], new ConvOptions { Padding = 1, PaddingMode = mode });
        var w = Problems.Gaussian(new Random((int)mode + 5), g.WeightLength);
        for (int c = 0; c < 2; c++) w[(c * 2 + c) * 9 + 4] += 3; // keep V well conditioned
        return (g, w, ConvolutionMatrix<double>.Compile(w, g), StructuredConvolution<double>.Compile(w, g));
    }

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Reflect)]
    [InlineData(PaddingMode.Circular)]
    public void DeconvolutionGivesTheExplicitVsSolution(PaddingMode mode)
    {
        var (_, _, csr, structured) = Layer(mode);
        var truth = Problems.Gaussian(new Random(1), csr.ColumnCount);
        var y = new double[csr.RowCount];
        csr.Multiply(truth, y);
        var options = new DeconvolutionOptions { Lambda = 1e-10, Solver = new SolverOptions { Tolerance = 1e-12, MaxIterations = 2000 } };
        var viaCsr = new double[csr.ColumnCount];
        var viaStructured = new double[csr.ColumnCount];
        Deconvolution.Solve(csr, y, viaCsr, options);
        var r2 = Deconvolution.Solve(LinearOperator.From(structured), y, viaStructured, options);
        Assert.Equal(SolverStatus.Converged, r2.Solver.Status);
        Assert.True(Problems.Distance(viaStructured, truth) <= 1e-7 * Problems.Norm(truth), $"error {Problems.Distance(viaStructured, truth)}");
        Assert.True(Problems.Distance(viaStructured, viaCsr) <= 1e-10 * Problems.Norm(viaCsr));

        var batch = Deconvolution.SolveBatch(LinearOperator.From(structured), [.. y, .. y], new double[2 * csr.ColumnCount], options);
        Assert.Equal(2, batch.Length);
    }

    [Fact]
    public void SpectralNormAndAdjointTestTakeTheStructuredV()
    {
        var (g, w, csr, structured) = Layer(PaddingMode.Replicate);
        var a = LinearOperator.From(structured);
        Assert.Equal(SpectralNorm.Estimate(csr).Value, SpectralNorm.Estimate(a).Value, 1e-9);
        Assert.True(AdjointTest.Run(a).Passed);
        // CompareWith checks a pair against the structured V: the explicit V's own products pass.
        var comparison = AdjointTest.CompareWith(w, g, csr.Multiply, csr.TransposeMultiply);
        Assert.True(comparison.ForwardPassed && comparison.AdjointPassed, comparison.ToString());
        // The explicit V keeps working through the overload that settles CSR versus operator.
        Assert.Equal(csr.RowCount, LinearOperator.From(csr).RowCount);
    }
}
