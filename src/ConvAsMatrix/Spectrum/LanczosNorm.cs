using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>What <see cref="LanczosNorm"/> found.</summary>
/// <param name="Best">The largest ‖A·x‖ over the unit vectors x it multiplied explicitly: a lower bound on ‖A‖₂ up to the product's round-off.</param>
/// <param name="Products">Products with A (each Golub–Kahan step one with A and one with Aᵀ).</param>
/// <param name="Status">Converged when the Ritz residual met the tolerance or <c>enough</c> accepted <see cref="Best"/>.</param>
/// <param name="Residual">The eigen-residual ‖AᵀA·x − σ²x‖/σ² of the last Ritz vector (∞ before the second step).</param>
internal sealed record LanczosResult(double Best, int Products, SolverStatus Status, double Residual);

/// <summary>
/// The largest singular value of an operator from below by Golub–Kahan–Lanczos bidiagonalisation with full
/// reorthogonalisation (<see cref="GolubKahan"/>, LSQR's recurrence with both bases kept), explicitly restarted
/// from the top Ritz vector when the basis reaches its memory budget.
/// </summary>
/// <remarks>
/// <para>After k steps from u₁ = A·x/‖A·x‖, A·V_k = U_{k+1}·B_k with U, V orthonormal, so B_k = U_{k+1}ᵀA·V_k is a
/// compression of A and its singular values interlace A's (Cauchy interlacing of a submatrix of UᵀAV with U, V
/// completed to orthogonal bases): σ_max(B_k) ≤ σ_max(A), rising with k. The space is the Krylov space of AᵀA, so
/// the top Ritz value converges like a Chebyshev polynomial in the gap, (1 − √gap)^k, where power iteration's
/// Rayleigh quotient goes like (1 − gap)^k: a cluster at the top costs tens of steps, not thousands.</para>
/// <para>In floating point the interlacing holds only to the bases' loss of orthogonality, so the bound reported is
/// never a Ritz value: each cycle ends by multiplying the Ritz vector x = V_k·y explicitly, and ‖A·x‖/‖x‖ is the lower
/// bound (the caller subtracts the product's round-off). The Ritz residual of the top triplet (σ, y, z) is
/// ‖AᵀA·x − σ²x‖/σ² = α_{k+1}·|z_{k+1}|/σ, read off the next step.</para>
/// </remarks>
internal static class LanczosNorm
{
    /// <summary>Memory for one cycle's two bases, 256 MiB: the basis holds at most this many bytes of vectors.</summary>
    public const long BasisBytes = 256L << 20;

    /// <summary>Steps per cycle: as many as the memory allows, between 8 and 80.</summary>
    public static int BasisSize(int rows, int columns) => (int)Math.Clamp(BasisBytes / (8L * (rows + columns)), 8, 80);

    /// <summary>Runs from the unit vector <paramref name="x"/> (overwritten) until the Ritz residual is at most
    /// <paramref name="tolerance"/>, <paramref name="enough"/> (a pure predicate: it is also asked about Ritz values, to end
    /// a cycle early) accepts the best explicitly multiplied value, the products reach
    /// <paramref name="maxProducts"/>, or the token is cancelled; or, with <paramref name="settled"/>, once it accepts
    /// (σ, its eigen-residual) for a Ritz value, whose vector is then multiplied.</summary>
    public static LanczosResult Run(LinearOperator a, double[] x, double tolerance, int maxProducts, Func<double, bool> enough, CancellationToken cancel,
        Func<double, double, bool>? settled = null)
    {
        int basis = BasisSize(a.RowCount, a.ColumnCount);
        var y = new double[a.RowCount];
        double best = 0, residual = double.PositiveInfinity;
        int products = 0;
        bool restarted = false;
        while (true)
        {
            if (cancel.IsCancellationRequested) return new LanczosResult(best, products, SolverStatus.Cancelled, residual);
            if (products >= maxProducts) return new LanczosResult(best, products, SolverStatus.IterationLimit, residual);
            a.Apply(x, y);
            products++;
            double sigma = VectorMath.Norm(y);
            if (!double.IsFinite(sigma)) return new LanczosResult(double.NaN, products, SolverStatus.Diverged, residual);
            best = Math.Max(best, sigma);
            if (enough(best) || Settled(best, residual)) return new LanczosResult(best, products, SolverStatus.Converged, residual);
            if (sigma == 0)
            {
                // x lies in A's null space (a strided V can annihilate a plane wave): restart once from a seeded
                // Gaussian vector, which does not, unless A = 0.
                if (restarted) return new LanczosResult(best, products, SolverStatus.Converged, 0);
                restarted = true;
                VectorMath.FillGaussian(new Random(0), x);
                SpectralNorm.Normalize(x);
                continue;
            }
            residual = Cycle(a, y, x, basis, Settled, maxProducts - products, enough, cancel, out int steps);
            products += steps;
        }

        // The residual tolerance, or the caller's looser test of a Ritz value and its residual.
        bool Settled(double sigma, double r) => r <= tolerance || (settled is not null && settled(sigma, r));
    }

    /// <summary>One cycle of at most <paramref name="basis"/> steps from u₁ = y/‖y‖; writes the top Ritz vector (unit) into x
    /// and returns its Ritz residual.</summary>
    private static double Cycle(LinearOperator a, double[] y, double[] x, int basis, Func<double, double, bool> settled, int budget, Func<double, bool> enough,
        CancellationToken cancel, out int steps)
    {
        var gk = new GolubKahan(a, y);
        double[]? ritzY = null;
        double previousLast = double.NaN, previousSigma = 0, residual = double.PositiveInfinity;
        steps = 0;
        bool settles = false;
        while (steps < Math.Min(basis, budget) && !cancel.IsCancellationRequested)
        {
            bool more = gk.Step();
            if (gk.Steps > steps) steps++;
            // The residual of the last step's triplet needs this step's α_{k+1}.
            if (ritzY is not null && gk.Alphas.Count > ritzY.Length)
            {
                residual = gk.Alphas[ritzY.Length] * Math.Abs(previousLast) / previousSigma;
                settles = settled(previousSigma, residual);
            }
            if (gk.Steps == 0) break;
            var (sigma, right, last) = TopTriplet(gk);
            if (!more)
            {
                // An invariant subspace: the Ritz values are singular values of A (to round-off).
                ritzY = right;
                residual = 0;
                break;
            }
            ritzY = right;
            previousLast = last;
            previousSigma = sigma;
            // Stop the cycle as soon as the Ritz value would do (with a hair to spare, so that the explicit product of
            // its vector, equal to it up to the bases' orthogonality, does too): the restart certifies it.
            if (settles || enough(sigma * (1 - 1e-12))) break;
        }
        if (ritzY is null) return residual; // no step: x stays
        gk.Combine(ritzY, x);
        SpectralNorm.Normalize(x);
        return residual;
    }

    /// <summary>σ_max of the (k+1) × k lower-bidiagonal B_k, its right singular vector, and the last entry of its left one.</summary>
    private static (double Sigma, double[] Right, double Last) TopTriplet(GolubKahan gk)
    {
        var svd = gk.Bidiagonal().Svd(computeVectors: true);
        return (svd.S[0], svd.VT.Row(0).ToArray(), svd.U[gk.Steps, 0]);
    }
}
