using ConvAsMatrix.Interop;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Verification;
using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Tests.Verification;

/// <summary>The examples of docs/solvers.md, verbatim, so the README section cannot drift from the API.</summary>
public class SolversReadmeExampleTests
{
    [Fact]
    public void DeconvolutionSpectrumAndMathNetExample()
    {
        // --- solvers.md example 1 begins ---
        var g = ConvGeometry.ForConv([1, 1, 16, 16], [1, 1, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Circular });
        double[] blur = [1 / 36.0, 4 / 36.0, 1 / 36.0, 4 / 36.0, 16 / 36.0, 4 / 36.0, 1 / 36.0, 4 / 36.0, 1 / 36.0];
        var V = ConvolutionMatrix<double>.Compile(blur, g);

        var x = new double[V.ColumnCount];
        x[5 * 16 + 5] = 1;                                          // a point source
        var y = new double[V.RowCount];
        V.Multiply(x, y);                                           // blurred

        var restored = new double[V.ColumnCount];
        DeconvolutionResult r = Deconvolution.Solve(V, y, restored, new DeconvolutionOptions
        {
            Lambda = 1e-10,                                         // noiseless data: almost no regularisation
            Solver = new SolverOptions { Tolerance = 1e-10, MaxIterations = 2000 },
        });
        // r.Converged == true; r.Solver.Iterations, r.Solver.Residual, r.Solver.ResidualHistory

        NormEstimate norm = SpectralNorm.Estimate(V);               // ‖V‖₂ = 1 (the blur's DC gain), Converged
        double[] sigma = SingularValues.Circular(blur, g);          // all 256 singular values, from the kernel's DFT
        double[] check = SingularValues.Dense(V);                   // the same by a dense SVD

        Matrix<double> M = V.ToMathNet();                           // MathNet sparse matrix (CSR arrays copied)
        var back = M.ToCompressedRowStorage();                      // and back
        // --- solvers.md example 1 ends ---

        Assert.True(r.Converged, r.ToString());
        Assert.True(Tests.Solvers.Problems.Distance(restored, x) < 1e-8, $"{Tests.Solvers.Problems.Distance(restored, x)}");
        Assert.Equal(SolverStatus.Converged, norm.Status);
        Assert.Equal(1, norm.Value, 1e-9);
        Assert.Equal(256, sigma.Length);
        for (int i = 0; i < sigma.Length; i++) Assert.Equal(check[i], sigma[i], 1e-12);
        Assert.Equal(V.Values, back.Values);
    }

    // --- solvers.md example 2 begins ---
    // A hand-written 1-D convolution (PyTorch semantics) and a transposed convolution that forgot to flip the kernel.
    static readonly double[] w = [1, 2, 3];
    static void Correlate(ReadOnlySpan<double> input, double[] kernel, int before, Span<double> output)
    {
        for (int o = 0; o < output.Length; o++)
        {
            double sum = 0;
            for (int t = 0; t < kernel.Length; t++)
                if (o + t - before is int i && i >= 0 && i < input.Length) sum += kernel[t] * input[i];
            output[o] = sum;
        }
    }
    static void MyConv(ReadOnlySpan<double> x, Span<double> y) => Correlate(x, w, 1, y);
    static void MyConvTranspose(ReadOnlySpan<double> y, Span<double> x) => Correlate(y, w, 1, x);   // BUG: w not flipped
    // --- solvers.md example 2 ends ---

    [Fact]
    public void AdjointTestExample()
    {
        // --- solvers.md example 3 begins ---
        var g = ConvGeometry.ForConv([1, 1, 9], [1, 1, 3], new ConvOptions { Padding = 1 });
        AdjointTestResult dot = AdjointTest.Run(g.OutputLength, g.InputLength, MyConv, MyConvTranspose, tolerance: 1e-12, seed: 0);
        // dot.Passed == false: "FAILED: <Ax,y> = -5.95..., <x,By> = -11.02..., relative difference 0.0949 ..."
        OperatorComparison vsV = AdjointTest.CompareWith(w, g, MyConv, MyConvTranspose, tolerance: 1e-12);
        // vsV.ForwardPassed == true, vsV.AdjointPassed == false: the transposed convolution is the culprit
        // --- solvers.md example 3 ends ---

        Assert.False(dot.Passed);
        Assert.Equal(0.0949, dot.RelativeDifference, 4);
        Assert.StartsWith("FAILED: <Ax,y> = -5.95", dot.ToString());
        Assert.True(vsV.ForwardPassed);
        Assert.False(vsV.AdjointPassed);
    }
}
