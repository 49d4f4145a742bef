using System.CommandLine;
using System.Globalization;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat deconvolve</c>: recovers x from y = conv(x) as argmin ‖V·x − y‖² + λ‖x‖² (CGLS on V and Vᵀ), per sample.
/// </summary>
/// <remarks>
/// The input size is not in y: without <c>--input-shape</c> it is the one PyTorch's conv_transpose of y gives
/// (output_padding 0, the smallest input a strided convolution maps to y's size); with <c>padding=same</c> it is
/// y's size. Non-convergence writes the result and a warning (exit 0); a diverged run writes nothing (exit 1).
/// </remarks>
internal static class DeconvolveCommand
{
    public static Command Create()
    {
        var command = new Command("deconvolve", "Recover the input x of a convolution from its output y by Tikhonov-regularised least squares, argmin |Vx - y|^2 + lambda |x|^2, with CGLS on V and V^T (per sample).");
        var input = PathOptions.RequiredPath("--input", "Y.npy", "The convolution's output y (N, C_out, *out), .npy float64 or float32.");
        var weight = PathOptions.RequiredPath("--weight", "W.npy", "Weight (C_out, C_in/groups, *kernel), .npy; the rank comes from it.");
        var geometry = GeometryOptions.ForConv();
        var inputShape = ValueParsers.IntList("--input-shape", "Shape of one sample of x, C,D1[,D2[,D3]], when a strided convolution leaves it ambiguous (default: conv_transpose's output size).", 1, "C,D1[,D2[,D3]]");
        var lambda = IterationOptions.PositiveNumber("--lambda", $"Tikhonov weight L >= 0 (default {DeconvolutionOptions.DefaultRelativeLambda.ToString(CultureInfo.InvariantCulture)} x |V|_2^2, estimated by power iteration).", "L", allowZero: true);
        var iteration = new IterationOptions(SolverOptions.DefaultTolerance, "|V^T(y - Vx) - lambda x|_inf / |V^T y|_inf", SolverOptions.DefaultMaxIterations);
        var output = PathOptions.RequiredPath("--out", "X.npy", "Where to write x (N, C_in, *in), float64 unless y is float32; replaced only when the command succeeds.");
        command.Add(input);
        command.Add(weight);
        geometry.AddTo(command);
        command.Add(inputShape);
        command.Add(lambda);
        iteration.AddTo(command);
        var form = new FormOption(command);
        command.Add(output);
        CommandRunner.SetAction(command, c =>
        {
            var outPath = c.Require(output);
            PathOptions.CheckOutput("--out", outPath, ".npy");
            var yArray = PathOptions.ReadNpy("--input", c.Require(input));
            var y = yArray.ToDouble();
            var w = PathOptions.ReadNpy("--weight", c.Require(weight)).ToDouble();
            var g = InputGeometry(c, geometry, inputShape, y.ShapeArray, w.ShapeArray);
            var v = LinearOperator.From(form.Build(c, w, g));
            var (tolerance, maxIterations) = iteration.Resolve(c);
            var options = new DeconvolutionOptions
            {
                Lambda = c.Get(lambda),
                Solver = new SolverOptions { Tolerance = tolerance, MaxIterations = maxIterations },
            };
            var x = new double[(long)g.Batch * g.InputLength];
            var results = Deconvolution.SolveBatch(v, y.Data, x, options);

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
            var xTensor = new Tensor<double>(x, g.InputShape);
            var written = yArray.DataType == NpyDataType.Float32 ? new NpyArray(new NpyArray(xTensor).ToSingle()) : new NpyArray(xTensor);
            Npy.WriteFile(outPath, written);
            var worst = results.MaxBy(r => r.Solver.Iterations)!;
            c.Out.WriteLine($"{outPath}: ({string.Join(", ", g.InputShape)}) {(written.DataType == NpyDataType.Float32 ? "float32" : "float64")}; lambda = {worst.Lambda:G6}; " +
                $"{results.Count(r => r.Converged)} of {results.Length} samples converged, at most {worst.Solver.Iterations} iterations, residual |Vx - y| <= {results.Max(r => r.Solver.Residual):G6}");
            return ExitCodes.Success;
        });
        return command;
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
