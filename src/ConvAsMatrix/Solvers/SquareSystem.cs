using ConvAsMatrix.Interop;
using MathNet.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Double.Solvers;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// V·x = y for a square V (same-size convolution, C_in = C_out) with MathNet's preconditioned Krylov solvers
/// (<see cref="BiCgStab"/>, <see cref="TFQMR"/>, <see cref="GpBiCg"/>, ...) on V as a MathNet sparse matrix.
/// No regularisation: use it when V is well conditioned (for example a sharpening or an identity-dominated
/// kernel); ill-conditioned blurs belong to <see cref="Deconvolution"/>.
/// </summary>
/// <remarks>
/// Defaults: <see cref="BiCgStab"/> (no transpose products, smooth convergence on non-symmetric V) with a
/// <see cref="DiagonalPreconditioner"/> (cheap and never fails for V with a non-zero diagonal, which a
/// same-size convolution with a non-zero centre tap has); pass an <see cref="ILU0Preconditioner"/> for harder
/// systems. The residual history is recorded by a stop criterion that watches MathNet's residual vector. A
/// breakdown MathNet signals by exception (a zero ILU pivot, a vanishing BiCGStab inner product) is returned as
/// <see cref="SolverStatus.Failed"/>, with the iterate reached so far.
/// </remarks>
public static class SquareSystem
{
    /// <summary>Solves V·x = y; <paramref name="x"/> holds the starting guess on entry, the solution on return.</summary>
    /// <param name="v">A square matrix.</param>
    /// <param name="y">The right-hand side, length V.RowCount.</param>
    /// <param name="x">Starting guess and result, length V.ColumnCount.</param>
    /// <param name="solver">A MathNet iterative solver; null for <see cref="BiCgStab"/>.</param>
    /// <param name="preconditioner">A MathNet preconditioner (initialised here); null for <see cref="DiagonalPreconditioner"/>.</param>
    /// <param name="options">Tolerance (on ‖y − V·x‖∞/‖y‖∞), iteration limit, cancellation, extra criteria; null for the defaults.</param>
    /// <returns>Status, iterations, final residuals and the residual history; non-convergence is a status.</returns>
    /// <exception cref="ArgumentException">V is not square, a length disagrees, or an option is invalid.</exception>
    public static SolverResult Solve(CompressedRowStorage<double> v, ReadOnlySpan<double> y, Span<double> x,
        IIterativeSolver<double>? solver = null, IPreconditioner<double>? preconditioner = null, SolverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (v.RowCount != v.ColumnCount)
            throw new ArgumentException($"V is {v.RowCount} x {v.ColumnCount}; a square system needs as many rows as columns (use Deconvolution for least squares)", nameof(v));
        Check.SpanLength(y.Length, v.RowCount, nameof(y));
        Check.SpanLength(x.Length, v.ColumnCount, nameof(x));
        options ??= new SolverOptions();
        var recorder = new ResidualRecorder();
        var iterator = options.CreateIterator(recorder);

        var matrix = v.ToMathNet();
        var b = new DenseVector(y.ToArray());
        var result = new DenseVector(x.ToArray());
        var start = b - matrix * result;
        recorder.History.Add(start.L2Norm());
        preconditioner ??= new DiagonalPreconditioner();
        bool brokeDown = false;
        try
        {
            preconditioner.Initialize(matrix);
            (solver ?? new BiCgStab()).Solve(matrix, b, result, iterator, preconditioner);
        }
        catch (NumericalBreakdownException)
        {
            // MathNet signals a zero pivot (ILU) or a vanishing inner product (BiCGStab, ML(k)-BiCGStab) this way;
            // for us it is a status like any other way of not converging.
            brokeDown = true;
        }

        result.Values.CopyTo(x);
        var residual = b - matrix * result;
        double bNorm = b.InfinityNorm();
        return new SolverResult(brokeDown ? SolverStatus.Failed : SolverResult.From(iterator.Status), recorder.Iterations, residual.L2Norm(),
            residual.InfinityNorm() / (bNorm > 0 ? bNorm : 1), recorder.History);
    }

    /// <summary>Never stops anything: records ‖residual‖₂ at every status check (MathNet passes the true residual).</summary>
    private sealed class ResidualRecorder : IIterationStopCriterion<double>
    {
        public List<double> History { get; } = [];
        public int Iterations { get; private set; }
        public IterationStatus Status => IterationStatus.Continue;

        public IterationStatus DetermineStatus(int iterationNumber, Vector<double> solutionVector, Vector<double> sourceVector, Vector<double> residualVector)
        {
            Iterations = iterationNumber;
            History.Add(residualVector.L2Norm());
            return IterationStatus.Continue;
        }

        public void Reset() { }

        public IIterationStopCriterion<double> Clone() => new ResidualRecorder();
    }
}
