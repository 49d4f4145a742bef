using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Non-negative regularised least squares <c>min ‖A·x − b‖² + λ‖x‖² subject to x ≥ 0</c> by MRNSD, the modified
/// residual norm steepest descent of Nagy &amp; Strakoš (2000), as IR Tools' IRmrnsd: a steepest descent scaled by x
/// itself, d = −X·g, with an exact line search cut where a component would turn negative, so every iterate stays
/// non-negative. One product with A and one with Aᵀ per iteration, like <see cref="Cgls"/>.
/// </summary>
/// <remarks>
/// <para>Convergence is judged by the KKT conditions of the bound-constrained problem (x ≥ 0, g ≥ 0, x_i·g_i = 0, with
/// g = Aᵀ(A·x − b) + λx) through their natural residual, made dimensionless: p_i = min(x_i/‖x‖∞, g_i/‖Aᵀb‖∞), which
/// vanishes exactly at the constrained minimiser (a free component needs g_i = 0, one at the bound g_i ≥ 0) and stays
/// small on components that MRNSD drives geometrically towards zero; the relative residual is ‖p‖∞, compared with
/// <see cref="SolverOptions.Tolerance"/>. With λ = 0 and <see cref="SolverOptions.MisfitTarget"/>
/// it is an iterative regularisation, stopped by the discrepancy principle.</para>
/// <para>The start must be positive in every component (a component at zero never moves): a starting guess with a
/// component ≤ 0 is replaced by the constant c·1 with ‖A·(c·1)‖ = ‖b‖.</para>
/// </remarks>
public static class Mrnsd
{
    /// <summary>Solves the non-negative problem from the x passed in (or a positive constant, see remarks).</summary>
    /// <param name="a">A (for deconvolution, V).</param>
    /// <param name="b">The data, length A.RowCount.</param>
    /// <param name="x">Starting guess on entry, the solution (every component ≥ 0) on return; length A.ColumnCount.</param>
    /// <param name="lambda">Tikhonov weight λ ≥ 0.</param>
    /// <param name="options">Tolerance on the KKT residual, iteration limit, misfit target, cancellation; null for the defaults.</param>
    /// <returns>Status, iterations and the misfit history; never throws for non-convergence.</returns>
    /// <exception cref="ArgumentException">A length disagrees with A, λ is negative or not finite, or an option is invalid.</exception>
    public static SolverResult Solve(LinearOperator a, ReadOnlySpan<double> b, Span<double> x, double lambda, SolverOptions? options = null)
    {
        LeastSquaresIteration.CheckArguments(a, b.Length, x.Length, lambda);
        options ??= new SolverOptions();
        if (Min(x) <= 0) PositiveStart(a, b, x);
        var iteration = new Iteration(a, b, x, lambda);
        return iteration.Run(options.CreateIterator(null, new KktBelow(iteration, options.Tolerance)), x, options.MisfitTarget);
    }

    private static double Min(ReadOnlySpan<double> x)
    {
        double m = double.PositiveInfinity;
        foreach (var v in x) m = Math.Min(m, v);
        return m;
    }

    /// <summary>x = c·1 with ‖A·(c·1)‖ = ‖b‖ (1 when either is zero).</summary>
    private static void PositiveStart(LinearOperator a, ReadOnlySpan<double> b, Span<double> x)
    {
        x.Fill(1);
        var ax = new double[a.RowCount];
        a.Apply(x, ax);
        double scale = VectorMath.Norm(ax), target = VectorMath.Norm(b);
        if (scale > 0 && target > 0) x.Fill(target / scale);
    }

    /// <summary>Converged once the dimensionless KKT residual is at most the tolerance (in place of MathNet's residual criterion, whose vectors it does not have).</summary>
    private sealed class KktBelow(Iteration iteration, double tolerance) : IIterationStopCriterion<double>
    {
        public IterationStatus Status { get; private set; }

        public IterationStatus DetermineStatus(int iterationNumber, MathNet.Numerics.LinearAlgebra.Vector<double> solutionVector,
            MathNet.Numerics.LinearAlgebra.Vector<double> sourceVector, MathNet.Numerics.LinearAlgebra.Vector<double> residualVector) =>
            Status = iteration.Kkt <= tolerance ? IterationStatus.Converged : IterationStatus.Continue;

        public void Reset() => Status = IterationStatus.Continue;

        public IIterationStopCriterion<double> Clone() => new KktBelow(iteration, tolerance);
    }

    /// <summary>The MRNSD recurrence; MathNet's criteria see x, and one-element source (1) and residual (the KKT residual).</summary>
    private sealed class Iteration(LinearOperator a, ReadOnlySpan<double> b, ReadOnlySpan<double> x, double lambda)
        : LeastSquaresIteration(a, b, x, lambda)
    {
        private readonly double[] r = new double[a.RowCount], u = new double[a.RowCount];
        private readonly double[] s = new double[a.ColumnCount], d = new double[a.ColumnCount], atu = new double[a.ColumnCount];
        private readonly double[] source = new double[a.ColumnCount];
        private double misfit, sourceNorm;
        // The KKT residual is already relative: the criteria see its norm against a source of norm 1, one element each (as LSQR's).
        private readonly DenseVector unit = new([1.0]), kkt = new(1);

        protected override DenseVector Source => unit;
        protected override DenseVector Residual => kkt;
        protected override double DataMisfit => misfit;

        protected override double RelativeResidual => kkt[0];

        /// <summary>The KKT residual of the current iterate.</summary>
        public double Kkt => kkt[0];

        protected override IterationStatus Start()
        {
            A.ApplyTranspose(B, source);
            sourceNorm = new DenseVector(source).InfinityNorm();
            // r = b − A·x, s = −g = Aᵀr − λx
            A.Apply(X, r);
            for (int i = 0; i < r.Length; i++) r[i] = B[i] - r[i];
            A.ApplyTranspose(r, s);
            if (Lambda != 0) VectorMath.AddScaled(s, -Lambda, X);
            misfit = VectorMath.Norm(r);
            Project();
            return IterationStatus.Continue;
        }

        protected override bool Step(out IterationStatus verdict)
        {
            // d = X·s: steepest descent scaled by x, so components near the bound move slowly and never cross it.
            double sd = 0, maxStep = double.PositiveInfinity;
            for (int i = 0; i < d.Length; i++)
            {
                d[i] = X[i] * s[i];
                sd += s[i] * d[i];
                if (d[i] < 0) maxStep = Math.Min(maxStep, -X[i] / d[i]);
            }
            if (sd == 0)
            {
                verdict = IterationStatus.Converged;
                return false;
            }
            A.Apply(d, u);
            double curvature = VectorMath.Dot(u, u) + Lambda * VectorMath.Dot(d, d);
            if (!(curvature > 0))
            {
                verdict = double.IsNaN(curvature) ? IterationStatus.Diverged : IterationStatus.Failure;
                return false;
            }
            // The exact line search along d, cut short of where the first component would reach zero: a component at
            // exactly zero would never move again (d = X·s), even where its gradient later asks it to grow.
            double alpha = Math.Min(sd / curvature, 0.99 * maxStep);
            for (int i = 0; i < d.Length; i++) X[i] = Math.Max(0, X[i] + alpha * d[i]);
            VectorMath.AddScaled(r, -alpha, u);
            A.ApplyTranspose(u, atu);
            VectorMath.AddScaled(s, -alpha, atu);
            if (Lambda != 0) VectorMath.AddScaled(s, -alpha * Lambda, d);
            misfit = VectorMath.Norm(r);
            Project();
            verdict = double.IsFinite(misfit) ? IterationStatus.Continue : IterationStatus.Diverged;
            return true;
        }

        /// <summary>The KKT natural residual min(x_i/‖x‖∞, g_i/‖Aᵀb‖∞), g = −s.</summary>
        private void Project()
        {
            double top = 0;
            foreach (var v in X) top = Math.Max(top, v);
            double xs = top > 0 ? 1 / top : 1, gs = sourceNorm > 0 ? 1 / sourceNorm : 1, worst = 0;
            for (int i = 0; i < s.Length; i++) worst = Math.Max(worst, Math.Abs(Math.Min(X[i] * xs, -s[i] * gs)));
            kkt[0] = worst;
        }
    }
}
