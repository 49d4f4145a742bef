using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Regularised least squares <c>min ‖A·x − b‖₂² + λ‖x‖₂²</c> by LSQR (Paige &amp; Saunders, ACM TOMS 8, 1982):
/// Golub–Kahan bidiagonalisation of A with a QR update, matrix-free — one product with A and one with Aᵀ per
/// iteration, like <see cref="Cgls"/>, and the algorithm of SciPy's <c>scipy.sparse.linalg.lsqr</c>, PyLops and
/// PETSc's KSPLSQR.
/// </summary>
/// <remarks>
/// <para>λ enters as LSQR's damping, damp = √λ, eliminated by one plane rotation per iteration (λ = 0: no damping).
/// In exact arithmetic LSQR and CGLS produce the same iterates; LSQR is the more stable in floating point on
/// ill-conditioned A, and its stopping rules (<see cref="LsqrOptions"/>) come with estimates of ‖A‖, cond(A),
/// ‖r‖ and ‖Aᵀr − λx‖ that cost nothing (<see cref="SolverResult.Lsqr"/>).</para>
/// <para>A non-zero starting guess x₀: with λ = 0 LSQR runs on r₀ = b − A·x₀ (as SciPy's <c>x0</c>); with λ &gt; 0 it
/// runs undamped on [A; √λ·I]·d ≈ [r₀; −√λ·x₀], so that it still minimises ‖A·x − b‖² + λ‖x‖² (SciPy's x0 with
/// damp would penalise ‖x − x₀‖ instead).</para>
/// <para>Stop criteria compose as MathNet's: the iterator holds cancellation, LSQR's tests, the iteration count and
/// <see cref="SolverOptions.ExtraCriteria"/>, in that order. LSQR never forms Aᵀr, so the criteria receive one-element
/// vectors: the residual holds the estimate of ‖Aᵀr − λx‖₂, the source ‖Aᵀb‖₂ (and the solution vector is x).</para>
/// </remarks>
public static class Lsqr
{
    /// <summary>Solves min ‖A·x − b‖² + λ‖x‖², starting from the x passed in, and reports how it ended with LSQR's estimates.</summary>
    /// <param name="a">The operator A (for deconvolution, V).</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Starting guess on entry (zeros for none), the solution on return; length A.ColumnCount.</param>
    /// <param name="lambda">Tikhonov weight λ ≥ 0 (damp = √λ; 0: plain least squares).</param>
    /// <param name="options">Iteration limit, cancellation, extra criteria, and the default atol = btol (<see cref="SolverOptions.Tolerance"/>); null for the defaults.</param>
    /// <param name="lsqr">atol, btol and conlim when they differ from the defaults; null for none.</param>
    /// <returns>Status, iterations, residuals and <see cref="SolverResult.Lsqr"/>; never throws for non-convergence.</returns>
    /// <exception cref="ArgumentException">A length disagrees with A, λ is negative or not finite, or an option is invalid (named).</exception>
    public static SolverResult Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, double lambda,
        SolverOptions? options = null, LsqrOptions? lsqr = null)
    {
        LeastSquaresIteration.CheckArguments(a, b.Length, x.Length, lambda);
        options ??= new SolverOptions();
        options.Validate();
        var (atol, btol, conlim) = (lsqr ?? new LsqrOptions()).Resolve(options);
        var iteration = new Iteration(a, b, x, lambda, atol, btol, conlim);
        return iteration.Run(options.CreateIterator(null, iteration.Tests), x, options.MisfitTarget);
    }

    /// <summary>SciPy's <c>lsqr</c> loop, statement for statement where it can be.</summary>
    private sealed class Iteration : LeastSquaresIteration
    {
        private readonly LinearOperator op;        // A, or [A; √λI] for a non-zero start with λ > 0
        private readonly double damp, dampSquared;
        private readonly double atol, btol, ctol;
        /// <summary>Machine precision (NumPy's finfo(float64).eps), which SciPy adds to avoid dividing by zero.</summary>
        private const double Epsilon = 2.220446049250313e-16;

        private readonly double[] u, v, w, av, atu;
        private readonly DenseVector source = new(1), residual = new(1);
        private double alfa, beta, rhobar, phibar, bnorm, anorm, acond, ddnorm, res2, xnorm, xxnorm, z, cs2 = -1, sn2;
        private double rnorm, r1norm, r2norm, arnorm;
        private int stopCode;

        public Iteration(LinearOperator a, ReadOnlySpan<double> b, ReadOnlySpan<double> x, double lambda, double atol, double btol, double conlim)
            : base(a, b, x, lambda)
        {
            bool stacked = lambda > 0 && x.ContainsAnyExcept(0.0);
            op = stacked ? Stack(a, Math.Sqrt(lambda)) : a;
            damp = stacked ? 0 : Math.Sqrt(lambda);
            dampSquared = damp * damp;
            this.atol = atol;
            this.btol = btol;
            ctol = conlim > 0 ? 1 / conlim : 0;
            u = new double[op.RowCount];
            v = new double[a.ColumnCount];
            w = new double[a.ColumnCount];
            av = new double[op.RowCount];
            atu = new double[a.ColumnCount];
            Tests = new StopTests(this);
        }

        /// <summary>LSQR's tests as a MathNet criterion over this iteration's estimates.</summary>
        public StopTests Tests { get; }

        protected override DenseVector Source => source;
        protected override DenseVector Residual => residual;
        protected override double DataMisfit => r1norm;
        protected override double RelativeResidual => source[0] > 0 ? arnorm / source[0] : 0;

        protected override IterationStatus Start()
        {
            // u = b − A·x₀ (stacked: [b − A·x₀; −√λ·x₀]); scipy's bnorm is ‖b‖ whatever x₀ is.
            bnorm = VectorMath.Norm(B);
            op.Apply(X, u);
            for (int i = 0; i < B.Length; i++) u[i] = B[i] - u[i];
            for (int i = B.Length; i < u.Length; i++) u[i] = -u[i];
            beta = VectorMath.Norm(u);
            if (bnorm == 0) bnorm = beta; // b = 0 with x₀ ≠ 0: measure against the start instead of dividing by zero
            if (beta > 0)
            {
                Scale(u, 1 / beta);
                op.ApplyTranspose(u, v);
                alfa = VectorMath.Norm(v);
            }
            if (alfa > 0) Scale(v, 1 / alfa);
            v.CopyTo(w, 0);
            rhobar = alfa;
            phibar = beta;
            rnorm = r1norm = r2norm = beta;
            arnorm = alfa * beta;
            source[0] = arnorm;
            residual[0] = arnorm;
            if (op != A) r1norm = MisfitOfStacked();
            return arnorm == 0 ? IterationStatus.Converged : IterationStatus.Continue;
        }

        protected override bool Step(out IterationStatus verdict)
        {
            // Bidiagonalisation: β·u = A·v − α·u, α·v = Aᵀ·u − β·v.
            op.Apply(v, av);
            for (int i = 0; i < u.Length; i++) u[i] = av[i] - alfa * u[i];
            beta = VectorMath.Norm(u);
            if (beta > 0)
            {
                Scale(u, 1 / beta);
                anorm = Math.Sqrt(anorm * anorm + alfa * alfa + beta * beta + dampSquared);
                op.ApplyTranspose(u, atu);
                for (int i = 0; i < v.Length; i++) v[i] = atu[i] - beta * v[i];
                alfa = VectorMath.Norm(v);
                if (alfa > 0) Scale(v, 1 / alfa);
            }

            // A rotation eliminates the damping, a second one the subdiagonal β.
            double rhobar1 = rhobar, psi = 0;
            if (damp > 0)
            {
                rhobar1 = Math.Sqrt(rhobar * rhobar + dampSquared);
                double cs1 = rhobar / rhobar1, sn1 = damp / rhobar1;
                psi = sn1 * phibar;
                phibar = cs1 * phibar;
            }
            var (cs, sn, rho) = SymOrtho(rhobar1, beta);
            double theta = sn * alfa;
            rhobar = -cs * alfa;
            double phi = cs * phibar;
            phibar = sn * phibar;
            double tau = sn * phi;

            // x += (φ/ρ)·w, w = v − (θ/ρ)·w; ‖w/ρ‖² accumulates into the condition estimate.
            double t1 = phi / rho, t2 = -theta / rho, dk = 0;
            for (int i = 0; i < w.Length; i++)
            {
                double wi = w[i];
                dk += wi * wi;
                X[i] += t1 * wi;
                w[i] = v[i] + t2 * wi;
            }
            ddnorm += dk / (rho * rho);

            // A rotation on the right eliminates θ; it gives the estimate of ‖x‖.
            double delta = sn2 * rho, gambar = -cs2 * rho, rhs = phi - delta * z, zbar = rhs / gambar;
            xnorm = Math.Sqrt(xxnorm + zbar * zbar);
            double gamma = Math.Sqrt(gambar * gambar + theta * theta);
            cs2 = gambar / gamma;
            sn2 = theta / gamma;
            z = rhs / gamma;
            xxnorm += z * z;

            acond = anorm * Math.Sqrt(ddnorm);
            double res1 = phibar * phibar;
            res2 += psi * psi;
            rnorm = Math.Sqrt(res1 + res2);
            arnorm = alfa * Math.Abs(tau);
            if (op != A) r1norm = MisfitOfStacked();
            else if (damp > 0)
            {
                double r1sq = rnorm * rnorm - dampSquared * xxnorm;
                r1norm = Math.Sqrt(Math.Abs(r1sq));
                if (r1sq < 0) r1norm = -r1norm;
            }
            else r1norm = rnorm;
            r2norm = rnorm;
            residual[0] = arnorm;
            verdict = double.IsFinite(arnorm) && double.IsFinite(rnorm) ? IterationStatus.Continue : IterationStatus.Diverged;
            return true;
        }

        /// <summary>SciPy's <c>istop</c> after an iteration, 0 while none of the tests holds.</summary>
        private int StopCode()
        {
            double test1 = rnorm / bnorm;
            double test2 = arnorm / (anorm * rnorm + Epsilon);
            double test3 = 1 / (acond + Epsilon);
            double t1 = test1 / (1 + anorm * xnorm / bnorm);
            double rtol = btol + atol * anorm * xnorm / bnorm;
            int code = 0;
            if (1 + test3 <= 1) code = 6;
            if (1 + test2 <= 1) code = 5;
            if (1 + t1 <= 1) code = 4;
            if (test3 <= ctol) code = 3;
            if (test2 <= atol) code = 2;
            if (test1 <= rtol) code = 1;
            return code;
        }

        protected override SolverStatus Map(IterationStatus status) =>
            stopCode is 3 or 6 ? SolverStatus.IllConditioned : base.Map(status);

        protected override LsqrEstimates Estimates(IterationStatus status)
        {
            // Only the iteration count stops without convergence while LSQR's own tests all still fail: istop 7.
            if (stopCode == 0 && status == IterationStatus.StoppedWithoutConvergence) stopCode = 7;
            return new LsqrEstimates(stopCode, anorm, acond, r1norm, r2norm, arnorm, xnorm);
        }

        /// <summary>‖b − A·x‖ in the stacked case, where LSQR's ‖r‖ includes the λ‖x‖² part: ‖r‖² − λ‖x‖², x known exactly.</summary>
        private double MisfitOfStacked()
        {
            double r1sq = rnorm * rnorm - Lambda * VectorMath.Dot(X, X);
            return Math.Sign(r1sq) * Math.Sqrt(Math.Abs(r1sq));
        }

        /// <summary>[A; s·I]: A·x on top of s·x; transpose Aᵀ·y₁ + s·y₂.</summary>
        private static LinearOperator Stack(LinearOperator a, double s) => new(a.RowCount + a.ColumnCount, a.ColumnCount,
            (x, y) =>
            {
                a.Apply(x, y[..a.RowCount]);
                var lower = y[a.RowCount..];
                for (int i = 0; i < x.Length; i++) lower[i] = s * x[i];
            },
            (y, x) =>
            {
                a.ApplyTranspose(y[..a.RowCount], x);
                VectorMath.AddScaled(x, s, y[a.RowCount..]);
            });

        /// <summary>SciPy's <c>_sym_ortho</c>: the stable Givens rotation (c, s, r) with c·a + s·b = r, −s·a + c·b = 0.</summary>
        private static (double C, double S, double R) SymOrtho(double a, double b)
        {
            if (b == 0) return (Math.Sign(a), 0, Math.Abs(a));
            if (a == 0) return (0, Math.Sign(b), Math.Abs(b));
            if (Math.Abs(b) > Math.Abs(a))
            {
                double tau = a / b, s = Math.Sign(b) / Math.Sqrt(1 + tau * tau);
                return (s * tau, s, b / s);
            }
            else
            {
                double tau = b / a, c = Math.Sign(a) / Math.Sqrt(1 + tau * tau);
                return (c, c * tau, a / c);
            }
        }

        private static void Scale(Span<double> a, double factor)
        {
            for (int i = 0; i < a.Length; i++) a[i] *= factor;
        }

        /// <summary>
        /// LSQR's tests (istop 1–6) as a MathNet criterion: Converged for 1, 2, 4, 5; StoppedWithoutConvergence for the
        /// condition limit (3, 6), which the report maps to <see cref="SolverStatus.IllConditioned"/>.
        /// </summary>
        public sealed class StopTests(Iteration owner) : IIterationStopCriterion<double>
        {
            public IterationStatus Status { get; private set; }

            public IterationStatus DetermineStatus(int iterationNumber, Vector<double> solutionVector, Vector<double> sourceVector, Vector<double> residualVector)
            {
                if (iterationNumber == 0) return Status = IterationStatus.Continue;
                owner.stopCode = owner.StopCode();
                return Status = owner.stopCode switch
                {
                    0 => IterationStatus.Continue,
                    3 or 6 => IterationStatus.StoppedWithoutConvergence,
                    _ => IterationStatus.Converged,
                };
            }

            public void Reset() => Status = IterationStatus.Continue;

            public IIterationStopCriterion<double> Clone() => new StopTests(owner);
        }
    }
}
