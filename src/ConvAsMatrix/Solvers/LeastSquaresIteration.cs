using MathNet.Numerics.LinearAlgebra.Double;
using MathNet.Numerics.LinearAlgebra.Solvers;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// The frame both matrix-free least-squares methods (<see cref="Cgls"/>, <see cref="Lsqr"/>) run in for
/// <c>min ‖A·x − b‖² + λ‖x‖²</c>: argument checks, the iterate, the loop that alternates one step of the
/// recurrence with MathNet's <see cref="Iterator{T}"/>, the residual history and the report.
/// </summary>
/// <remarks>
/// A method supplies the recurrence (<see cref="Start"/>, <see cref="Step"/>), the vectors its stop criteria see
/// (<see cref="Source"/>, <see cref="Residual"/>), ‖b − A·x‖ of the current iterate and the relative residual the
/// tolerance is compared with. The frame asks the iterator after the start and after every step, unless the
/// recurrence itself has already decided (an exact solution, a breakdown).
/// </remarks>
internal abstract class LeastSquaresIteration
{
    protected LeastSquaresIteration(LinearOperator a, ReadOnlySpan<double> b, ReadOnlySpan<double> x, double lambda)
    {
        A = a;
        B = b.ToArray();
        X = x.ToArray();
        Lambda = lambda;
        XVector = new DenseVector(X);
    }

    protected LinearOperator A { get; }

    /// <summary>The data b (a copy: the caller's span cannot be held across the iteration).</summary>
    protected double[] B { get; }

    /// <summary>The iterate, updated in place by the recurrence.</summary>
    protected double[] X { get; }

    protected double Lambda { get; }

    /// <summary>MathNet's view of <see cref="X"/> (no copy).</summary>
    protected DenseVector XVector { get; }

    /// <summary>What the stop criteria receive as the source vector.</summary>
    protected abstract DenseVector Source { get; }

    /// <summary>What the stop criteria receive as the residual vector.</summary>
    protected abstract DenseVector Residual { get; }

    /// <summary>‖b − A·x‖₂ of the current iterate (computed or estimated by the recurrence).</summary>
    protected abstract double DataMisfit { get; }

    /// <summary>The quantity the tolerance is compared with (see <see cref="SolverResult.RelativeResidual"/>).</summary>
    protected abstract double RelativeResidual { get; }

    /// <summary>Initialises the recurrence from <see cref="X"/>; <see cref="IterationStatus.Converged"/> when x already is the minimiser.</summary>
    protected abstract IterationStatus Start();

    /// <summary>One iteration.</summary>
    /// <param name="verdict"><see cref="IterationStatus.Continue"/> to let the stop criteria decide; anything else ends the solve.</param>
    /// <returns>False when the recurrence broke down before changing the iterate (the step does not count).</returns>
    protected abstract bool Step(out IterationStatus verdict);

    /// <summary>Maps the final MathNet status onto ours (a method may know more, such as LSQR's condition limit).</summary>
    protected virtual SolverStatus Map(IterationStatus status) => SolverResult.From(status);

    /// <summary>Extra figures for the report (LSQR's estimates), or null.</summary>
    protected virtual LsqrEstimates? Estimates(IterationStatus status) => null;

    /// <summary>Checks λ the way every least-squares entry point does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">λ is negative, NaN or infinite (named lambda).</exception>
    public static void CheckLambda(double lambda)
    {
        if (!(lambda >= 0) || double.IsInfinity(lambda))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, $"lambda must be a finite number >= 0, got {lambda}");
    }

    /// <summary>Converged when the data misfit has reached the target, else null (the other criteria decide).</summary>
    private IterationStatus? Discrepancy(double? target) => target is double t && DataMisfit <= t ? IterationStatus.Converged : null;

    /// <summary>The checks of a public Solve(A, b, x, λ): lengths against A, then λ.</summary>
    public static void CheckArguments(LinearOperator a, int bLength, int xLength, double lambda)
    {
        ArgumentNullException.ThrowIfNull(a);
        Check.SpanLength(bLength, a.RowCount, "b", "Solve");
        Check.SpanLength(xLength, a.ColumnCount, "x", "Solve");
        CheckLambda(lambda);
    }

    /// <summary>Runs to a stop, writes the iterate into <paramref name="x"/> and reports.</summary>
    /// <param name="iterator">The stop criteria.</param>
    /// <param name="x">Receives the final iterate.</param>
    /// <param name="misfitTarget">Stop, converged, once ‖b − A·x_k‖ is at most this (<see cref="SolverOptions.MisfitTarget"/>); null for none.</param>
    public SolverResult Run(Iterator<double> iterator, Span<double> x, double? misfitTarget = null)
    {
        var status = Start();
        var history = new List<double> { DataMisfit };
        int k = 0;
        if (status == IterationStatus.Continue) status = Discrepancy(misfitTarget) ?? iterator.DetermineStatus(k, XVector, Source, Residual);
        while (status == IterationStatus.Continue)
        {
            if (!Step(out status)) break;
            k++;
            history.Add(DataMisfit);
            if (status == IterationStatus.Continue) status = Discrepancy(misfitTarget) ?? iterator.DetermineStatus(k, XVector, Source, Residual);
        }
        X.CopyTo(x);
        return new SolverResult(Map(status), k, history[^1], RelativeResidual, history) { Lsqr = Estimates(status) };
    }
}
