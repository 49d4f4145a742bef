using System.Globalization;

namespace ConvAsMatrix.Explorer.Model;

/// <summary>PyTorch's output-size formula of each dimension, written out with the reader's numbers (padding as resolved by the library: same and valid become amounts).</summary>
public static class OutputSizeFormula
{
    /// <summary>The names of the dimensions of a rank-1 or rank-2 input.</summary>
    public static string Dimension(int rank, int d) => rank == 1 ? "length" : rank == 2 ? (d == 0 ? "height" : "width") : $"dimension {d}";

    /// <summary>The general formula of the operation.</summary>
    public static string General(bool transposed) => transposed
        ? "out = (in − 1)·stride − pad_before − pad_after + dilation·(kernel − 1) + output_padding + 1"
        : "out = ⌊(in + pad_before + pad_after − dilation·(kernel − 1) − 1) / stride⌋ + 1";

    /// <summary>One line per dimension: the formula with the numbers and the size the library computed.</summary>
    public static IReadOnlyList<string> Lines(ConvGeometry g, bool transposed)
    {
        ArgumentNullException.ThrowIfNull(g);
        var lines = new List<string>();
        for (int d = 0; d < g.Rank; d++)
        {
            int k = g.KernelSize[d], s = g.Stride[d], dil = g.Dilation[d], pb = g.PaddingBefore[d], pa = g.PaddingAfter[d];
            string numbers = transposed
                ? $"({I(g.OutputSize[d])} − 1)·{I(s)} − {I(pb)} − {I(pa)} + {I(dil)}·({I(k)} − 1) + {I(g.OutputPadding[d])} + 1 = {I(g.InputSize[d])}"
                : $"⌊({I(g.InputSize[d])} + {I(pb)} + {I(pa)} − {I(dil)}·({I(k)} − 1) − 1) / {I(s)}⌋ + 1 = {I(g.OutputSize[d])}";
            lines.Add($"{Dimension(g.Rank, d)}: {numbers}");
        }
        return lines;
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
