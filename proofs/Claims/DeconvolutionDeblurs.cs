using System.Globalization;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// Deblurring: with V in hand, a blurred, noisy image is sharpened by solving the regularised least-squares
/// problem min ‖V·x − y‖² + λ‖x‖² with CGLS on V and Vᵀ — the transposed convolution at work in an inverse problem.
/// </summary>
public sealed class DeconvolutionDeblurs : Proof
{
    private const int Size = 32;
    private const double NoiseLevel = 0.002;
    private const double BlurSigma = 1.0;

    /// <summary>The smallest PSNR gain (dB) the default deconvolution must achieve for the proof to pass.</summary>
    public const double RequiredGain = 3;

    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [Size, Size], Kernel = [5, 5], Padding = "2", Mode = PaddingMode.Replicate };

    public override string Claim => "Deconvolution through V and Vᵀ (regularised least squares, CGLS) sharpens a blurred, noisy 32×32 image: PSNR rises by more than 3 dB.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "转置卷积则等价于 Y′ = Vᵀ X′",
            "The transposed convolution is the product with Vᵀ — and Vᵀ is exactly what an inverse problem needs:\n" +
            "the least-squares solution of V·x ≈ y solves the normal equations (VᵀV + λI)·x = Vᵀy.");
        page.Say("\nA 32×32 test image (background 0.1, a bright rectangle, a disc, a thin bar) is blurred with a 5×5\n" +
                 $"Gaussian kernel (σ = {BlurSigma} pixel, replicate padding 2, so the output keeps the size) and Gaussian noise\n" +
                 $"of standard deviation {NoiseLevel} is added. CGLS then minimises ‖V·x − y‖² + λ‖x‖² using only products\n" +
                 "with V (the convolution) and Vᵀ (the transposed convolution). Quality is PSNR = 10·log10(1 / mean squared\n" +
                 "error) against the truth.");

        var truth = TestImage();
        var kernel = GaussianKernel(5, BlurSigma);
        var g = ConvGeometry.ForConv([1, 1, Size, Size], [1, 1, 5, 5], new ConvOptions { Padding = 2, PaddingMode = PaddingMode.Replicate });
        var v = ConvolutionMatrix<double>.Compile(kernel, g);
        var blurred = new double[v.RowCount];
        v.Multiply(truth, blurred);
        var noise = new Random(7);
        var y = blurred.Select(b => b + NoiseLevel * Gaussian(noise)).ToArray();

        page.Heading("The blur as a matrix");
        var norm = SpectralNorm.Estimate(v);
        var sigmas = SingularValues.Dense(v);
        page.Say($"V is {v.RowCount}×{v.ColumnCount} with {v.NonZerosCount} stored entries (of {(long)v.RowCount * v.ColumnCount}).\n" +
                 $"‖V‖₂ = {norm.Value:F6} by power iteration ({norm.Iterations} iterations), {sigmas[0]:F6} by a dense SVD;\n" +
                 $"the smallest singular value is {sigmas[^1]:E2}, so κ(V) = {sigmas[0] / sigmas[^1]:E2}: inverting V outright\n" +
                 "multiplies the noise in the weakest directions by up to 1/σ_min. λ damps exactly those directions.");
        page.Check("power iteration and the SVD agree on ‖V‖₂ to 1e-9", Math.Abs(norm.Value - sigmas[0]) <= 1e-9 * sigmas[0]);
        var direct = new double[v.RowCount];
        DirectCorrelation.Apply<double>(g, truth, kernel, direct);
        page.Check("V·x equals the direct correlation loops on the image (to 1e-15)", MaxDifference(direct, blurred) <= 1e-15);

        page.Heading("Deblurring");
        double before = Psnr(y, truth);
        var defaultRun = Restore(v, y, null, out var restored);
        double after = Psnr(restored, truth);
        var table = new List<IReadOnlyList<string>> { new[] { "(the blurred image)", "", "", F(before, "F2") } };
        var sweep = new List<ImageFigure.Image>();
        foreach (double relative in new[] { 1e-6, 1e-4, 1e-2 })
        {
            var run = Restore(v, y, relative * sigmas[0] * sigmas[0], out var x);
            double psnr = Psnr(x, truth);
            table.Add([Power(relative), F(run.Solver.Iterations, "D"), F(run.Solver.Residual, "F5"), F(psnr, "F2")]);
            sweep.Add(new ImageFigure.Image($"λ = {Power(relative)}·‖V‖₂²", $"PSNR {F(psnr, "F2")} dB", x, Size, Size));
        }
        table.Add([Power(DeconvolutionOptions.DefaultRelativeLambda) + " (default)", F(defaultRun.Solver.Iterations, "D"), F(defaultRun.Solver.Residual, "F5"), F(after, "F2")]);
        page.Table(["λ (relative to ‖V‖₂²)", "iterations", "‖Vx − y‖", "PSNR (dB)"], table);
        page.Say("\nToo little λ lets the noise through the weak singular directions; too much blurs again. The default\n" +
                 "sits between them.");
        page.Figure(new ImageFigure(
            $"The 32×32 test image, the same image blurred by V (5×5 Gaussian, σ = {BlurSigma}) with noise of standard deviation {NoiseLevel}, " +
            "and the image deconvolved by CGLS on V and Vᵀ with the default λ. Grey levels as computed, 0 black to 1 white.",
            [
                new("sharp (the truth)", "", truth, Size, Size),
                new("blurred + noise", $"PSNR {F(before, "F2")} dB", y, Size, Size),
                new("deconvolved", $"PSNR {F(after, "F2")} dB", restored, Size, Size),
            ]));
        page.Figure(new ImageFigure("The regularisation λ trades noise against blur: the deconvolved image for the three λ of the table.", sweep));

        page.Heading("Checks against independent paths");
        page.Check($"CGLS converged ({defaultRun.Solver})", defaultRun.Converged);
        var refit = new double[v.RowCount];
        DirectCorrelation.Apply<double>(g, restored, kernel, refit);
        double misfit = Math.Sqrt(refit.Zip(y, (a, b) => (a - b) * (a - b)).Sum());
        page.Check($"the reported residual ‖Vx − y‖ = {defaultRun.Solver.Residual:F6} is the direct loops' {misfit:F6} (to 1e-9)", Math.Abs(misfit - defaultRun.Solver.Residual) <= 1e-9);
        // Normal equations through the direct scatter (not V): Vᵀ(y − Vx) − λx ≈ 0.
        var r = y.Zip(refit, (a, b) => a - b).ToArray();
        var vtr = new double[v.ColumnCount];
        DirectScatter.Apply<double>(g, r, kernel, vtr);
        var vty = new double[v.ColumnCount];
        DirectScatter.Apply<double>(g, y, kernel, vty);
        double normal = vtr.Select((s, i) => Math.Abs(s - defaultRun.Lambda * restored[i])).Max() / vty.Max(Math.Abs);
        page.Check($"x solves (VᵀV + λI)·x = Vᵀy by the direct scatter loops: relative residual {normal:E2} ≤ 1e-5", normal <= 1e-5);
        double gain = after - before;
        page.Say($"\nPSNR before {before:F2} dB, after {after:F2} dB: a gain of {gain:F2} dB.");
        page.Check($"the gain {gain:F2} dB exceeds {RequiredGain} dB", gain > RequiredGain);
    }

    private static DeconvolutionResult Restore(ConvolutionMatrix<double> v, double[] y, double? lambda, out double[] x)
    {
        x = new double[v.ColumnCount];
        return Deconvolution.Solve(v, y, x, new DeconvolutionOptions { Lambda = lambda, Solver = new SolverOptions { MaxIterations = 5000 } });
    }

    /// <summary>Background 0.1, a rectangle at 0.9, a disc at 0.6, a one-pixel diagonal bar at 1.</summary>
    private static double[] TestImage()
    {
        var image = new double[Size * Size];
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++)
            {
                double value = 0.1;
                if (i is >= 4 and < 14 && j is >= 5 and < 20) value = 0.9;
                if ((i - 22) * (i - 22) + (j - 10) * (j - 10) <= 25) value = 0.6;
                if (i == j - 2 && i is >= 14 and < 30) value = 1.0;
                image[i * Size + j] = value;
            }
        return image;
    }

    /// <summary>A normalised k×k Gaussian, row-major.</summary>
    private static double[] GaussianKernel(int k, double sigma)
    {
        var w = new double[k * k];
        int c = k / 2;
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                w[i * k + j] = Math.Exp(-((i - c) * (i - c) + (j - c) * (j - c)) / (2 * sigma * sigma));
        double sum = w.Sum();
        return w.Select(e => e / sum).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>PSNR in dB for images with peak value 1.</summary>
    public static double Psnr(IReadOnlyList<double> image, IReadOnlyList<double> truth) =>
        10 * Math.Log10(1 / Enumerable.Range(0, truth.Count).Average(i => (image[i] - truth[i]) * (image[i] - truth[i])));

    private static double MaxDifference(double[] a, double[] b) => a.Zip(b, (p, q) => Math.Abs(p - q)).Max();

    /// <summary>A power of ten as 1e-4; any other value in general format.</summary>
    private static string Power(double value)
    {
        double exponent = Math.Round(Math.Log10(value));
        return Math.Abs(value - Math.Pow(10, exponent)) <= 1e-12 * value ? $"1e{exponent:0}" : F(value, "G3");
    }

    private static string F(double value, string format) => value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);

    private static string F(int value, string format) => value.ToString(format, System.Globalization.CultureInfo.InvariantCulture);
}
