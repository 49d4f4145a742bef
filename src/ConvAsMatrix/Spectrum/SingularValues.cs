using System.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace ConvAsMatrix.Spectrum;

/// <summary>
/// All singular values of V: by a dense SVD (MathNet) for small V, and, for circular padding with stride 1,
/// in closed form from the kernel's DFT (Sedghi, Gupta &amp; Long, ICLR 2019).
/// </summary>
public static class SingularValues
{
    /// <summary>The largest matrix <see cref="Dense"/> accepts, in entries (rows × columns): 2²⁴, 128 MiB of doubles.</summary>
    public const long MaxDenseEntries = 1L << 24;

    /// <summary>All min(rows, columns) singular values of a small matrix, descending, by MathNet's dense SVD.</summary>
    /// <exception cref="ArgumentException">The dense matrix would exceed <see cref="MaxDenseEntries"/> entries.</exception>
    public static double[] Dense(CompressedRowStorage<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        long entries = (long)matrix.RowCount * matrix.ColumnCount;
        if (entries > MaxDenseEntries)
            throw new ArgumentException($"a dense SVD of a {matrix.RowCount} x {matrix.ColumnCount} matrix needs {entries} entries, more than {MaxDenseEntries}; use SpectralNorm for the largest singular value or SingularValues.Circular for circular padding", nameof(matrix));
        var dense = Matrix<double>.Build.DenseOfArray(matrix.ToDense());
        return dense.Svd(computeVectors: false).S.ToArray();
    }

    /// <summary>
    /// All singular values of V for circular padding and stride 1 (output size = input size), descending, from
    /// the kernel's DFT instead of an SVD of V: min(C_out, C_in)·∏nᵢ values from ∏nᵢ small C_out × C_in SVDs.
    /// </summary>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    /// <param name="geometry">A 1-, 2- or 3-D convolution with <see cref="PaddingMode.Circular"/> padding, stride 1 and
    /// padding before + after = dilation·(k − 1) in every dimension (so V is square in space).</param>
    /// <remarks>
    /// <para>Row (co, o), column (ci, i) of V holds Σₜ w[co, ci, t]·[i ≡ o + d·t − p (mod n)] per dimension: each
    /// channel block is a sum of cyclic shifts, diagonalised by the DFT. At frequency f the blocks become the
    /// C_out × C_in matrix P(f)[co, ci] = Σₜ w[co, ci, t]·exp(2πi·Σ_dims f·d·t / n) times the unit phase
    /// exp(−2πi·f·p / n) of the padding shift, which changes no singular value. So σ(V) = ∪_f σ(P(f)) —
    /// Sedghi, Gupta &amp; Long's Theorem 6, generalised to 1-D/3-D and dilation.</para>
    /// <para>Groups make P(f) block-diagonal (zero outside each group's C_out/g × C_in/g block); its SVD is then
    /// the union of the blocks' SVDs, so grouped convolutions need no special case.</para>
    /// <para>Cost: ∏nᵢ·(C_out·C_in/g·∏kᵢ + SVD of C_out × C_in), a plain DFT with precomputed phases.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The geometry is not circular with stride 1 and same-size output, or the weight's length is wrong.</exception>
    public static double[] Circular(ReadOnlySpan<double> weight, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Check.SpanLength(weight.Length, geometry.WeightLength, nameof(weight));
        CheckCircular(geometry);
        return CircularUnchecked(weight, geometry);
    }

    /// <summary>The same for a weight tensor of shape <see cref="ConvGeometry.WeightShape"/>.</summary>
    /// <exception cref="ArgumentException">See <see cref="Circular(ReadOnlySpan{double}, ConvGeometry)"/>; or the weight's shape is wrong.</exception>
    public static double[] Circular(Tensor<double> weight, ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(geometry);
        Check.Shape(weight.Shape, geometry.WeightShape, nameof(weight));
        return Circular(weight.Data, geometry);
    }

    private static void CheckCircular(ConvGeometry g)
    {
        if (g.PaddingMode != PaddingMode.Circular)
            throw new ArgumentException($"the closed-form spectrum needs padding_mode circular, got {g.PaddingMode.ToString().ToLowerInvariant()}; use SingularValues.Dense for other modes", "padding_mode");
        for (int d = 0; d < g.Rank; d++)
        {
            if (g.Stride[d] != 1)
                throw new ArgumentException($"the closed-form spectrum needs stride 1, got {Check.List(g.Stride)}", "stride");
            if (g.PaddingBefore[d] + g.PaddingAfter[d] != g.Dilation[d] * (g.KernelSize[d] - 1) || g.OutputSize[d] != g.InputSize[d])
                throw new ArgumentException($"the closed-form spectrum needs output size = input size (padding before + after = dilation*(k-1)) in every dimension; dimension {d} has padding ({g.PaddingBefore[d]}, {g.PaddingAfter[d]}), kernel {g.KernelSize[d]}, dilation {g.Dilation[d]}, input {g.InputSize[d]}, output {g.OutputSize[d]}", "padding");
        }
    }

    private static double[] CircularUnchecked(ReadOnlySpan<double> weight, ConvGeometry g)
    {
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        var k = ConvGeometry.Pad3(g.KernelSize, 1);
        var dil = ConvGeometry.Pad3(g.Dilation, 1);
        // phase[dim][f, t] = exp(2πi·f·d·t / n): the DFT of a tap at offset d·t, per dimension.
        var phase = new Complex[3][,];
        for (int dim = 0; dim < 3; dim++)
        {
            phase[dim] = new Complex[n[dim], k[dim]];
            for (int f = 0; f < n[dim]; f++)
                for (int t = 0; t < k[dim]; t++)
                    phase[dim][f, t] = Complex.FromPolarCoordinates(1, 2 * Math.PI * ((long)f * dil[dim] * t % n[dim]) / n[dim]);
        }

        int cout = g.OutChannels, cin = g.InChannels, cig = cin / g.Groups, cog = cout / g.Groups;
        int taps = k[0] * k[1] * k[2], perFrequency = Math.Min(cout, cin);
        var w = weight.ToArray();
        var values = new double[(long)n[0] * n[1] * n[2] * perFrequency];
        var p = Matrix<Complex>.Build.Dense(cout, cin);
        int next = 0;
        for (int f0 = 0; f0 < n[0]; f0++)
            for (int f1 = 0; f1 < n[1]; f1++)
                for (int f2 = 0; f2 < n[2]; f2++)
                {
                    p.Clear();
                    for (int co = 0; co < cout; co++)
                        for (int c = 0; c < cig; c++)
                        {
                            int wBase = (co * cig + c) * taps;
                            Complex sum = Complex.Zero;
                            for (int t0 = 0, tap = 0; t0 < k[0]; t0++)
                                for (int t1 = 0; t1 < k[1]; t1++)
                                {
                                    Complex outer = phase[0][f0, t0] * phase[1][f1, t1];
                                    for (int t2 = 0; t2 < k[2]; t2++, tap++)
                                        sum += w[wBase + tap] * outer * phase[2][f2, t2];
                                }
                            p[co, co / cog * cig + c] = sum;
                        }
                    if (perFrequency == 1 && cout == 1 && cin == 1)
                        values[next++] = p[0, 0].Magnitude;
                    else
                        foreach (var s in p.Svd(computeVectors: false).S) values[next++] = s.Real;
                }
        Array.Sort(values);
        Array.Reverse(values);
        return values;
    }
}
