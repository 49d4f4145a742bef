using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Regularised least squares <c>min ‖A·x − b‖₂² + λ‖x‖₂²</c> by CGLS (conjugate gradients on the normal
/// equations <c>(AᵀA + λI)·x = Aᵀb</c> without forming AᵀA), matrix-free: one product with A and one with
/// Aᵀ per iteration.
/// </summary>
/// <remarks>
/// <para>The recurrence is Björck's damped CGLS (Björck, <i>Numerical Methods for Least Squares Problems</i>,
/// §7.4): it keeps the residual r = b − A·x and the normal-equation residual s = Aᵀr − λ·x, updating r by
/// recurrence rather than through AᵀA, which is what keeps it stable where plain CG on AᵀA loses
/// digits (κ(AᵀA) = κ(A)²).</para>
/// <para>Stopping is MathNet's: after every iteration an <see cref="Iterator{T}"/> is asked for a status with
/// solution x, source Aᵀb and residual s, so <see cref="ResidualStopCriterion{T}"/> reads
/// ‖s‖∞ &lt; tol·‖Aᵀb‖∞, and any other <see cref="IIterationStopCriterion{T}"/> composes with it.</para>
/// <para><see cref="Lsqr"/> solves the same problem with the same products per iteration and runs in the same
/// frame; see docs/solvers.md for which to use.</para>
/// </remarks>
public static class Cgls
{
    /// <summary>Solves min ‖A·x − b‖² + λ‖x‖², starting from the x passed in, and reports how it ended.</summary>
    /// <param name="a">The operator A (for deconvolution, V).</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Starting guess on entry (zeros for none), the solution on return; length A.ColumnCount.</param>
    /// <param name="lambda">Tikhonov weight λ ≥ 0 (0: plain least squares).</param>
    /// <param name="options">Tolerance, iteration limit, cancellation, extra criteria; null for the defaults.</param>
    /// <returns>Status, iterations and residuals; never throws for non-convergence.</returns>
    /// <exception cref="ArgumentException">A length disagrees with A, λ is negative or not finite, or an option is invalid.</exception>
    public static SolverResult Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, double lambda, SolverOptions? options = null)
    {
        LeastSquaresIteration.CheckArguments(a, b.Length, x.Length, lambda);
        options ??= new SolverOptions();
        return new Iteration(a, b, x, lambda, null).Run(options.CreateIterator(), x, options.MisfitTarget);
    }

    /// <summary>
    /// Preconditioned CGLS (Björck's PCGLS): the same minimiser, CG on (AᵀA + λI)·x = Aᵀb with the symmetric positive
    /// definite M applied as <paramref name="preconditioner"/>: z = M⁻¹·s (for a blur, <see cref="CirculantPreconditioner.Apply"/>).
    /// </summary>
    /// <param name="a">The operator A.</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Starting guess on entry, the solution on return; length A.ColumnCount.</param>
    /// <param name="lambda">Tikhonov weight λ ≥ 0.</param>
    /// <param name="preconditioner">z = M⁻¹·s on vectors of A's columns.</param>
    /// <param name="options">Stop criteria (the relative residual is still ‖Aᵀr − λx‖∞/‖Aᵀb‖∞, unpreconditioned); null for the defaults.</param>
    /// <exception cref="ArgumentException">As <see cref="Solve"/>.</exception>
    public static SolverResult SolvePreconditioned(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, double lambda, SpanMap preconditioner, SolverOptions? options = null)
    {
        LeastSquaresIteration.CheckArguments(a, b.Length, x.Length, lambda);
        ArgumentNullException.ThrowIfNull(preconditioner);
        options ??= new SolverOptions();
        return new Iteration(a, b, x, lambda, preconditioner).Run(options.CreateIterator(), x, options.MisfitTarget);
    }

    /// <summary>Björck's recurrence, preconditioned when M⁻¹ is given (z = M⁻¹s; without, z = s); MathNet's criteria see x, Aᵀb and s = Aᵀr − λx.</summary>
    private sealed class Iteration(LinearOperator a, ReadOnlySpan<double> b, ReadOnlySpan<double> x, double lambda, SpanMap? preconditioner)
        : LeastSquaresIteration(a, b, x, lambda)
    {
        private readonly double[] r = new double[a.RowCount], q = new double[a.RowCount];
        private readonly double[] s = new double[a.ColumnCount], p = new double[a.ColumnCount], source = new double[a.ColumnCount];
        private readonly double[] z = preconditioner is null ? [] : new double[a.ColumnCount];
        private double gamma, misfit;
        private DenseVector? sourceVector, sVector;

        protected override DenseVector Source => sourceVector!;
        protected override DenseVector Residual => sVector!;
        protected override double DataMisfit => misfit;

        protected override double RelativeResidual
        {
            get
            {
                double sourceNorm = sourceVector!.InfinityNorm();
                return sVector!.InfinityNorm() / (sourceNorm > 0 ? sourceNorm : 1);
            }
        }

        protected override IterationStatus Start()
        {
            A.ApplyTranspose(B, source);
            sourceVector = new DenseVector(source);
            sVector = new DenseVector(s);
            // r = b − A·x, s = Aᵀr − λx
            A.Apply(X, r);
            for (int i = 0; i < r.Length; i++) r[i] = B[i] - r[i];
            NormalResidual();
            var zs = Preconditioned();
            zs.CopyTo(p, 0);
            gamma = VectorMath.Dot(s, zs);
            misfit = VectorMath.Norm(r);
            // s = 0 means x already is the minimiser (b in the null space of Aᵀ with x = 0, say): nothing to iterate.
            return gamma == 0 ? IterationStatus.Converged : IterationStatus.Continue;
        }

        protected override bool Step(out IterationStatus verdict)
        {
            A.Apply(p, q);
            double delta = VectorMath.Dot(q, q) + Lambda * VectorMath.Dot(p, p);
            if (!(delta > 0))
            {
                // p = 0 with s ≠ 0 cannot happen in exact arithmetic; δ = 0 or NaN means a breakdown.
                verdict = double.IsNaN(delta) ? IterationStatus.Diverged : IterationStatus.Failure;
                return false;
            }
            double alpha = gamma / delta;
            VectorMath.AddScaled(X, alpha, p);
            VectorMath.AddScaled(r, -alpha, q);
            NormalResidual();
            var zs = Preconditioned();
            double gammaNext = VectorMath.Dot(s, zs);
            double beta = gammaNext / gamma;
            gamma = gammaNext;
            for (int i = 0; i < p.Length; i++) p[i] = zs[i] + beta * p[i];
            misfit = VectorMath.Norm(r);
            verdict = !double.IsFinite(gamma) ? IterationStatus.Diverged
                : gamma == 0 ? IterationStatus.Converged
                : IterationStatus.Continue;
            return true;
        }

        /// <summary>z = M⁻¹·s, or s itself without a preconditioner.</summary>
        private double[] Preconditioned()
        {
            if (preconditioner is null) return s;
            preconditioner(s, z);
            return z;
        }

        /// <summary>s = Aᵀr − λx.</summary>
        private void NormalResidual()
        {
            A.ApplyTranspose(r, s);
            if (Lambda != 0) VectorMath.AddScaled(s, -Lambda, X);
        }
    }
}
