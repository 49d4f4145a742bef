namespace ConvAsMatrix.Solvers;

/// <summary>The boundary condition of a blur test problem: what the blur reads beyond the image's edge.</summary>
public enum BlurBoundary
{
    /// <summary>Zeros (a dark surround): zero padding.</summary>
    Zero,
    /// <summary>The image mirrored about its edge pixel: reflect padding.</summary>
    Reflect,
    /// <summary>The image repeated: circular padding, which makes V block-circulant (BCCB).</summary>
    Periodic,
}

/// <summary>
/// A deblurring test problem, as IR Tools' PRblur builds them: a true image, its blur y = V·x by a kernel with a boundary
/// condition ("same" size), and white Gaussian noise e scaled to a relative level, ‖e‖ = level·‖V·x‖. The library's
/// tests, benchmarks, docs figures and the proof page "choosing λ" share these.
/// </summary>
/// <param name="Geometry">The blur: (1, 1, n, n) → (1, 1, n, n), the kernel's size, 'same' padding, the boundary's padding mode.</param>
/// <param name="Kernel">The point-spread function (1, 1, k, k).</param>
/// <param name="Truth">x, n² values.</param>
/// <param name="Blurred">V·x without noise.</param>
/// <param name="Observed">y = V·x + e.</param>
/// <param name="NoiseLevel">‖e‖ / ‖V·x‖.</param>
/// <param name="NoiseSigma">The standard deviation per element the noise was drawn with, ‖e‖/√(n²) after scaling: what the discrepancy principle needs.</param>
public sealed record BlurProblem(ConvGeometry Geometry, Tensor<double> Kernel, double[] Truth, double[] Blurred, double[] Observed, double NoiseLevel, double NoiseSigma)
{
    /// <summary>Blurs <paramref name="truth"/> (n × n) with <paramref name="kernel"/> and adds noise of relative level <paramref name="noiseLevel"/>, reproducibly from <paramref name="seed"/>.</summary>
    /// <param name="truth">n² values, row-major.</param>
    /// <param name="kernel">(1, 1, k, k), k odd (<see cref="BlurKernels"/>).</param>
    /// <param name="boundary">What the blur reads beyond the edge.</param>
    /// <param name="noiseLevel">‖e‖/‖V·x‖, ≥ 0 (0.001, 0.01, 0.05 are the usual 0.1 %, 1 %, 5 %).</param>
    /// <param name="seed">The noise's random seed.</param>
    /// <exception cref="ArgumentException">truth is not a square image, the kernel not (1, 1, k, k) with k odd and at most n (reflect: below n), or the level negative or not finite.</exception>
    public static BlurProblem Create(double[] truth, Tensor<double> kernel, BlurBoundary boundary, double noiseLevel, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(kernel);
        int n = (int)Math.Round(Math.Sqrt(truth.Length));
        if (n * n != truth.Length || n == 0) throw new ArgumentException($"truth has {truth.Length} values, not a square image", nameof(truth));
        if (kernel.Rank != 4 || kernel.Shape[0] != 1 || kernel.Shape[1] != 1 || kernel.Shape[2] != kernel.Shape[3] || kernel.Shape[2] % 2 == 0)
            throw new ArgumentException($"kernel has shape {Check.List(kernel.Shape)}; a blur kernel is (1, 1, k, k) with k odd", nameof(kernel));
        if (!(noiseLevel >= 0) || !double.IsFinite(noiseLevel)) throw new ArgumentException($"noiseLevel is {noiseLevel}; it must be a finite number ≥ 0", nameof(noiseLevel));
        var mode = boundary switch
        {
            BlurBoundary.Zero => PaddingMode.Zeros,
            BlurBoundary.Reflect => PaddingMode.Reflect,
            BlurBoundary.Periodic => PaddingMode.Circular,
            _ => throw new ArgumentException($"boundary {(int)boundary} is not Zero, Reflect or Periodic", nameof(boundary)),
        };
        var geometry = ConvGeometry.ForConv([1, 1, n, n], kernel.ShapeArray, new ConvOptions { Padding = Padding.Same, PaddingMode = mode });
        var blurred = new double[n * n];
        StructuredConvolution<double>.Compile(kernel, geometry).Multiply(truth, blurred);
        var noise = new double[n * n];
        VectorMath.FillGaussian(new Random(seed), noise);
        double scale = noiseLevel * VectorMath.Norm(blurred) / Math.Max(VectorMath.Norm(noise), double.Epsilon);
        var observed = new double[n * n];
        for (int i = 0; i < observed.Length; i++) observed[i] = blurred[i] + scale * noise[i];
        return new BlurProblem(geometry, kernel, (double[])truth.Clone(), blurred, observed, noiseLevel, noiseLevel * VectorMath.Norm(blurred) / Math.Sqrt(n * n));
    }

    /// <summary>The image side n.</summary>
    public int Size => Geometry.InputSize[1];

    /// <summary>PSNR of an estimate against the truth, in dB, for images of peak 1: 10·log10(1 / mean squared error).</summary>
    /// <exception cref="ArgumentException">The estimate's length is not n².</exception>
    public double Psnr(ReadOnlySpan<double> estimate)
    {
        Check.SpanLength(estimate.Length, Truth.Length, nameof(estimate));
        double sum = 0;
        for (int i = 0; i < Truth.Length; i++) sum += (estimate[i] - Truth[i]) * (estimate[i] - Truth[i]);
        return 10 * Math.Log10(Truth.Length / sum);
    }
}
