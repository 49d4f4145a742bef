using System.CommandLine;

namespace ConvAsMatrix.Cli.Commands;

/// <summary><c>convmat compile</c>: V of a convolution, written as a Matrix Market file.</summary>
internal static class CompileCommand
{
    public static Command Create()
    {
        var command = new Command("compile", "Compile V (vec(conv(x)) = V·vec(x) for one sample) and write it as Matrix Market, coordinate real general, 1-based; rows and columns are the output and input elements flattened row-major.");
        var matrix = new ConvMatrixOptions(command);
        var output = PathOptions.RequiredPath("--out", "V.mtx", "Where to write V; replaced only when the command succeeds.");
        command.Add(output);
        CommandRunner.SetAction(command, c =>
        {
            var outPath = c.Require(output);
            PathOptions.CheckOutput("--out", outPath);
            var (w, g) = matrix.Read(c);
            var v = CompileProgress.Compile(c, w, g);
            MatrixMarket.WriteFile(outPath, v, $"V of {g}\nrow = output element (c_out, *out) and column = input element (c_in, *in), flattened row-major, 1-based");
            c.Out.WriteLine($"{outPath}: V {v.RowCount} x {v.ColumnCount}, {v.NonZerosCount} stored entries ({g})");
            return ExitCodes.Success;
        });
        return command;
    }
}
