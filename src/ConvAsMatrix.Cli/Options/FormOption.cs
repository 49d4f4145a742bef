using System.CommandLine;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The <c>--form structured|csr</c> option of the commands that apply V (conv, tconv, deconvolve, norm, bench): which
/// form of V they build. Structured (the default) holds only the weight and the sampling maps; csr stores every
/// entry, as <c>compile</c> and <c>show</c> always do.
/// </summary>
internal sealed class FormOption
{
    private readonly Option<MatrixForm?> option =
        ValueParsers.EnumOption<MatrixForm>("--form", "Which form of V to apply: structured (the weight and sampling maps only, any size; the default) or csr (every entry in compressed rows, as 'compile' writes).");

    /// <summary>Adds --form to <paramref name="command"/>.</summary>
    public FormOption(Command command) => command.Add(option);

    /// <summary>The --form given, structured when absent.</summary>
    public MatrixForm Of(CommandContext context) => context.Get(option) ?? MatrixForm.Structured;

    /// <summary>
    /// V of <paramref name="geometry"/> in the form asked for; the explicit one with a progress bar on a terminal, and
    /// refused up front when it and <paramref name="workingBytes"/> (the command's own arrays) would not fit.
    /// </summary>
    public IConvolutionOperator<double> Build(CommandContext context, Tensor<double> weight, ConvGeometry geometry, long workingBytes = 0) =>
        Of(context) == MatrixForm.Csr
            ? CompileProgress.Compile(context, weight, geometry, workingBytes)
            : StructuredConvolution<double>.Compile(weight, geometry);

    /// <summary>
    /// The work vectors of the iterative solvers and the norm's Lanczos iteration for one sample of
    /// <paramref name="geometry"/>: CGLS and LSQR hold two row-length and three column-length vectors, the power
    /// iteration fewer.
    /// </summary>
    public static long SolverVectorBytes(ConvGeometry geometry) =>
        sizeof(double) * (2L * geometry.OutputLength + 3L * geometry.InputLength);
}
