using System.Numerics;
using MathNet.Numerics.IntegralTransforms;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// A circulant (BCCB) preconditioner for Tikhonov deblurring of one image (Strang; T. Chan 1988; Hanke, Nagy &amp;
/// Plemmons 1993): M = Fᴴ·diag(|ĉ_f|² + λ)·F, where ĉ_f are the eigenvalues of the blur made periodic (the kernel
/// wrapped around the n₀ × n₁ image grid, F the 2-D DFT). M⁻¹ is applied by two FFTs. With periodic boundaries V is that
/// BCCB matrix and M = VᵀV + λI exactly, so preconditioned CGLS converges in one step; with zero or reflect boundaries
/// they differ by a low-rank term at the edges, and the preconditioned iteration converges in few steps more.
/// </summary>
/// <remarks>One channel in and out (C_in = C_out = 1, groups 1), 2-D, stride and dilation 1: the deblurring case. O(n log n) per application.</remarks>
public sealed class CirculantPreconditioner
{
    private readonly double[] inverse; // 1 / (|ĉ_f|² + λ), row-major over the grid's frequencies
    private readonly int rows, columns;

    private CirculantPreconditioner(double[] inverse, int rows, int columns) => (this.inverse, this.rows, this.columns) = (inverse, rows, columns);

    /// <summary>The preconditioner of the blur <paramref name="geometry"/> with weight <paramref name="kernel"/>, regularised by λ.</summary>
    /// <param name="kernel">(1, 1, k₀, k₁).</param>
    /// <param name="geometry">A 2-D convolution of one channel in and out, stride and dilation 1, its input the n₀ × n₁ image.</param>
    /// <param name="lambda">λ &gt; 0 (λ = 0 would divide by the blur's near-zero eigenvalues).</param>
    /// <exception cref="ArgumentException">The geometry is not such a blur, the kernel's shape disagrees, or λ is not positive and finite.</exception>
    public static CirculantPreconditioner Create(Tensor<double> kernel, ConvGeometry geometry, double lambda)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Rank != 2 || geometry.InChannels != 1 || geometry.OutChannels != 1 || geometry.Stride.Any(s => s != 1) || geometry.Dilation.Any(d => d != 1))
            throw new ArgumentException($"a circulant preconditioner is for a 2-D blur of one channel with stride and dilation 1; {geometry} is not one", nameof(geometry));
        Check.Shape(kernel.Shape, geometry.WeightShape, nameof(kernel));
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentException($"lambda is {lambda}; the preconditioner needs λ > 0", nameof(lambda));
        int n0 = geometry.InputSize[0], n1 = geometry.InputSize[1], k0 = geometry.KernelSize[0], k1 = geometry.KernelSize[1];
        if (k0 > n0 || k1 > n1) throw new ArgumentException($"the kernel ({k0}, {k1}) is larger than the image ({n0}, {n1})", nameof(kernel));
        var power = BlurPower(kernel, geometry);
        var inverse = new double[power.Length];
        for (int f = 0; f < power.Length; f++) inverse[f] = 1 / (power[f] + lambda);
        return new CirculantPreconditioner(inverse, n0, n1);
    }

    /// <summary>
    /// |ĉ_f|², row-major over the n₀ × n₁ frequencies: the eigenvalues of CᵀC for the blur made periodic, C its BCCB matrix
    /// (so Σ_f |ĉ_f|²/(|ĉ_f|² + λ) is the trace of C's Tikhonov influence matrix). Unchecked: for a geometry <see cref="Create"/> accepts.
    /// </summary>
    internal static double[] BlurPower(Tensor<double> kernel, ConvGeometry geometry)
    {
        int n0 = geometry.InputSize[0], n1 = geometry.InputSize[1], k0 = geometry.KernelSize[0], k1 = geometry.KernelSize[1];
        // The kernel wrapped onto the grid: tap (t₀, t₁) at offset t − padding before, modulo n. |ĉ|² does not depend on the
        // offset or the sign convention, so correlation and convolution give the same M.
        var grid = new Complex[n0 * n1];
        for (int t0 = 0; t0 < k0; t0++)
            for (int t1 = 0; t1 < k1; t1++)
            {
                int i = ((t0 - geometry.PaddingBefore[0]) % n0 + n0) % n0, j = ((t1 - geometry.PaddingBefore[1]) % n1 + n1) % n1;
                grid[i * n1 + j] += kernel.Data[t0 * k1 + t1];
            }
        Transform2D(grid, n0, n1, inverse: false);
        var power = new double[grid.Length];
        for (int f = 0; f < grid.Length; f++) power[f] = grid[f].Magnitude * grid[f].Magnitude;
        return power;
    }

    /// <summary>Elements of the image the preconditioner acts on.</summary>
    public int Length => rows * columns;

    /// <summary>z = M⁻¹·s.</summary>
    /// <exception cref="ArgumentException">A length is not the image's.</exception>
    public void Apply(ReadOnlySpan<double> s, Span<double> z)
    {
        Check.SpanLength(s.Length, Length, nameof(s));
        Check.SpanLength(z.Length, Length, nameof(z));
        var work = new Complex[Length];
        for (int i = 0; i < work.Length; i++) work[i] = s[i];
        Transform2D(work, rows, columns, inverse: false);
        for (int f = 0; f < work.Length; f++) work[f] *= inverse[f];
        Transform2D(work, rows, columns, inverse: true);
        // M is real symmetric, so M⁻¹s is real; the imaginary parts are rounding.
        for (int i = 0; i < work.Length; i++) z[i] = work[i].Real;
    }

    /// <summary>
    /// The 2-D DFT of a row-major grid as 1-D transforms of every row, then every column (MathNet's managed provider has no
    /// multidimensional transform); forward unscaled, inverse scaled by 1/N (MATLAB's convention).
    /// </summary>
    private static void Transform2D(Complex[] data, int rows, int columns, bool inverse)
    {
        var row = new Complex[columns];
        for (int i = 0; i < rows; i++)
        {
            Array.Copy(data, i * columns, row, 0, columns);
            if (inverse) Fourier.Inverse(row, FourierOptions.Matlab); else Fourier.Forward(row, FourierOptions.Matlab);
            Array.Copy(row, 0, data, i * columns, columns);
        }
        var column = new Complex[rows];
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < rows; i++) column[i] = data[i * columns + j];
            if (inverse) Fourier.Inverse(column, FourierOptions.Matlab); else Fourier.Forward(column, FourierOptions.Matlab);
            for (int i = 0; i < rows; i++) data[i * columns + j] = column[i];
        }
    }
}
