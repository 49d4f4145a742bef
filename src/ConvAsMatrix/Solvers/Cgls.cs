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
        ArgumentNullException.ThrowIfNull(a);
        Check.SpanLength(b.Length, a.RowCount, nameof(b));
        Check.SpanLength(x.Length, a.ColumnCount, nameof(x));
        CheckLambda(lambda);
        options ??= new SolverOptions();
        var iterator = options.CreateIterator();
        return SolveUnchecked(a, b, x, lambda, iterator);
    }

    internal static void CheckLambda(double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be a finite number >= 0, got {lambda}");
    }

    private static SolverResult SolveUnchecked(LinearOperator a, ReadOnlySpan<double> b, Span<double> xSpan, double lambda, Iterator<double> iterator)
    {
        int m = a.RowCount, n = a.ColumnCount;
        // MathNet's criteria take vectors; these wrap the arrays the recurrence works on (no copies per iteration).
        var x = xSpan.ToArray();
        var r = new double[m];
        var q = new double[m];
        var s = new double[n];
        var p = new double[n];
        var source = new double[n];
        a.ApplyTranspose(b, source);
        var xVector = new DenseVector(x);
        var sVector = new DenseVector(s);
        var sourceVector = new DenseVector(source);

        // r = b − A·x, s = Aᵀr − λx
        a.Apply(x, r);
        for (int i = 0; i < m; i++) r[i] = b[i] - r[i];
        NormalResidual(a, r, x, lambda, s);
        s.CopyTo(p, 0);
        double gamma = VectorMath.Dot(s, s);
        var history = new List<double> { VectorMath.Norm(r) };

        int k = 0;
        // s = 0 means x already is the minimiser (b in the null space of Aᵀ with x = 0, say): nothing to iterate.
        var status = gamma == 0 ? IterationStatus.Converged : iterator.DetermineStatus(k, xVector, sourceVector, sVector);
        while (status == IterationStatus.Continue)
        {
            a.Apply(p, q);
            double delta = VectorMath.Dot(q, q) + lambda * VectorMath.Dot(p, p);
            if (!(delta > 0))
            {
                // p = 0 with s ≠ 0 cannot happen in exact arithmetic; δ = 0 or NaN means a breakdown.
                status = double.IsNaN(delta) ? IterationStatus.Diverged : IterationStatus.Failure;
                break;
            }
            double alpha = gamma / delta;
            VectorMath.AddScaled(x, alpha, p);
            VectorMath.AddScaled(r, -alpha, q);
            NormalResidual(a, r, x, lambda, s);
            double gammaNext = VectorMath.Dot(s, s);
            double beta = gammaNext / gamma;
            gamma = gammaNext;
            for (int i = 0; i < n; i++) p[i] = s[i] + beta * p[i];
            k++;
            history.Add(VectorMath.Norm(r));
            status = !double.IsFinite(gamma) ? IterationStatus.Diverged
                : gamma == 0 ? IterationStatus.Converged
                : iterator.DetermineStatus(k, xVector, sourceVector, sVector);
        }

        x.CopyTo(xSpan);
        double sourceNorm = sourceVector.InfinityNorm();
        double relative = sVector.InfinityNorm() / (sourceNorm > 0 ? sourceNorm : 1);
        return new SolverResult(SolverResult.From(status), k, history[^1], relative, history);
    }

    /// <summary>s = Aᵀr − λx.</summary>
    private static void NormalResidual(LinearOperator a, double[] r, double[] x, double lambda, double[] s)
    {
        a.ApplyTranspose(r, s);
        if (lambda != 0) VectorMath.AddScaled(s, -lambda, x);
    }
}
