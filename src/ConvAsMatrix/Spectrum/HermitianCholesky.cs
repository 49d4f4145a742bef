namespace ConvAsMatrix.Spectrum;

/// <summary>
/// A proof that λ_max(H) &lt; s for a Hermitian H: the Cholesky factorisation of s·I − H runs to the end with
/// positive pivots exactly when s·I − H is positive definite. Cost c³/6 complex multiply-adds, a fraction of an
/// eigenvalue decomposition.
/// </summary>
/// <remarks>
/// Round-off: if the factorisation in floating point succeeds on A, then RᴴR = A + E with
/// |E| ≤ γ_{c+1}·|Rᴴ||R| (Demmel; Higham, Accuracy and Stability, Thm 10.3), so A + E is positive semidefinite and
/// λ_min(A) ≥ −‖E‖₂ ≥ −γ_{c+1}·‖R‖²_F = −γ_{c+1}·tr(A + E). The caller adds that slack (see
/// <see cref="CirculantSpectrum"/>): success proves λ_max(H) ≤ s·(1 + 2γ_{c+1}·c) for ‖H‖'s scale, not merely &lt; s.
/// </remarks>
internal static class HermitianCholesky
{
    /// <summary>Whether s·I − (real + i·imaginary) factors with positive pivots. <paramref name="lr"/>, <paramref name="li"/>: c × c work space.</summary>
    public static bool IsBelow(double s, ReadOnlySpan<double> real, ReadOnlySpan<double> imaginary, int c, Span<double> lr, Span<double> li)
    {
        for (int i = 0; i < c; i++)
        {
            var ri = lr.Slice(i * c, c);
            var ii = li.Slice(i * c, c);
            for (int j = 0; j <= i; j++)
            {
                // Σ_{k<j} L_ik·conj(L_jk)
                var (rr, ir) = DenseVectorLoops.Dot2(ri[..j], ii[..j], lr.Slice(j * c, j));
                var (iiSum, riSum) = DenseVectorLoops.Dot2(ii[..j], ri[..j], li.Slice(j * c, j));
                double sumRe = rr + iiSum, sumIm = ir - riSum;
                if (i == j)
                {
                    double pivot = s - real[i * c + i] - sumRe;
                    if (!(pivot > 0)) return false;
                    ri[i] = Math.Sqrt(pivot);
                    ii[i] = 0;
                }
                else
                {
                    double diagonal = lr[j * c + j];
                    ri[j] = (-real[i * c + j] - sumRe) / diagonal;
                    ii[j] = (-imaginary[i * c + j] - sumIm) / diagonal;
                }
            }
        }
        return true;
    }
}
