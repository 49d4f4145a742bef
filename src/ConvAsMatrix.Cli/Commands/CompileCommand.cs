using System.CommandLine;
using System.Globalization;

namespace ConvAsMatrix.Cli.Commands;

/// <summary><c>convmat compile</c>: V of a convolution (or one block of its rows), written as Matrix Market or PETSc binary.</summary>
internal static class CompileCommand
{
    /// <summary>The file formats compile writes.</summary>
    internal enum MatrixFileFormat
    {
        /// <summary>Matrix Market, coordinate real general, 1-based (SciPy, MATLAB, Julia).</summary>
        Mtx,

        /// <summary>PETSc binary AIJ, big-endian, 0-based (MatLoad, petsc4py).</summary>
        Petsc,
    }

    public static Command Create()
    {
        var command = new Command("compile", "Compile V (vec(conv(x)) = V·x for one sample) and write it as Matrix Market (coordinate real general, 1-based) or PETSc binary; rows and columns are the output and input elements flattened row-major.");
        var matrix = new ConvMatrixOptions(command);
        var format = ValueParsers.EnumOption<MatrixFileFormat>("--format", "mtx: Matrix Market (the default); petsc: PETSc's binary AIJ format, for MatLoad and petsc4py.");
        var rows = new Option<(int Start, int End)?>("--rows")
        {
            Description = "Write only rows R0 to R1-1 of V (0-based, R1 exclusive), as a matrix of R1-R0 rows and all columns: one MPI rank's block.",
            HelpName = "R0:R1",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = ParseRows,
        };
        var output = PathOptions.RequiredPath("--out", "V.mtx", "Where to write V; replaced only when the command succeeds.");
        command.Add(format);
        command.Add(rows);
        command.Add(output);
        CommandRunner.SetAction(command, c =>
        {
            var outPath = c.Require(output);
            PathOptions.CheckOutput("--out", outPath);
            var (w, g) = matrix.Read(c);
            var (start, end) = c.Get(rows) ?? (0, g.OutputLength);
            if (end > g.OutputLength)
                throw new UsageException($"--rows {start}:{end} reaches past V's {g.OutputLength} rows (the output elements of {g})");
            bool whole = start == 0 && end == g.OutputLength;
            // A block alone is compiled from the structured V without the other rows: each rank builds only its share.
            CompressedRowStorage<double> v = whole ? CompileProgress.Compile(c, w, g) : StructuredConvolution<double>.Compile(w, g).ToCompressedRows(start, end);
            var what = whole ? "V" : $"rows {start}:{end} of V";
            if (c.Get(format) == MatrixFileFormat.Petsc)
                PetscBinary.WriteMatrixFile(outPath, v);
            else
                MatrixMarket.WriteFile(outPath, v,
                    $"{what} of {g}\nrow = output element (c_out, *out){(start > 0 ? $" minus {start}" : "")} and column = input element (c_in, *in), flattened row-major, 1-based");
            c.Out.WriteLine($"{outPath}: {what} {v.RowCount} x {v.ColumnCount}, {v.NonZerosCount} stored entries ({g})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static (int, int)? ParseRows(System.CommandLine.Parsing.ArgumentResult r)
    {
        var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
        var parts = text.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) && end > start)
            return (start, end);
        r.AddError($"--rows '{text}' is not R0:R1 with 0 <= R0 < R1");
        return null;
    }
}
