namespace ConvAsMatrix.Solvers;

/// <summary>
/// Golub–Kahan bidiagonalisation of A started from b, keeping both bases and reorthogonalising every new vector
/// against all earlier ones (classical Gram–Schmidt twice): after k steps <c>A·V_k = U_{k+1}·B_k</c> with U and V
/// orthonormal to working precision and B_k the (k+1) × k lower-bidiagonal matrix of α₁…α_k on the diagonal and
/// β₂…β_{k+1} below it, β₁ = ‖b‖. LSQR runs the same recurrence without the bases; hybrid methods need them, to
/// regularise the small projected problem and map its solution back (x = V_k·y).
/// </summary>
/// <remarks>Memory: k + 1 vectors of A's rows and k of its columns. Work per step: one product with A and one with
/// Aᵀ, plus O(k·(m + n)) for the reorthogonalisation. Without reorthogonalisation (as LSQR runs) only the v_i are kept
/// (x = V_k·y needs them) and a step costs the two products and O(m + n): the bases then lose orthogonality as Ritz values
/// converge, which in finite precision delays convergence (like LSQR's) but leaves B_k's residual estimates reliable
/// (Paige &amp; Saunders 1982).</remarks>
internal sealed class GolubKahan
{
    private readonly LinearOperator a;
    private readonly List<double[]> u = [], v = [];
    private readonly List<double> alpha = [], beta = [];
    private readonly bool reorthogonalize;

    /// <summary>Starts from b: β₁ = ‖b‖, u₁ = b/β₁ (nothing to do when b = 0).</summary>
    public GolubKahan(LinearOperator a, ReadOnlySpan<double> b, bool reorthogonalize = true)
    {
        this.a = a;
        this.reorthogonalize = reorthogonalize;
        double norm = VectorMath.Norm(b);
        beta.Add(norm);
        var u1 = b.ToArray();
        if (norm > 0) Scale(u1, 1 / norm);
        u.Add(u1);
    }

    /// <summary>Steps taken, k.</summary>
    public int Steps => v.Count;

    /// <summary>β₁ = ‖b‖.</summary>
    public double Beta1 => beta[0];

    /// <summary>α_i, i = 1…k.</summary>
    public IReadOnlyList<double> Alphas => alpha;

    /// <summary>β_i, i = 1…k + 1.</summary>
    public IReadOnlyList<double> Betas => beta;

    /// <summary>v_i, the orthonormal basis of the solution's Krylov space.</summary>
    public IReadOnlyList<double[]> V => v;

    /// <summary>u_i, the orthonormal basis on the data side (without reorthogonalisation only the latest).</summary>
    public IReadOnlyList<double[]> U => u;

    /// <summary>
    /// One step: v_k from Aᵀu_k − β_k·v_{k−1}, then u_{k+1} from A·v_k − α_k·u_k, each reorthogonalised. False when the
    /// Krylov space is exhausted (α_k or β_{k+1} is zero to working precision), or b was zero: the bases then span it exactly.
    /// </summary>
    public bool Step()
    {
        if (beta[^1] == 0) return false;
        int k = v.Count;
        var vk = new double[a.ColumnCount];
        a.ApplyTranspose(u[^1], vk);
        if (k > 0) VectorMath.AddScaled(vk, -beta[k], v[k - 1]);
        double ak = Orthonormalise(vk, reorthogonalize ? v : [], reference: a.ColumnCount);
        if (ak == 0) return false;
        v.Add(vk);
        alpha.Add(ak);
        var uk = new double[a.RowCount];
        a.Apply(vk, uk);
        VectorMath.AddScaled(uk, -ak, u[^1]);
        double bk = Orthonormalise(uk, reorthogonalize ? u : [], reference: a.RowCount);
        beta.Add(bk);
        if (!reorthogonalize) u.Clear();
        u.Add(uk);
        return true;
    }

    /// <summary>Removes the components along <paramref name="basis"/> twice (classical Gram–Schmidt, reorthogonalised), then normalises; returns the norm, 0 when nothing is left.</summary>
    private static double Orthonormalise(double[] w, List<double[]> basis, int reference)
    {
        double before = VectorMath.Norm(w);
        for (int pass = 0; pass < 2; pass++)
            foreach (var q in basis) VectorMath.AddScaled(w, -VectorMath.Dot(q, w), q);
        double norm = VectorMath.Norm(w);
        // A vector that vanished in the projections (to rounding of the original's size) means an invariant subspace.
        if (norm <= 64 * double.Epsilon * Math.Max(1, reference) || norm <= 1e-14 * before) return 0;
        Scale(w, 1 / norm);
        return norm;
    }

    /// <summary>B_k: the (k + 1) × k lower-bidiagonal matrix of α₁…α_k on the diagonal and β₂…β_{k+1} below it.</summary>
    public MathNet.Numerics.LinearAlgebra.Matrix<double> Bidiagonal()
    {
        int k = Steps;
        var b = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(k + 1, k);
        for (int i = 0; i < k; i++)
        {
            b[i, i] = alpha[i];
            b[i + 1, i] = beta[i + 1];
        }
        return b;
    }

    /// <summary>x = V_k·y.</summary>
    public void Combine(ReadOnlySpan<double> y, Span<double> x)
    {
        x.Clear();
        for (int i = 0; i < y.Length; i++) VectorMath.AddScaled(x, y[i], v[i]);
    }

    private static void Scale(double[] w, double factor)
    {
        for (int i = 0; i < w.Length; i++) w[i] *= factor;
    }
}
