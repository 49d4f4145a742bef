using System.Numerics;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// The page a proof writes on: prose, quotes from the seed, printed matrices and tensors, and checks.
/// Every check is recorded; the runner computes the verdict from them (<see cref="ProofResult.Passed"/>).
/// </summary>
/// <param name="output">Where the text goes.</param>
public sealed class ProofPage(TextWriter output)
{
    private const string Indent = "  ";
    private readonly List<ProofCheck> checks = [];

    /// <summary>The checks recorded so far, in order.</summary>
    public IReadOnlyList<ProofCheck> Checks => checks;

    /// <summary>A sub-heading inside the proof ("The computation", "Why", ...).</summary>
    public void Heading(string title)
    {
        output.WriteLine();
        output.WriteLine(Indent + title);
        output.WriteLine(Indent + new string('─', title.Length));
    }

    /// <summary>
    /// Prose, reflowed to the page width: consecutive lines form one paragraph; a line that starts with a space
    /// (a formula, a table row) or follows an empty line starts afresh and keeps its indentation.
    /// </summary>
    public void Say(string text) => Write(text, Indent);

    /// <summary>A quotation from the seed lecture note, in its own words, then its English rendering.</summary>
    public void Seed(string original, string english)
    {
        foreach (var line in original.Split('\n')) output.WriteLine(Indent + "│ " + line);
        Write(english, Indent + "│ » ");
    }

    private void Write(string text, string prefix)
    {
        foreach (var paragraph in Wrap.Paragraphs(text))
            foreach (var piece in Wrap.Lines(paragraph, Wrap.Width - prefix.Length))
                output.WriteLine((prefix + piece).TrimEnd());
    }

    /// <summary>A blank line.</summary>
    public void Gap() => output.WriteLine();

    /// <summary>Prints a matrix with its label left of the middle row, a dot for each zero (unless <paramref name="dotZeros"/> is false), and optional block rules.</summary>
    public void Show<T>(string label, T[,] matrix, int rowBlock = 0, int columnBlock = 0, bool dotZeros = true) where T : IAdditiveIdentity<T, T>
    {
        foreach (var line in Grid.Lines(label, matrix, rowBlock, columnBlock, dotZeros)) output.WriteLine(Indent + line);
    }

    /// <summary>Prints a data matrix (an image, a feature map): zeros printed as 0.</summary>
    public void ShowData<T>(string label, T[,] matrix) where T : IAdditiveIdentity<T, T> => Show(label, matrix, dotZeros: false);

    /// <summary>Prints several matrices side by side, e.g. the terms of a sum; shorter ones are centred vertically.</summary>
    /// <param name="dotZeros">Zeros as dots (a sparsity picture) or as 0 (data).</param>
    /// <param name="items">The labelled matrices, left to right.</param>
    public void ShowSideBySide<T>(bool dotZeros, params (string Label, T[,] Matrix)[] items) where T : IAdditiveIdentity<T, T>
    {
        var blocks = items.Select(item => Grid.Lines(item.Label, item.Matrix, dotZeros: dotZeros)).ToList();
        int height = blocks.Max(b => b.Count);
        var widths = blocks.Select(b => b.Max(l => l.Length)).ToList();
        for (int row = 0; row < height; row++)
        {
            var parts = blocks.Select((b, k) =>
            {
                int top = (height - b.Count) / 2;
                string line = row >= top && row < top + b.Count ? b[row - top] : "";
                return line.PadRight(widths[k]);
            });
            output.WriteLine((Indent + string.Join("   ", parts)).TrimEnd());
        }
    }

    /// <summary>Prints a vector as one bracketed row.</summary>
    public void Show<T>(string label, IReadOnlyList<T> vector) where T : IAdditiveIdentity<T, T> =>
        output.WriteLine(Indent + Grid.Row(label, vector));

    /// <summary>Prints a tensor as its last two dimensions (one grid per leading index), with the shape.</summary>
    public void Show<T>(string label, Tensor<T> tensor) where T : IAdditiveIdentity<T, T>
    {
        string shape = "(" + string.Join(", ", tensor.Shape) + ")";
        if (tensor.Rank == 1) { Show($"{label} {shape} =", tensor.Data); return; }
        int rows = tensor.Shape[^2], cols = tensor.Shape[^1], plane = rows * cols;
        int planes = tensor.Length / Math.Max(1, plane);
        var lead = tensor.Shape.Take(tensor.Rank - 2).ToArray();
        for (int p = 0; p < planes; p++)
        {
            var m = new T[rows, cols];
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    m[i, j] = tensor.Data[p * plane + i * cols + j];
            string index = planes == 1 ? "" : "[" + string.Join(", ", Unravel(p, lead)) + "]";
            Show(planes == 1 ? $"{label} {shape} =" : $"{label}{index} =", m, dotZeros: false);
        }
    }

    /// <summary>Records a check and prints it with ✓ or ✗. Returns whether it holds.</summary>
    public bool Check(string statement, bool holds)
    {
        checks.Add(new ProofCheck(statement, holds));
        var pieces = Wrap.Lines(statement, Wrap.Width - Indent.Length - 2).ToList();
        output.WriteLine(Indent + (holds ? "✓ " : "✗ ") + pieces[0]);
        foreach (var piece in pieces.Skip(1)) output.WriteLine(Indent + "  " + piece);
        return holds;
    }

    /// <summary>Checks two matrices are equal entry by entry (same shape); on failure prints the first difference.</summary>
    public bool CheckEqual<T>(string statement, T[,] expected, T[,] actual)
    {
        bool sameShape = expected.GetLength(0) == actual.GetLength(0) && expected.GetLength(1) == actual.GetLength(1);
        string? difference = sameShape ? null : $"shape {expected.GetLength(0)}×{expected.GetLength(1)} vs {actual.GetLength(0)}×{actual.GetLength(1)}";
        for (int i = 0; sameShape && difference is null && i < expected.GetLength(0); i++)
            for (int j = 0; difference is null && j < expected.GetLength(1); j++)
                if (!EqualityComparer<T>.Default.Equals(expected[i, j], actual[i, j]))
                    difference = $"entry ({i}, {j}): {expected[i, j]} vs {actual[i, j]}";
        return Report(statement, difference);
    }

    /// <summary>Checks two sequences are equal element by element; on failure prints the first difference.</summary>
    public bool CheckEqual<T>(string statement, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        string? difference = expected.Count == actual.Count ? null : $"length {expected.Count} vs {actual.Count}";
        for (int i = 0; difference is null && i < expected.Count; i++)
            if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
                difference = $"element {i}: {expected[i]} vs {actual[i]}";
        return Report(statement, difference);
    }

    /// <summary>
    /// For floating-point results (iterative solvers, spectra): checks |expected − actual| ≤ tolerance element by
    /// element and prints the largest difference. Exact element types should use <see cref="CheckEqual{T}(string, IReadOnlyList{T}, IReadOnlyList{T})"/>.
    /// </summary>
    public bool CheckClose(string statement, IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        if (expected.Count != actual.Count) return Report(statement, $"length {expected.Count} vs {actual.Count}");
        double largest = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            largest = double.IsNaN(d) ? double.NaN : Math.Max(largest, d);
            if (double.IsNaN(largest)) break;
        }
        return Check($"{statement} (largest difference {largest:G3} ≤ {tolerance:G3})", largest <= tolerance);
    }

    private bool Report(string statement, string? difference)
    {
        bool holds = Check(statement, difference is null);
        if (!holds) output.WriteLine(Indent + "  first difference: " + difference);
        return holds;
    }

    private static IEnumerable<int> Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return index;
    }
}
