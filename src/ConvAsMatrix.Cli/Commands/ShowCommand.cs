using System.CommandLine;
using System.Globalization;

namespace ConvAsMatrix.Cli.Commands;

/// <summary><c>convmat show</c>: V of a convolution on the terminal — a grid when small, statistics always — and optionally its sparsity pattern as an image.</summary>
internal static class ShowCommand
{
    /// <summary>V up to this size is compiled to see whether its grid fits the terminal; larger ones are summarized from the geometry alone.</summary>
    private const int GridRows = 64, GridColumns = 80;

    public static Command Create()
    {
        var command = new Command("show", "Show V: the matrix as a grid ('.' for structural zeros) when it is small, its statistics (shape, stored entries, density, bytes), and with --plot its sparsity pattern.");
        var matrix = new ConvMatrixOptions(command);
        var plot = PathOptions.OptionalPath("--plot", "V.svg|V.png", "Also draw V's sparsity pattern (a spy plot) into this .svg or .png file.");
        command.Add(plot);
        CommandRunner.SetAction(command, c =>
        {
            var plotPath = c.Get(plot);
            if (plotPath is not null) PathOptions.CheckOutput("--plot", plotPath, SpyPlot.Extensions);
            var (w, g) = matrix.Read(c);
            WriteStatistics(c.Out, g);
            bool small = g.OutputLength <= GridRows && g.InputLength <= GridColumns;
            var v = small || plotPath is not null ? CompileProgress.Compile(c, w, g) : null;
            if (v is not null && MatrixGrid.Fits(v))
            {
                c.Out.WriteLine($"V (row = output element, column = input element, both flattened row-major; '{MatrixGrid.StructuralZero}' = structural zero):");
                MatrixGrid.WriteSparse(c.Out, v);
                if (MatrixGrid.RoundsAny(v)) c.Out.WriteLine("Values are shown to 4 significant digits; 'convmat compile' writes them exactly.");
            }
            else
                c.Out.WriteLine($"V is too large to print as a grid{(plotPath is null ? "; --plot V.png draws its sparsity pattern" : "")}.");
            if (plotPath is not null)
            {
                SpyPlot.Save(plotPath, v!, $"V: {g.OutputLength} x {g.InputLength}, {g.NonZeroCount:N0} stored entries");
                c.Out.WriteLine($"{plotPath}: sparsity pattern of V");
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Shape, stored entries, density and memory, from the geometry alone (nothing is allocated).</summary>
    internal static void WriteStatistics(TextWriter o, ConvGeometry g)
    {
        long rows = g.OutputLength, columns = g.InputLength, nnz = g.NonZeroCount;
        double density = rows * columns == 0 ? 0 : (double)nnz / ((double)rows * columns);
        long csr = nnz * (sizeof(double) + sizeof(int)) + (rows + 1) * sizeof(int);
        var inv = CultureInfo.InvariantCulture;
        o.WriteLine($"V of {g}");
        o.WriteLine(string.Create(inv, $"  shape     {rows:N0} x {columns:N0} (rows = output elements, columns = input elements)"));
        o.WriteLine(string.Create(inv, $"  stored    {nnz:N0} entries, density {density:P3}"));
        o.WriteLine(string.Create(inv, $"  memory    {Bytes(csr)} as CSR (float64 values, int32 indices); dense would be {Bytes(8.0 * rows * columns)}"));
    }

    private static string Bytes(double b)
    {
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
        int u = 0;
        while (b >= 1024 && u < units.Length - 1) { b /= 1024; u++; }
        return u == 0 ? $"{b:0} bytes" : string.Create(CultureInfo.InvariantCulture, $"{b:0.#} {units[u]}");
    }
}
