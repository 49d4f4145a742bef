using System.CommandLine;
using System.CommandLine.Invocation;
using ConvAsMatrix.Cli.Commands;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The <c>convmat</c> command line: builds the command tree and runs one command line against given writers,
/// so the program and the tests run exactly the same code.
/// </summary>
/// <remarks>
/// Adding a subcommand: a file <c>Commands/XxxCommand.cs</c> with <c>Command Create()</c> that declares its options
/// through the shared pieces — <see cref="ConvMatrixOptions"/> (--weight, --input-shape and the conv options → weight
/// and geometry), <see cref="GeometryOptions"/> (the geometry options alone → <see cref="ConvOptions"/>,
/// <see cref="ConvTransposeOptions"/>, <see cref="ConvGeometry"/>), <see cref="PathOptions"/> (paths, .npy/.mtx
/// reading, output checks) — and registers its action with <see cref="CommandRunner.SetAction"/>, which maps bad input
/// to exit code 2 and one stderr line; then one <c>root.Add</c> line in <see cref="BuildRootCommand"/>. Write outputs
/// with <see cref="Npy.WriteFile(string, NpyArray)"/>, <see cref="MatrixMarket.WriteFile"/> or <see cref="AtomicFile.Write"/>,
/// never directly, so a failure leaves no partial file.
/// </remarks>
public static class Cli
{
    /// <summary>Parses and runs <paramref name="args"/>.</summary>
    /// <param name="args">The command line, without the program name. Empty runs the seed's example.</param>
    /// <param name="stdout">Receives results, help and the example's printout.</param>
    /// <param name="stderr">Receives the one-line error of bad input, and progress when it is a terminal.</param>
    /// <returns>An exit code from <see cref="ExitCodes"/>.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var parse = ParseOrReport(args, stderr);
        if (parse is null) return ExitCodes.BadInput;
        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
    }

    /// <summary>The parse phase of <see cref="Run"/>: the parse result, or null after writing the one-line error of a command line that does not parse.</summary>
    internal static ParseResult? ParseOrReport(string[] args, TextWriter stderr)
    {
        var parse = BuildRootCommand().Parse(args, Parsing);
        if (parse.Action is not ParseErrorAction) return parse;
        // System.CommandLine would print every error and the help; one line says what is wrong and where to look.
        var command = CommandRunner.DisplayName(parse.CommandResult.Command);
        // An unknown token explains the errors that follow from it (a misspelt option leaves a required one missing): name it alone.
        var problems = parse.UnmatchedTokens.Count > 0
            ? $"unrecognized {(parse.UnmatchedTokens.Count == 1 ? "argument" : "arguments")} {string.Join(" ", parse.UnmatchedTokens.Select(t => $"'{t}'"))}"
            : string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct());
        // The tokens are quoted as given, and a token may hold a newline: escaped, so the error stays one line.
        stderr.WriteLine(CommandRunner.Printable($"{command}: {problems} (see '{command} --help')"));
        return null;
    }

    /// <summary>
    /// How convmat parses: without response files — System.CommandLine would read '@path' as a file of arguments, and
    /// let the UnauthorizedAccessException of '@/' escape as a crash; convmat's arguments are what the shell passes.
    /// </summary>
    internal static ParserConfiguration Parsing => new() { ResponseFileTokenReplacer = null };

    /// <summary>The root command with every subcommand. A new subcommand is one file under Commands/ and one line here.</summary>
    internal static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("convmat: a convolution as its sparse matrix V. Without arguments, shows the lecture's example: V, Y = V·x, Z = Vᵀ·y and the checks.");
        CommandRunner.SetAction(root, DemoCommand.Run);
        root.Add(ConvCommand.Create());
        root.Add(TconvCommand.Create());
        root.Add(GradCommand.Create());
        root.Add(CompileCommand.Create());
        root.Add(ShowCommand.Create());
        root.Add(DeconvolveCommand.Create());
        root.Add(NormCommand.Create());
        root.Add(BenchCommand.Create());
        root.Add(CheckCommand.Create());
        root.Add(OnnxCommand.Create());
        return root;
    }
}
