using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Solvers;

/// <summary>
/// Deconvolution: recovers x from y = V·x (+ noise) as the Tikhonov-regularised least-squares solution
/// <c>argmin ‖V·x − y‖₂² + λ‖x‖₂²</c>, by <see cref="Cgls"/> (the default) or <see cref="Lsqr"/> on V and Vᵀ (the
/// convolution and the transposed convolution) without ever forming VᵀV. Direct factorisations of VᵀV + λI live in
/// the separate assembly ConvAsMatrix.SuiteSparse.
/// </summary>
/// <remarks>
/// The minimiser solves (VᵀV + λI)·x = Vᵀy. With λ &gt; 0 it exists and is unique for any V (also
/// strided, non-square, or rank-deficient ones); as λ → 0 it tends to the minimum-norm least-squares
/// solution. Defaults: <see cref="DeconvolutionOptions.DefaultRelativeLambda"/>,
/// <see cref="SolverOptions.DefaultTolerance"/>, <see cref="SolverOptions.DefaultMaxIterations"/>.
/// </remarks>
public static class Deconvolution
{
    /// <summary>Solves for one sample: <paramref name="x"/> receives argmin ‖V·x − y‖² + λ‖x‖².</summary>
    /// <param name="v">V (for example a <see cref="ConvolutionMatrix{T}"/>).</param>
    /// <param name="y">The observed output, length V.RowCount (one sample, (C_out, *out) row-major).</param>
    /// <param name="x">Receives the recovered input, length V.ColumnCount; its content on entry is the starting guess.</param>
    /// <param name="options">λ and stop criteria; null for the defaults.</param>
    /// <returns>The solver's report (status, iterations, residual, history) and λ; non-convergence is a status, not an exception.</returns>
    /// <exception cref="ArgumentException">A length disagrees with V, an option is out of range (named), or λ is left to default and V holds NaN or ∞ (named v).</exception>
    public static DeconvolutionResult Solve(CompressedRowStorage<double> v, ReadOnlySpan<double> y, Span<double> x, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        return Solve(LinearOperator.From(v), y, x, options);
    }

    /// <summary>Solves for one sample with V given by its two products: the structured V (<c>LinearOperator.From(structured)</c>) or any operator.</summary>
    /// <param name="v">V as an operator.</param>
    /// <param name="y">The observed output, length V.RowCount.</param>
    /// <param name="x">Receives the recovered input, length V.ColumnCount; its content on entry is the starting guess.</param>
    /// <param name="options">λ and stop criteria; null for the defaults.</param>
    /// <returns>The solver's report and λ.</returns>
    /// <exception cref="ArgumentException">As <see cref="Solve(CompressedRowStorage{double}, ReadOnlySpan{double}, Span{double}, DeconvolutionOptions?)"/>.</exception>
    public static DeconvolutionResult Solve(LinearOperator v, ReadOnlySpan<double> y, Span<double> x, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        options ??= new DeconvolutionOptions();
        Check.SpanLength(y.Length, v.RowCount, nameof(y));
        Check.SpanLength(x.Length, v.ColumnCount, nameof(x));
        if (options.Lambda is double given) LeastSquaresIteration.CheckLambda(given);
        if (!(options.RelativeLambda >= 0) || double.IsInfinity(options.RelativeLambda))
            throw new ArgumentOutOfRangeException(nameof(options), options.RelativeLambda, $"RelativeLambda must be a finite number >= 0, got {options.RelativeLambda}");
        ArgumentNullException.ThrowIfNull(options.Solver, nameof(options));
        options.Solver.Validate();

        double lambda = options.Lambda ?? DefaultLambda(v, options);
        if (options.Preconditioner is not null && options.Method != DeconvolutionMethod.Cgls)
            throw new ArgumentException($"a preconditioner is applied by CGLS only, not {options.Method}", nameof(options));
        var result = options.Method switch
        {
            DeconvolutionMethod.Cgls when options.Preconditioner is { } m => Cgls.SolvePreconditioned(v, y, x, lambda, m, options.Solver),
            DeconvolutionMethod.Cgls => Cgls.Solve(v, y, x, lambda, options.Solver),
            DeconvolutionMethod.Lsqr => Lsqr.Solve(v, y, x, lambda, options.Solver, options.Lsqr),
            DeconvolutionMethod.Mrnsd => Mrnsd.Solve(v, y, x, lambda, options.Solver),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Method, $"Method must be Cgls, Lsqr or Mrnsd, got {options.Method}"),
        };
        return new DeconvolutionResult(result, lambda);
    }

    /// <summary>Solves a whole batch, sample by sample: output[n] = argmin ‖V·x − input[n]‖² + λ‖x‖².</summary>
    /// <param name="v">V of the convolution.</param>
    /// <param name="input">N samples of V.RowCount values (the convolution's output, (N, C_out, *out)).</param>
    /// <param name="output">N samples of V.ColumnCount values (the convolution's input shape), overwritten.</param>
    /// <param name="options">λ and stop criteria; null for the defaults.</param>
    /// <returns>One report per sample.</returns>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or an option is out of range.</exception>
    public static DeconvolutionResult[] SolveBatch(CompressedRowStorage<double> v, ReadOnlySpan<double> input, Span<double> output, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        return SolveBatch(LinearOperator.From(v), input, output, options);
    }

    /// <summary>Solves a whole batch, sample by sample, with V given by its two products (for example the structured V).</summary>
    /// <param name="v">V as an operator.</param>
    /// <param name="input">N samples of V.RowCount values.</param>
    /// <param name="output">N samples of V.ColumnCount values, overwritten.</param>
    /// <param name="options">λ and stop criteria; null for the defaults.</param>
    /// <returns>One report per sample.</returns>
    /// <exception cref="ArgumentException">The lengths are not whole, equal numbers of samples, or an option is out of range.</exception>
    public static DeconvolutionResult[] SolveBatch(LinearOperator v, ReadOnlySpan<double> input, Span<double> output, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        if (input.Length == 0 || input.Length % v.RowCount != 0)
            throw new ArgumentException($"input has length {input.Length}; SolveBatch needs a positive multiple of {v.RowCount} (one sample)", nameof(input));
        int n = input.Length / v.RowCount;
        if ((long)n * v.ColumnCount != output.Length)
            throw new ArgumentException($"output has length {output.Length}; {n} samples need {(long)n * v.ColumnCount}", nameof(output));
        output.Clear();
        var results = new DeconvolutionResult[n];
        for (int s = 0; s < n; s++)
        {
            results[s] = Solve(v, input.Slice(s * v.RowCount, v.RowCount), output.Slice(s * v.ColumnCount, v.ColumnCount), options);
            // One λ for the whole batch: the norm estimate is done once.
            if (options?.Lambda is null) options = (options ?? new DeconvolutionOptions()) with { Lambda = results[s].Lambda };
        }
        return results;
    }

    /// <summary>The λ <see cref="Solve(CompressedRowStorage{double}, ReadOnlySpan{double}, Span{double}, DeconvolutionOptions?)"/> uses with these options: <see cref="DeconvolutionOptions.Lambda"/>, or <see cref="DeconvolutionOptions.RelativeLambda"/>·‖V‖₂² by power iteration (for a direct solver that needs λ up front).</summary>
    /// <exception cref="ArgumentException">An option is out of range, or λ is left to default and V holds NaN or ∞ (named v).</exception>
    public static double LambdaFor(CompressedRowStorage<double> v, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        return LambdaForOperator(LinearOperator.From(v), options);
    }

    /// <summary>The λ <see cref="Solve(LinearOperator, ReadOnlySpan{double}, Span{double}, DeconvolutionOptions?)"/> uses with these options, for V as an operator (e.g. the structured V): to build a preconditioner for it up front.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or λ is left to default and V holds NaN or ∞.</exception>
    public static double LambdaForOperator(LinearOperator v, DeconvolutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(v);
        options ??= new DeconvolutionOptions();
        if (options.Lambda is double given)
        {
            LeastSquaresIteration.CheckLambda(given);
            return given;
        }
        if (!(options.RelativeLambda >= 0) || double.IsInfinity(options.RelativeLambda))
            throw new ArgumentOutOfRangeException(nameof(options), options.RelativeLambda, $"RelativeLambda must be a finite number >= 0, got {options.RelativeLambda}");
        return DefaultLambda(v, options);
    }

    private static double DefaultLambda(LinearOperator a, DeconvolutionOptions options) =>
        options.RelativeLambda * Square(ScaleOf(a, options.Solver.CancellationToken));

    /// <summary>λ is a heuristic scale: ‖V‖₂² to 1e-4 is plenty, and cheaper than the default 1e-9.</summary>
    private const double NormTolerance = 1e-4;

    /// <summary>If the power iteration crawls (nearly equal top values), its lower bound after this many steps is as good a scale.</summary>
    private const int NormMaxIterations = 1000;

    /// <summary>‖V‖₂ for the default λ; a NaN or ∞ can only come from V's own entries, so it is V that is refused.</summary>
    private static double ScaleOf(LinearOperator a, CancellationToken cancel)
    {
        double norm = SpectralNorm.Estimate(a, NormTolerance, NormMaxIterations, cancellationToken: cancel).Value;
        if (!double.IsFinite(norm))
            throw new ArgumentException($"V has non-finite entries (its norm estimate is {norm}); check the kernel for NaN or infinity", "v");
        return norm;
    }

    private static double Square(double value) => value * value;
}
