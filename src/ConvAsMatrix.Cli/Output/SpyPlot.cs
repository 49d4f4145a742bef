using ScottPlot;

namespace ConvAsMatrix.Cli;

/// <summary>
/// Draws the sparsity pattern of a matrix (MATLAB's <c>spy</c>) with ScottPlot: a black cell where an entry is
/// stored, white where none is; row 0 at the top, as the matrix is written.
/// </summary>
/// <remarks>
/// A matrix larger than <see cref="MaxCells"/> in a dimension is binned: a cell is black when any entry falls into
/// it, so a V of millions of rows still shows its bands and blocks in a bounded image and time (O(nnz)).
/// </remarks>
public static class SpyPlot
{
    /// <summary>The most cells drawn along either dimension.</summary>
    public const int MaxCells = 800;

    /// <summary>The file extensions <see cref="Save"/> understands.</summary>
    public static readonly string[] Extensions = [".png", ".svg"];

    /// <summary>1 where a bin of the matrix holds a stored entry, 0 elsewhere; bins are at most <paramref name="maxCells"/> per dimension.</summary>
    public static double[,] Occupancy(CompressedRowStorage<double> matrix, int maxCells = MaxCells)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        int rows = Math.Max(1, Math.Min(matrix.RowCount, maxCells)), columns = Math.Max(1, Math.Min(matrix.ColumnCount, maxCells));
        var cells = new double[rows, columns];
        for (int r = 0; r < matrix.RowCount; r++)
        {
            int br = (int)((long)r * rows / matrix.RowCount);
            for (int k = matrix.RowPointers[r]; k < matrix.RowPointers[r + 1]; k++)
                cells[br, (int)((long)matrix.ColumnIndices[k] * columns / matrix.ColumnCount)] = 1;
        }
        return cells;
    }

    /// <summary>Writes the plot to <paramref name="path"/> (.png or .svg) all or nothing.</summary>
    /// <exception cref="UsageException">The extension is neither .png nor .svg.</exception>
    public static void Save(string path, CompressedRowStorage<double> matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(path);
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (!Extensions.Contains(extension)) throw new UsageException($"--plot '{path}' must end in .png or .svg");
        var bytes = Render(matrix, title, svg: extension == ".svg");
        AtomicFile.Write(path, s => s.Write(bytes));
    }

    /// <summary>The plot as PNG or SVG bytes.</summary>
    public static byte[] Render(CompressedRowStorage<double> matrix, string title, bool svg)
    {
        var (plot, width, height) = Build(matrix, title);
        return svg
            ? System.Text.Encoding.UTF8.GetBytes(plot.GetSvgXml(width, height))
            : plot.GetImageBytes(width, height, ImageFormat.Png);
    }

    /// <summary>The ScottPlot figure and its size in pixels: 900 wide, as tall as the matrix's aspect asks (within 300 to 1200).</summary>
    internal static (Plot Plot, int Width, int Height) Build(CompressedRowStorage<double> matrix, string title)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var plot = new Plot();
        // The y axis runs downwards (row 0 at the top, as a matrix is written); the heatmap puts data row r on [r, r + 1].
        var heatmap = plot.Add.Heatmap(Occupancy(matrix));
        heatmap.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        heatmap.Rectangle = new CoordinateRect(0, matrix.ColumnCount, 0, matrix.RowCount);
        plot.Axes.SetLimits(0, matrix.ColumnCount, matrix.RowCount, 0);
        // Rows and columns are indices: no ticks between them (a 16 x 16 V would otherwise get 0.5, 1.5, ...).
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.Title(title, size: 13);
        plot.XLabel($"column = input element (0 .. {matrix.ColumnCount - 1})");
        plot.YLabel($"row = output element (0 .. {matrix.RowCount - 1})");
        int height = (int)Math.Clamp(120 + 780.0 * matrix.RowCount / Math.Max(1, matrix.ColumnCount), 300, 1200);
        return (plot, 900, height);
    }
}
