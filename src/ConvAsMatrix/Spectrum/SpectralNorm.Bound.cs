using System.Diagnostics;
using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

public static partial class SpectralNorm
{
    /// <summary>‖V‖₂ of a convolution as a certified interval, at any size: an upper bound from the closed-form
    /// spectrum of a circular convolution that contains V (the polyphase one for strided V), a lower bound from
    /// Golub–Kahan–Lanczos on V started at that circular operator's top singular vector, the exact value for circular
    /// padding, and exact to round-off for small V (a Cholesky certificate of its banded Gram matrix).</summary>
    /// <param name="a">The operator V of <paramref name="geometry"/> with this weight (explicit or structured): only the lower bound uses it.</param>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major, finite.</param>
    /// <param name="geometry">Any geometry: rank 1–3, every padding mode, stride, dilation, groups, output_padding.</param>
    /// <param name="tolerance">Stop the power iteration when the relative width (Upper − Lower)/Upper or the eigen-residual
    /// ‖VᵀV·x − σ²·x‖/σ² is at most this; positive. Where the upper end keeps the interval wider than that, the lower end
    /// also stops once that residual r gives r·σ/2 at most 1 % of the interval's width (some singular value lies within
    /// about r·σ/2 of σ, so further steps could narrow the interval by little more).</param>
    /// <param name="maxIterations">At most this many power steps; at least 1.</param>
    /// <param name="cancellationToken">Checked per frequency block and per Lanczos step: cancelled during the upper bound it throws
    /// <see cref="OperationCanceledException"/>; during the Lanczos steps it returns the interval so far with status Cancelled.</param>
    /// <param name="width">Also stop once the relative width (Upper − Lower)/Upper is at most this (0, the default: only
    /// <paramref name="tolerance"/> decides). At real size the interval's width, not the eigen-residual, is what can be
    /// reached: W6's is 1e-4 after one product, while its eigen-residual would need thousands.</param>
    /// <remarks>
    /// <para><b>Upper bound.</b> V is embedded in the circular convolution C_N on a grid of N = n + before + after points
    /// per dimension (<c>CirculantEmbedding</c>): zero-padded V is a row-and-column subset of C_N (no tap wraps on that
    /// grid), strided V a row subset of the stride-1 one, a transposed convolution's cropped rows another row subset,
    /// reflect/replicate V = C·P with the padding matrix P of norm ∏_d √(max column count) (√2 per reflected
    /// dimension), and circular V a row selection of C_n with ‖R‖ = √(max row multiplicity). So ‖V‖₂ ≤ F·‖C_N‖₂, and
    /// ‖C_N‖₂ = max_f σ_max(P(f)) over the N-point DFT frequencies (Sedghi, Gupta &amp; Long 2019), groups giving a
    /// block-diagonal P(f). The circular norm on the unpadded n is NOT a bound for zero padding. The maximum is
    /// certified frequency by frequency with a Cholesky factorisation of τ·I − P(f)ᴴP(f), no SVD per frequency, with
    /// the round-off of every step added (<c>CirculantSpectrum</c>): the bound exceeds F·‖C_N‖₂ by a relative 5e-11
    /// plus round-off terms of order 1e-11·√taps·channels.</para>
    /// <para><b>Strided V</b> is bounded instead by the strided circular convolution on the padded grid rounded up to a
    /// multiple of the stride, whose polyphase blocks (<c>PolyphaseGram</c>) give its norm exactly: per output frequency g
    /// a C_out × C_in·∏s matrix coupling the input frequencies that alias onto g.</para>
    /// <para><b>Lower bound.</b> Any x gives σ_max ≥ ‖V·x‖/‖x‖. Golub–Kahan–Lanczos with full reorthogonalisation
    /// (<c>LanczosNorm</c>; the Ritz values of the bidiagonal interlace V's singular values) starts from the real part of the
    /// plane wave at the peak frequency, carrying P(f)'s top right singular vector, under a sine window (Rayleigh loss
    /// O(1/n²) instead of O(1/n) for the cut-off wave). No Ritz value is reported: each cycle multiplies its Ritz vector,
    /// and the lower end is that ‖V·x‖/‖x‖ less the products' round-off: γ_{2(rows + columns) + 8}·σ + γ_{4·taps·C_in/g}·‖Σₜ|W_t|‖_F·F.</para>
    /// <para><b>Small V</b> (a banded Gram Cholesky of at most 4·10¹⁰ multiply-adds and 512 MiB, <c>DenseNorm</c>): Lanczos
    /// from a Gaussian start to the tolerance, then a Cholesky factorisation of τ·I − G, G = VᵀV or VVᵀ formed from the
    /// weight, proves ‖V‖₂² ≤ τ for τ = σ²(1 + 10⁻⁹) plus the rounding of forming G and of the factorisation:
    /// <see cref="NormBound.Exact"/> is true and the interval about 10⁻⁹ wide.</para>
    /// <para><b>Exact.</b> For circular padding where every output row is a distinct row of C_n and every row occurs
    /// (stride 1 with before + after = dilation·(k − 1), or any stride coprime to n with n outputs), ‖V‖₂ = ‖C_n‖₂ and
    /// the unwindowed plane wave attains it: <see cref="NormBound.Exact"/> is true and one product confirms it.</para>
    /// <para>Compare Araujo et al., "On Lipschitz regularization of convolutional layers using Toeplitz matrix theory"
    /// (AAAI 2021), whose bound is the supremum over continuous frequencies (≥ this grid maximum), and Delattre et al.,
    /// "Efficient bound of Lipschitz constant for convolutional layers by Gram iteration" (ICML 2023) and
    /// arXiv 2402.00240, who bound the same circular norm by Gram iteration on all frequencies at once.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">The weight's length or the operator's size disagrees with the geometry, the weight
    /// is not finite, the tolerance is not positive and finite, or maxIterations &lt; 1.</exception>
    public static NormBound Bound(LinearOperator a, ReadOnlySpan<double> weight, ConvGeometry geometry, double tolerance = DefaultTolerance,
        int maxIterations = DefaultMaxIterations, CancellationToken cancellationToken = default, double width = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(geometry);
        Check.SpanLength(weight.Length, geometry.WeightLength, nameof(weight));
        if (a.RowCount != geometry.OutputLength || a.ColumnCount != geometry.InputLength)
            throw new ArgumentException($"the operator is {a.RowCount} x {a.ColumnCount} but V of {geometry} is {geometry.OutputLength} x {geometry.InputLength}", nameof(a));
        foreach (var w in weight)
            if (!double.IsFinite(w)) throw new ArgumentException($"the weight has a non-finite entry ({w}); the norm of V is then not defined", nameof(weight));
        if (!(tolerance > 0) || double.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, $"tolerance must be a positive finite number, got {tolerance}");
        if (!(width >= 0) || double.IsInfinity(width))
            throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be a finite number >= 0, got {width}");
        Check.AtLeast(maxIterations, 1, nameof(maxIterations));
        return BoundUnchecked(a, weight, geometry, Math.Max(tolerance, width), tolerance, maxIterations, cancellationToken);
    }

    /// <summary>The same with V given as a compressed matrix (for example <see cref="ConvolutionMatrix{T}"/>'s).</summary>
    /// <exception cref="ArgumentException">See <see cref="Bound(LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>.</exception>
    public static NormBound Bound(CompressedRowStorage<double> matrix, ReadOnlySpan<double> weight, ConvGeometry geometry, double tolerance = DefaultTolerance,
        int maxIterations = DefaultMaxIterations, CancellationToken cancellationToken = default, double width = 0) =>
        Bound(LinearOperator.From(matrix), weight, geometry, tolerance, maxIterations, cancellationToken, width);

    /// <summary>The same for a convolution operator (the structured V, or the explicit one), whose geometry it carries.</summary>
    /// <param name="v">V, for example <c>StructuredConvolution&lt;double&gt;.Compile(weight, geometry)</c>.</param>
    /// <param name="weight">The weight V was compiled from (the upper bound is computed from it, not from V).</param>
    /// <param name="tolerance">See <see cref="Bound(LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>.</param>
    /// <param name="maxIterations">At most this many power steps; at least 1.</param>
    /// <param name="cancellationToken">As for the operator overload.</param>
    /// <param name="width">As for the operator overload.</param>
    /// <exception cref="ArgumentException">See <see cref="Bound(LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>.</exception>
    public static NormBound Bound(IConvolutionOperator<double> v, ReadOnlySpan<double> weight, double tolerance = DefaultTolerance,
        int maxIterations = DefaultMaxIterations, CancellationToken cancellationToken = default, double width = 0)
    {
        ArgumentNullException.ThrowIfNull(v);
        return Bound(LinearOperator.From(v), weight, v.Geometry, tolerance, maxIterations, cancellationToken, width);
    }

    private static NormBound BoundUnchecked(LinearOperator a, ReadOnlySpan<double> weight, ConvGeometry g, double widthTolerance, double tolerance, int maxIterations, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var embedding = CirculantEmbedding.Strided(g) ?? CirculantEmbedding.Of(g);
        int taps = g.WeightLength / (g.OutChannels * (g.InChannels / g.Groups));
        double productError = CirculantSpectrum.Gamma(4L * taps * (g.InChannels / g.Groups)) * AbsoluteWeightNorm(weight, g, taps) * Math.Sqrt(embedding.FactorSquared);
        double normError = CirculantSpectrum.Gamma(2L * (g.OutputLength + g.InputLength) + 8);
        double upper = double.PositiveInfinity;
        double Lower(double sigma) => Math.Max(0, sigma * (1 - normError) - productError);
        bool Enough(double sigma) => double.IsFinite(upper) && upper - Lower(sigma) <= widthTolerance * upper;
        // Where the upper end is what keeps the interval wide, the lower one need not converge further than its share of
        // that width: the eigen-residual r puts an eigenvalue of VᵀV within r·σ² of the Ritz value σ², so σ within r·σ/2
        // (the tolerance would take two to three times the products for nothing the width shows).
        bool Settled(double sigma, double residual) => double.IsFinite(upper) && residual * sigma / 2 <= SettledShare * (upper - Lower(sigma));
        double best = 0, lower = 0;
        int products = 0;
        var upperCancel = cancel;
        if (!embedding.Exact && DenseNorm.Applies(g))
        {
            // Small V: Lanczos from a Gaussian start to the tolerance, then the dense certificate above its value. The
            // circular bound (whose tap-pair table costs as much as the Gram's) is only computed if the certificate fails.
            var start = new double[a.ColumnCount];
            VectorMath.FillGaussian(new Random(0), start);
            Normalize(start);
            var first = LanczosNorm.Run(a, start, tolerance, maxIterations, Enough, cancel);
            products = first.Products;
            (best, lower) = (first.Best, Lower(first.Best));
            if (best > 0 && first.Status is SolverStatus.Converged or SolverStatus.IterationLimit && DenseNorm.Upper(weight, g, best, cancel) is double dense)
                return new NormBound(best, Math.Min(lower, best), Math.Max(dense, best), true,
                    "exact to round-off; lower: Golub-Kahan-Lanczos from a Gaussian start; upper: Cholesky certificate of the dense Gram matrix",
                    products, clock.Elapsed.TotalSeconds, SolverStatus.Converged, first.Residual);
            // Cancelled during these steps: the interval so far still needs an upper end, and V is small enough for the
            // circular bound to take a moment.
            if (first.Status == SolverStatus.Cancelled && products > 0) upperCancel = CancellationToken.None;
        }
        var circular = CircularBound.Of(weight, g, upperCancel);
        double factor = Math.Sqrt(embedding.FactorSquared);
        upper = circular.Upper;
        if (upper == 0)
            return new NormBound(0, 0, 0, true, "zero weight: V = 0", products, clock.Elapsed.TotalSeconds, SolverStatus.Converged, 0);
        // The limit may already be spent on a small V's first run: then the circular bound alone closes the interval.
        var run = maxIterations > products
            ? LanczosNorm.Run(a, circular.Start, tolerance, maxIterations - products, Enough, cancel, Settled)
            : new LanczosResult(best, 0, SolverStatus.IterationLimit, double.PositiveInfinity);
        if (run.Best > best || double.IsNaN(run.Best)) (best, lower) = (run.Best, Lower(run.Best));
        var status = run.Status;
        double residual = embedding.Exact ? 0 : run.Residual;
        if (status == SolverStatus.Diverged) best = double.NaN;
        double value = embedding.Exact ? circular.Best : best;
        value = Math.Min(value, upper);
        lower = Math.Min(lower, value);
        string method = embedding.Exact
            ? $"exact: {circular.Method}"
            : $"lower: Golub-Kahan-Lanczos from {(g.PaddingMode == PaddingMode.Circular ? "the" : "a windowed")} plane wave; upper: {circular.Method} x padding factor {factor.ToString("G6", CultureInfo.InvariantCulture)}";
        return new NormBound(value, lower, upper, embedding.Exact, method, products + run.Products, clock.Elapsed.TotalSeconds, status, residual);
    }

    /// <summary>‖Σₜ|W_t|‖_F over all groups: a bound on ‖ |C| ‖₂ of the circular operator of |w|, whose peak is at f = 0.</summary>
    private static double AbsoluteWeightNorm(ReadOnlySpan<double> weight, ConvGeometry g, int taps)
    {
        double sum2 = 0;
        for (int pair = 0; pair < g.WeightLength / taps; pair++)
        {
            double s = 0;
            foreach (var w in weight.Slice(pair * taps, taps)) s += Math.Abs(w);
            sum2 += s * s;
        }
        return Math.Sqrt(sum2);
    }
}
