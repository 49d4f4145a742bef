using System.CommandLine;
using System.Globalization;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.SuiteSparse;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat deconvolve</c>: recovers x from y = conv(x) as argmin ‖V·x − y‖² + λ‖x‖², per sample, by CGLS or LSQR
/// on V and Vᵀ, or by a SuiteSparse factorisation made once for the whole batch (<c>--solver direct</c>).
/// </summary>
/// <remarks>
/// The input size is not in y: without <c>--input-shape</c> it is the one PyTorch's conv_transpose of y gives
/// (output_padding 0, the smallest input a strided convolution maps to y's size); with <c>padding=same</c> it is
/// y's size. Non-convergence writes the result and a warning (exit 0); a diverged run writes nothing (exit 1).
/// </remarks>
internal static class DeconvolveCommand
{
    /// <summary>The methods of --solver.</summary>
    internal enum SolverChoice
    {
        /// <summary>CGLS on V and Vᵀ (the default).</summary>
        Cgls,

        /// <summary>LSQR on V and Vᵀ; --tol is its atol and btol.</summary>
        Lsqr,

        /// <summary>A SuiteSparse factorisation (<see cref="DirectSolver.Create"/>), made once for all samples.</summary>
        Direct,
    }

    public static Command Create()
    {
        var command = new Command("deconvolve", "Recover the input x of a convolution from its output y by Tikhonov-regularised least squares, argmin |Vx - y|^2 + lambda |x|^2: CGLS or LSQR on V and V^T (per sample), or a SuiteSparse factorisation made once for the batch.");
        var input = PathOptions.RequiredPath("--input", "Y.npy", "The convolution's output y (N, C_out, *out), .npy float64 or float32.");
        var weight = PathOptions.RequiredPath("--weight", "W.npy", "Weight (C_out, C_in/groups, *kernel), .npy; the rank comes from it.");
        var geometry = GeometryOptions.ForConv();
        var inputShape = ValueParsers.IntList("--input-shape", "Shape of one sample of x, C,D1[,D2[,D3]], when a strided convolution leaves it ambiguous (default: conv_transpose's output size).", 1, "C,D1[,D2[,D3]]");
        var lambda = LambdaOption.Create($"discrepancy, with sigma from --noise-level or estimated from y: of the rules measured on 72 blur test problems it came closest to the best lambda (docs/solvers.md). With --solver direct, --circulant or --nonnegative, or when y has a spatial size of 1 (no noise estimate), {DeconvolutionOptions.DefaultRelativeLambda.ToString(CultureInfo.InvariantCulture)} x |V|_2^2 (power iteration)");
        var noiseLevel = IterationOptions.PositiveNumber("--noise-level", "SIGMA, the noise's standard deviation per element of y, in y's units, for --lambda discrepancy (default: estimated from y by the median absolute deviation of its finest Haar coefficients).", "SIGMA", allowZero: false);
        var preconditioner = new Option<bool>("--circulant") { Description = "Precondition CGLS with the blur made periodic (a BCCB matrix applied by FFT, regularised by lambda): a 2-D blur of one channel, stride and dilation 1." };
        var nonnegative = new Option<bool>("--nonnegative") { Description = "Constrain x >= 0: MRNSD (modified residual norm steepest descent) in place of CGLS, with --lambda L or --early-stop." };
        var earlyStop = new Option<bool>("--early-stop") { Description = "Iterative regularisation: lambda = 0 and --solver cgls|lsqr stopped by the discrepancy principle, as soon as |Vx - y| <= 1.01 sigma sqrt(m) (sigma from --noise-level, else estimated from y)." };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object (λ, rule, criterion, iterations per sample) instead of a line." };
        var iteration = new IterationOptions(SolverOptions.DefaultTolerance, "|V^T(y - Vx) - lambda x|_inf / |V^T y|_inf for cgls; atol and btol for lsqr", SolverOptions.DefaultMaxIterations);
        var solver = ValueParsers.EnumOption<SolverChoice>("--solver", "cgls (the default), lsqr (SciPy's algorithm; --tol sets atol and btol), or direct (a SuiteSparse Cholesky of V^T V + lambda I, or LU/QR when lambda = 0; needs Debian's libsuitesparse-dev).");
        var output = PathOptions.RequiredPath("--out", "X.npy", "Where to write x (N, C_in, *in), float64 unless y is float32; replaced only when the command succeeds.");
        command.Add(input);
        command.Add(weight);
        geometry.AddTo(command);
        command.Add(inputShape);
        command.Add(lambda);
        command.Add(noiseLevel);
        command.Add(earlyStop);
        command.Add(nonnegative);
        command.Add(preconditioner);
        iteration.AddTo(command);
        command.Add(json);
        command.Add(solver);
        var form = new FormOption(command);
        command.Add(output);
        CommandRunner.SetAction(command, c =>
        {
            var outPath = c.Require(output);
            PathOptions.CheckOutput("--out", outPath, ".npy");
            var yArray = PathOptions.ReadFloatNpy("--input", c.Require(input));
            var y = yArray.ToDouble();
            var w = PathOptions.ReadFloatNpy("--weight", c.Require(weight)).ToDouble();
            var g = InputGeometry(c, geometry, inputShape, y.ShapeArray, w.ShapeArray);
            var (tolerance, maxIterations) = iteration.Resolve(c);
            var chosen = c.Get(lambda);
            double? sigma = c.Get(noiseLevel);
            bool early = c.Get(earlyStop);
            if (early && chosen is not null)
                throw new UsageException("--early-stop regularises by stopping CGLS or LSQR at lambda = 0: give it without --lambda");
            if (early && c.Get(solver) == SolverChoice.Direct)
                throw new UsageException("--early-stop stops an iteration: --solver cgls or lsqr, not direct");
            bool positive = c.Get(nonnegative), circulant = c.Get(preconditioner);
            if (circulant && (chosen?.Rule is not null || early || positive || c.Get(solver) is SolverChoice.Lsqr or SolverChoice.Direct))
                throw new UsageException("--circulant preconditions CGLS at a fixed lambda: not with --lambda RULE, --early-stop, --nonnegative or --solver lsqr|direct");
            if (positive && chosen?.Rule is { } ruled)
                throw new UsageException($"--nonnegative runs MRNSD at a given lambda or with --early-stop; --lambda {LambdaOption.Name(ruled)} chooses lambda by hybrid LSQR, which has no bound");
            if (positive && c.Get(solver) is SolverChoice.Lsqr or SolverChoice.Direct)
                throw new UsageException($"--nonnegative runs MRNSD, not --solver {ValueParsers.CommandLineName(c.Get(solver)!.Value)}");
            // Without --lambda the discrepancy principle chooses λ (σ given or estimated), unless the method needs λ up front
            // (direct, circulant, MRNSD) or y has a spatial size of 1, where no Haar coefficient exists to estimate σ from.
            bool byDefault = chosen is null && !early && !positive && !circulant && c.Get(solver) != SolverChoice.Direct
                && (sigma is not null || g.OutputShape[2..].All(size => size >= 2));
            var rule = chosen?.Rule ?? (byDefault ? ParameterRule.Discrepancy : null);
            if ((rule == ParameterRule.Discrepancy || early) && sigma is null && g.OutputShape[2..].Any(size => size < 2))
                throw new UsageException($"{(early ? "--early-stop" : "--lambda discrepancy")} needs the noise level: y's spatial shape ({string.Join(", ", g.OutputShape[2..])}) has a size of 1, so it cannot be estimated from y; give --noise-level SIGMA");
            if (sigma is not null && rule != ParameterRule.Discrepancy && !early)
                throw new UsageException("--noise-level is what --lambda discrepancy (the default) and --early-stop need; with --lambda L, --solver direct, --circulant or --nonnegative at a given lambda it would be ignored");
            var options = new DeconvolutionOptions
            {
                Lambda = chosen?.Value,
                Solver = new SolverOptions { Tolerance = tolerance, MaxIterations = maxIterations },
            };
            var x = new double[(long)g.Batch * g.InputLength];
            var choice = c.Get(solver) ?? SolverChoice.Cgls;
            string report;
            var samples = new List<Dictionary<string, object?>>();
            // The iterative methods apply V (and Vᵀ) in the --form asked for; the direct solver compiles its own.
            LinearOperator Operator() => LinearOperator.From(form.Build(c, w, g, FormOption.SolverVectorBytes(g)));
            if (rule is { } chosenRule)
            {
                // Each sample's λ by the rule, on the projected problem of hybrid LSQR; its x is the Tikhonov solution with that λ.
                var v = Operator();
                var hybrid = new HybridLsqrOptions { Rule = chosenRule, NoiseSigma = sigma, MaxIterations = maxIterations, SolutionTolerance = tolerance };
                var results = new HybridLsqrResult[g.Batch];
                for (int s = 0; s < g.Batch; s++)
                {
                    results[s] = HybridLsqr.Solve(v, y.Data.AsSpan(s * g.OutputLength, g.OutputLength), x.AsSpan(s * g.InputLength, g.InputLength), hybrid, g.OutputShape[2..]);
                    c.Error.WriteLine($"convmat deconvolve: sample {s}: {results[s]}");
                    IterationOptions.WarnIfNotConverged(c, g.Batch == 1 ? "the solve" : $"sample {s}", results[s].Status, results[s].Iterations, $"lambda still moving or x not yet within --tol of the Tikhonov solution");
                    samples.Add(new() { ["lambda"] = results[s].Lambda, ["rule"] = LambdaOption.Name(chosenRule), ["criterion"] = results[s].Criterion, ["iterations"] = results[s].Iterations, ["residual"] = results[s].Residual, ["noiseSigma"] = results[s].NoiseSigma, ["gcvWeight"] = results[s].GcvWeight, ["status"] = results[s].Status.ToString() });
                }
                report = $"lambda = {results.Max(r => r.Lambda):G6} by {LambdaOption.Name(chosenRule)}{(chosen is null ? " (the default)" : "")}; at most {results.Max(r => r.Iterations)} steps of hybrid LSQR";
            }
            else if (early)
            {
                // λ = 0: CGLS or LSQR regularise by stopping, at the first iterate whose misfit reaches τ·σ·√m.
                var v = Operator();
                var method = positive ? DeconvolutionMethod.Mrnsd : choice == SolverChoice.Lsqr ? DeconvolutionMethod.Lsqr : DeconvolutionMethod.Cgls;
                int worst = 0;
                for (int s = 0; s < g.Batch; s++)
                {
                    var ys = y.Data.AsSpan(s * g.OutputLength, g.OutputLength);
                    double noise = sigma ?? NoiseEstimate.Haar(ys, g.OutputShape[2..]);
                    double target = 1.01 * noise * Math.Sqrt(g.OutputLength);
                    var r = Deconvolution.Solve(v, ys, x.AsSpan(s * g.InputLength, g.InputLength),
                        options with { Lambda = 0, Method = method, Solver = options.Solver with { MisfitTarget = target } });
                    bool reached = r.Solver.Residual <= target;
                    c.Error.WriteLine($"convmat deconvolve: sample {s}: discrepancy principle {(reached ? "reached" : "not reached")} after {r.Solver.Iterations} iterations, |Vx - y| = {r.Solver.Residual:G6} {(reached ? "<=" : ">")} 1.01 sigma sqrt(m) = {target:G6} (sigma {noise:G4}{(sigma is null ? ", estimated" : "")})");
                    worst = Math.Max(worst, r.Solver.Iterations);
                    samples.Add(new() { ["lambda"] = 0.0, ["rule"] = "early-stop", ["criterion"] = r.Solver.Residual / (noise * Math.Sqrt(g.OutputLength)), ["iterations"] = r.Solver.Iterations, ["residual"] = r.Solver.Residual, ["noiseSigma"] = noise, ["status"] = reached ? "Converged" : r.Solver.Status.ToString() });
                }
                report = $"lambda = 0, stopped by the discrepancy principle after at most {worst} iterations";
            }
            // A factorisation needs V's entries, so the direct solver always compiles the explicit V; the iterative ones use --form.
            else if (choice == SolverChoice.Direct)
                report = SolveDirect(CompileProgress.Compile(c, w, g), y.Data, x, options);
            else
            {
                var v = Operator();
                var method = positive ? DeconvolutionMethod.Mrnsd : choice == SolverChoice.Lsqr ? DeconvolutionMethod.Lsqr : DeconvolutionMethod.Cgls;
                if (circulant)
                {
                    // λ up front, for the preconditioner's spectrum (|ĉ|² + λ).
                    double fixedLambda = Deconvolution.LambdaForOperator(v, options);
                    var m = CirculantPreconditioner.Create(w, g, fixedLambda);
                    options = options with { Lambda = fixedLambda, Preconditioner = m.Apply };
                }
                var results = Deconvolution.SolveBatch(v, y.Data, x, options with { Method = method });
                if (Check(c, results, options) is int failure) return failure;
                var worst = results.MaxBy(r => r.Solver.Iterations)!;
                report = $"lambda = {worst.Lambda:G6}; {results.Count(r => r.Converged)} of {results.Length} samples converged, at most {worst.Solver.Iterations} iterations, residual |Vx - y| <= {results.Max(r => r.Solver.Residual):G6}";
                samples.AddRange(results.Select(r => new Dictionary<string, object?> { ["lambda"] = r.Lambda, ["rule"] = null, ["iterations"] = r.Solver.Iterations, ["residual"] = r.Solver.Residual, ["status"] = r.Solver.Status.ToString() }));
            }
            var xTensor = new Tensor<double>(x, g.InputShape);
            var written = yArray.DataType == NpyDataType.Float32 ? new NpyArray(new NpyArray(xTensor).ToSingle()) : new NpyArray(xTensor);
            Npy.WriteFile(outPath, written);
            if (c.Get(json))
                c.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["out"] = outPath, ["shape"] = g.InputShape, ["dtype"] = written.DataType == NpyDataType.Float32 ? "float32" : "float64", ["samples"] = samples }));
            else
                c.Out.WriteLine($"{outPath}: ({string.Join(", ", g.InputShape)}) {(written.DataType == NpyDataType.Float32 ? "float32" : "float64")}; {report}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reports every sample that did not converge; a diverged or failed one ends the command with exit 1 (null: go on).</summary>
    private static int? Check(CommandContext c, DeconvolutionResult[] results, DeconvolutionOptions options)
    {
        for (int s = 0; s < results.Length; s++)
        {
            var r = results[s].Solver;
            if (r.Status is SolverStatus.Diverged or SolverStatus.Failed)
            {
                c.Error.WriteLine($"convmat deconvolve: sample {s} {r.Status.ToString().ToLowerInvariant()} after {r.Iterations} iterations (residual {r.Residual:G6}); no output written");
                return ExitCodes.Failure;
            }
            IterationOptions.WarnIfNotConverged(c, results.Length == 1 ? "the solve" : $"sample {s}", r.Status, r.Iterations,
                $"residual |Vx - y| = {r.Residual:G6}, relative normal-equation residual {r.RelativeResidual:G3} > --tol {options.Solver.Tolerance:G3}");
        }
        return null;
    }

    /// <summary>One factorisation for the whole batch; a missing SuiteSparse is bad input (exit 2) naming the package.</summary>
    private static string SolveDirect(CompressedRowStorage<double> v, ReadOnlySpan<double> y, Span<double> x, DeconvolutionOptions options)
    {
        double lambda = Deconvolution.LambdaFor(v, options);
        DirectSolver direct;
        try
        {
            direct = DirectSolver.Create(v, lambda);
        }
        catch (NativeLibraryMissingException e)
        {
            throw new UsageException($"--solver direct: {e.Message}");
        }
        using (direct) direct.SolveBatch(y, x);
        return $"lambda = {lambda:G6}; {y.Length / v.RowCount} samples solved by {direct.GetType().Name}";
    }

    /// <summary>The convolution whose output y is: from --input-shape when given, else y's size for padding=same, else conv_transpose's output size.</summary>
    private static ConvGeometry InputGeometry(CommandContext c, GeometryOptions geometry, Option<int[]> inputShape, int[] yShape, int[] wShape)
    {
        var options = geometry.ToConvOptions(c.Parse);
        if (yShape.Length != wShape.Length)
            throw new UsageException($"--input has shape ({string.Join(", ", yShape)}) but the weight ({string.Join(", ", wShape)}) needs (N, C_out, *out) with {wShape.Length} dimensions");
        if (yShape[1] != wShape[0])
            throw new UsageException($"--input has {yShape[1]} channels but the weight ({string.Join(", ", wShape)}) has C_out = {wShape[0]}");
        ConvGeometry g;
        if (c.Parse.GetResult(inputShape) is not null)
        {
            var shape = c.Require(inputShape);
            if (shape.Length != wShape.Length - 1)
                throw new UsageException($"--input-shape {string.Join(",", shape)} needs C and {wShape.Length - 2} spatial sizes for the weight ({string.Join(", ", wShape)})");
            g = ConvGeometry.ForConv([yShape[0], .. shape], wShape, options);
        }
        else if (options.Padding.Kind == PaddingKind.Same)
            g = ConvGeometry.ForConv([yShape[0], wShape[1] * options.Groups, .. yShape[2..]], wShape, options);
        else
            g = ConvGeometry.ForConvTranspose(yShape, wShape, new ConvTransposeOptions
            {
                Stride = options.Stride,
                Padding = options.Padding,
                Dilation = options.Dilation,
                Groups = options.Groups,
                PaddingMode = options.PaddingMode,
            });
        if (!g.OutputShape.SequenceEqual(yShape))
            throw new UsageException($"--input has shape ({string.Join(", ", yShape)}) but the convolution of an input ({string.Join(", ", g.InputShape)}) gives ({string.Join(", ", g.OutputShape)})");
        return g;
    }
}
