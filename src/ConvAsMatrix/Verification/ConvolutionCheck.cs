namespace ConvAsMatrix.Verification;

/// <summary>
/// Checks someone else's convolution output against V: compares it with V·x + bias (or Vᵀ·y + bias for a
/// transposed convolution), says where it differs, and which common mistake (<see cref="ConvolutionMistake.All"/>)
/// reproduces it exactly, by recomputing under each. The gradients of both (<see cref="CheckedOperation"/>) are
/// checked the same way against Vᵀ·g, V·g and U(x)ᵀ·g.
/// </summary>
/// <remarks>
/// <para>Element i agrees when |claimed_i − expected_i| ≤ tolerance · A_i, with A_i = Σ_j |w_j·x_j| + |b| the sum of
/// the magnitudes of the products that element sums (computed as the same convolution of |x|, |w|, |b|). Any
/// summation order in a precision with unit round-off u errs by at most F·u·A_i (F the products summed, the fan-in),
/// so the default tolerance is <c>4·F·u</c>: F = (C_in/groups)·∏k (+1 with a bias), u = 2⁻²⁴ for float32 and 2⁻⁵³
/// for float64. The factor 4 leaves room for FMA, blocked and Winograd-style summation; the mistakes change elements
/// by a sizeable fraction of A_i.</para>
/// <para>Tolerance 0 asks for exact agreement: for integer data, whose sums are exact in float64 below 2^53 (larger ones
/// are refused).</para>
/// <para>A mistake reproduces the output when its recomputation agrees with it under the same rule. Mistakes that
/// change the output's shape are tried too, so a shape mismatch can be explained (no-padding, stride-dilation-swapped).</para>
/// <para>For a gradient the products are those of Vᵀ·g, V·g or U(x)ᵀ·g and A_i is the same gradient of the
/// magnitudes: F = (C_out/groups)·∏k for conv's input gradient (it is a transposed convolution), weight.shape[1]·∏k
/// for conv_transpose's, and N·∏out (the batch times the forward convolution's output positions) for a weight
/// gradient.</para>
/// <para>Input and claimed output may both be unbatched (C, *spatial), as PyTorch accepts; then the output gradient
/// is too, and a claimed input gradient; a weight gradient never has a batch.</para>
/// </remarks>
public static class ConvolutionCheck
{
    /// <summary>The default tolerance 4·F·u for a fan-in of <paramref name="fanIn"/> products.</summary>
    /// <param name="fanIn">Products one output element sums (bias included), at least 1.</param>
    /// <param name="singlePrecision">True for float32 data (u = 2⁻²⁴), false for float64 (u = 2⁻⁵³).</param>
    public static double DefaultTolerance(int fanIn, bool singlePrecision) =>
        4.0 * Math.Max(1, fanIn) * (singlePrecision ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53));

    /// <summary>Checks <paramref name="claimed"/> against <c>conv(input, weight, bias)</c> computed as V·x + bias.</summary>
    /// <param name="input">(N, C_in, *spatial) or unbatched (C_in, *spatial).</param>
    /// <param name="weight">(C_out, C_in/groups, *k).</param>
    /// <param name="bias">(C_out) or null.</param>
    /// <param name="claimed">The output to check.</param>
    /// <param name="options">The convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, the tolerance is not positive, or the claimed output's rank differs from the input's.</exception>
    public static ConvolutionCheckResult Conv(Tensor<double> input, Tensor<double> weight, Tensor<double>? bias, Tensor<double> claimed,
        ConvOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.Conv, input, weight, bias, null, claimed, options, null, tolerance, singlePrecision);

    /// <summary>Checks <paramref name="claimed"/> against <c>conv_transpose(input, weight, bias)</c> computed as Vᵀ·y + bias.</summary>
    /// <param name="input">(N, C_in, *spatial) or unbatched (C_in, *spatial).</param>
    /// <param name="weight">(C_in, C_out/groups, *k).</param>
    /// <param name="bias">(C_out) or null.</param>
    /// <param name="claimed">The output to check.</param>
    /// <param name="options">The transposed convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, the tolerance is not positive, or the claimed output's rank differs from the input's.</exception>
    public static ConvolutionCheckResult ConvTranspose(Tensor<double> input, Tensor<double> weight, Tensor<double>? bias, Tensor<double> claimed,
        ConvTransposeOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.ConvTranspose, input, weight, bias, null, claimed, null, options, tolerance, singlePrecision);

    /// <summary>Checks a claimed input gradient of <c>conv(input, weight)</c> against Vᵀ·gradOutput (<see cref="Functional.ConvInputGrad{T}"/>).</summary>
    /// <param name="input">The forward pass's input (N, C_in, *spatial) or unbatched (C_in, *spatial); only its shape is used.</param>
    /// <param name="weight">(C_out, C_in/groups, *k).</param>
    /// <param name="gradOutput">The gradient of conv's output, (N, C_out, *out) (unbatched as the input is).</param>
    /// <param name="claimed">The input gradient to check.</param>
    /// <param name="options">The convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, gradOutput's shape is not conv's output shape, the tolerance is not positive, or a rank differs from the input's.</exception>
    public static ConvolutionCheckResult ConvGradInput(Tensor<double> input, Tensor<double> weight, Tensor<double> gradOutput, Tensor<double> claimed,
        ConvOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.ConvGradInput, input, weight, null, gradOutput, claimed, options, null, tolerance, singlePrecision);

    /// <summary>Checks a claimed weight gradient of <c>conv(input, weight)</c> against U(input)ᵀ·gradOutput summed over the batch (<see cref="Functional.ConvWeightGrad{T}"/>).</summary>
    /// <param name="input">(N, C_in, *spatial) or unbatched (C_in, *spatial).</param>
    /// <param name="weight">(C_out, C_in/groups, *k); only its shape is used.</param>
    /// <param name="gradOutput">The gradient of conv's output, (N, C_out, *out) (unbatched as the input is).</param>
    /// <param name="claimed">The weight gradient to check, (C_out, C_in/groups, *k).</param>
    /// <param name="options">The convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, gradOutput's shape is not conv's output shape, the tolerance is not positive, or the claimed gradient's rank differs from the weight's.</exception>
    public static ConvolutionCheckResult ConvGradWeight(Tensor<double> input, Tensor<double> weight, Tensor<double> gradOutput, Tensor<double> claimed,
        ConvOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.ConvGradWeight, input, weight, null, gradOutput, claimed, options, null, tolerance, singlePrecision);

    /// <summary>Checks a claimed input gradient of <c>conv_transpose(input, weight)</c> against V·gradOutput (<see cref="Functional.ConvTransposeInputGrad{T}"/>).</summary>
    /// <param name="input">The forward pass's input (N, C_in, *spatial) or unbatched (C_in, *spatial); only its shape is used.</param>
    /// <param name="weight">(C_in, C_out/groups, *k).</param>
    /// <param name="gradOutput">The gradient of conv_transpose's output, (N, C_out, *out) (unbatched as the input is).</param>
    /// <param name="claimed">The input gradient to check.</param>
    /// <param name="options">The transposed convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, gradOutput's shape is not conv_transpose's output shape, the tolerance is not positive, or a rank differs from the input's.</exception>
    public static ConvolutionCheckResult ConvTransposeGradInput(Tensor<double> input, Tensor<double> weight, Tensor<double> gradOutput, Tensor<double> claimed,
        ConvTransposeOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.ConvTransposeGradInput, input, weight, null, gradOutput, claimed, null, options, tolerance, singlePrecision);

    /// <summary>Checks a claimed weight gradient of <c>conv_transpose(input, weight)</c>, in its (C_in, C_out/groups, *k) layout, against <see cref="Functional.ConvTransposeWeightGrad{T}"/>.</summary>
    /// <param name="input">(N, C_in, *spatial) or unbatched (C_in, *spatial).</param>
    /// <param name="weight">(C_in, C_out/groups, *k); only its shape is used.</param>
    /// <param name="gradOutput">The gradient of conv_transpose's output, (N, C_out, *out) (unbatched as the input is).</param>
    /// <param name="claimed">The weight gradient to check, (C_in, C_out/groups, *k).</param>
    /// <param name="options">The transposed convolution's hyperparameters.</param>
    /// <param name="tolerance">The largest max relative error that agrees; null for <see cref="DefaultTolerance"/>.</param>
    /// <param name="singlePrecision">The data is float32 (sets the default tolerance).</param>
    /// <exception cref="ArgumentException">The geometry is invalid, gradOutput's shape is not conv_transpose's output shape, the tolerance is not positive, or the claimed gradient's rank differs from the weight's.</exception>
    public static ConvolutionCheckResult ConvTransposeGradWeight(Tensor<double> input, Tensor<double> weight, Tensor<double> gradOutput, Tensor<double> claimed,
        ConvTransposeOptions? options = null, double? tolerance = null, bool singlePrecision = false) =>
        Run(CheckedOperation.ConvTransposeGradWeight, input, weight, null, gradOutput, claimed, null, options, tolerance, singlePrecision);

    private static ConvolutionCheckResult Run(CheckedOperation op, Tensor<double> input, Tensor<double> weight, Tensor<double>? bias, Tensor<double>? gradOutput,
        Tensor<double> claimed, ConvOptions? convOptions, ConvTransposeOptions? transposeOptions, double? tolerance, bool singlePrecision)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(claimed);
        var pass = op.Pass();
        if (pass != CheckedPass.Forward) ArgumentNullException.ThrowIfNull(gradOutput);
        if (tolerance is { } t && (!(t >= 0) || double.IsInfinity(t)))
            throw new ArgumentOutOfRangeException(nameof(tolerance), t, $"tolerance must be a finite number ≥ 0 (0: exact, for integer data), got {t}");
        // A weight gradient has the weight's rank; every other result, and the output gradient, the input's.
        var (like, likeName) = pass == CheckedPass.WeightGradient ? (weight, "weight") : (input, "input");
        if (claimed.Rank != like.Rank)
            throw new ArgumentException($"the output to check has shape {Check.List(claimed.Shape)} ({claimed.Rank} dimensions) but the {likeName} {Check.List(like.Shape)} has {like.Rank}", "output");
        if (gradOutput is not null && gradOutput.Rank != input.Rank)
            throw new ArgumentException($"grad_output has shape {Check.List(gradOutput.Shape)} ({gradOutput.Rank} dimensions) but the input {Check.List(input.Shape)} has {input.Rank}", nameof(gradOutput));
        // Unbatched (C, *spatial): checked as a batch of one; indices are reported without the batch.
        bool unbatched = input.Rank == weight.Rank - 1;
        bool claimedUnbatched = unbatched && pass != CheckedPass.WeightGradient;
        if (unbatched)
        {
            input = Batched(input);
            gradOutput = gradOutput is null ? null : Batched(gradOutput);
            if (claimedUnbatched) claimed = Batched(claimed);
        }
        var call = new CheckedCall(op, input, weight, bias, gradOutput, convOptions ?? new ConvOptions(), transposeOptions ?? new ConvTransposeOptions());
        var expected = call.Run(); // throws ArgumentException for a bad geometry, bias or output gradient, before anything else
        double tol = tolerance ?? DefaultTolerance(call.FanIn, singlePrecision);
        var magnitudes = call.Abs().Run();
        // Exact (tolerance 0) needs every sum exact in float64: integers whose products and partial sums stay below 2^53.
        if (tol == 0 && magnitudes.Data.Any(a => a >= 0x20000000000000L))
            throw new ArgumentException($"an exact check (tolerance 0) needs every sum below 2^53 to be exact in float64, but one reaches {magnitudes.Data.Max():G17}; give a tolerance", nameof(tolerance));
        var comparison = Compare(claimed, expected, magnitudes, tol);

        var reproducing = new List<ConvolutionMistake>();
        if (comparison.MaxRelative > tol)
            foreach (var mistake in ConvolutionMistake.All.Where(m => m.AppliesTo(op)))
                if (mistake.Variants(call).Any(v => Reproduces(v, claimed, tol)))
                    reproducing.Add(mistake);

        int skip = claimedUnbatched ? 1 : 0;
        return new ConvolutionCheckResult
        {
            Reference = op.ReferenceName(),
            ExpectedShape = expected.ShapeArray[skip..],
            ClaimedShape = claimed.ShapeArray[skip..],
            MaxRelativeError = comparison.MaxRelative,
            MaxAbsoluteError = comparison.MaxAbsolute,
            Tolerance = tol,
            MismatchCount = comparison.Count,
            MismatchedChannels = comparison.Channels,
            FirstMismatch = comparison.First,
            LastMismatch = comparison.Last,
            WorstIndex = comparison.Worst.Length == 0 ? [] : comparison.Worst[skip..],
            WorstValues = comparison.WorstValues,
            Reproducing = reproducing,
        };
    }

    private static Tensor<double> Batched(Tensor<double> t) => t.Reshape([1, .. t.ShapeArray]);

    /// <summary>Whether a mistake's recomputation agrees with the claimed output (a recomputation that does not fit these shapes does not).</summary>
    private static bool Reproduces(CheckedCall variant, Tensor<double> claimed, double tolerance)
    {
        try
        {
            var candidate = variant.Run();
            return candidate.ShapeArray.SequenceEqual(claimed.ShapeArray)
                && Compare(claimed, candidate, variant.Abs().Run(), tolerance).MaxRelative <= tolerance;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record Comparison(double MaxRelative, double MaxAbsolute, long Count, int[] Channels, int[] First, int[] Last, int[] Worst, (double, double) WorstValues);

    /// <summary>Elementwise |claimed − expected| / scale against the tolerance, with where the mismatches lie.</summary>
    private static Comparison Compare(Tensor<double> claimed, Tensor<double> expected, Tensor<double> scale, double tolerance)
    {
        if (!claimed.ShapeArray.SequenceEqual(expected.ShapeArray))
            return new(double.PositiveInfinity, double.PositiveInfinity, 0, [], [], [], [], (double.NaN, double.NaN));
        var shape = expected.ShapeArray;
        int channels = shape[1], plane = expected.Length / (shape[0] * channels), rank = shape.Length - 2;
        var first = Enumerable.Repeat(int.MaxValue, rank).ToArray();
        var last = Enumerable.Repeat(-1, rank).ToArray();
        var mismatched = new SortedSet<int>();
        double maxRelative = 0, maxAbsolute = 0;
        long count = 0;
        int worst = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs(claimed.Data[i] - expected.Data[i]);
            // Exact agreement is agreement even where the scale is 0; a NaN never agrees.
            double relative = difference == 0 ? 0 : double.IsNaN(difference) ? double.PositiveInfinity : difference / scale.Data[i];
            if (double.IsNaN(relative)) relative = double.PositiveInfinity;
            if (worst < 0 || relative > maxRelative)
            {
                maxRelative = relative;
                worst = i;
            }
            maxAbsolute = double.IsNaN(difference) ? double.PositiveInfinity : Math.Max(maxAbsolute, difference);
            if (relative <= tolerance) continue;
            count++;
            mismatched.Add(i / plane % channels);
            var position = Unflatten(i % plane, shape[2..]);
            for (int d = 0; d < rank; d++)
            {
                first[d] = Math.Min(first[d], position[d]);
                last[d] = Math.Max(last[d], position[d]);
            }
        }
        if (count == 0) (first, last) = ([], []);
        var worstIndex = worst < 0 ? [] : Unflatten(worst, shape);
        return new(maxRelative, maxAbsolute, count, [.. mismatched], first, last, worstIndex,
            worst < 0 ? (double.NaN, double.NaN) : (claimed.Data[worst], expected.Data[worst]));
    }

    /// <summary>The multi-index of a row-major offset.</summary>
    internal static int[] Unflatten(int offset, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = offset % shape[d];
            offset /= shape[d];
        }
        return index;
    }
}
