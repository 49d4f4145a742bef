using System.Numerics;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// The page a proof writes on: prose, quotes from the seed, matrices, tables, figures and checks, recorded as
/// <see cref="PageBlock"/>s in order. The page does not know where it is shown: each block goes to an optional
/// listener as it is added (the terminal prints it at once), and <see cref="Blocks"/> keeps them all (the web site
/// renders them afterwards). Every check is recorded; the runner computes the verdict from them
/// (<see cref="ProofResult.Passed"/>).
/// </summary>
public sealed class ProofPage
{
    private readonly List<PageBlock> blocks = [];
    private readonly List<ProofCheck> checks = [];
    private readonly Action<PageBlock>? added;

    /// <summary>A page that only records its blocks.</summary>
    public ProofPage() { }

    /// <summary>A page that prints each block to <paramref name="output"/> as a terminal page while recording it.</summary>
    public ProofPage(TextWriter output) : this(new TerminalRenderer(output).Write) { }

    /// <summary>A page that hands each block to <paramref name="added"/> as soon as it is recorded.</summary>
    public ProofPage(Action<PageBlock> added) => this.added = added;

    /// <summary>Everything the proof wrote, in order.</summary>
    public IReadOnlyList<PageBlock> Blocks => blocks;

    /// <summary>The checks recorded so far, in order.</summary>
    public IReadOnlyList<ProofCheck> Checks => checks;

    private void Add(PageBlock block)
    {
        blocks.Add(block);
        added?.Invoke(block);
    }

    /// <summary>A sub-heading inside the proof ("The computation", "Why", ...).</summary>
    public void Heading(string title) => Add(new HeadingBlock(title));

    /// <summary>
    /// Prose, reflowed to the page width: consecutive lines form one paragraph; a line that starts with a space
    /// (a formula) or follows an empty line starts afresh and keeps its indentation.
    /// </summary>
    public void Say(string text) => Add(new ProseBlock(text));

    /// <summary>A quotation from the seed lecture note, in its own words, then its English rendering.</summary>
    public void Seed(string original, string english) => Add(new QuoteBlock(original, english));

    /// <summary>A blank line.</summary>
    public void Gap() => Add(new GapBlock());

    /// <summary>A table with a header row: one row per case of a sweep or comparison.</summary>
    /// <param name="header">The column titles.</param>
    /// <param name="rows">The rows, each with as many cells as <paramref name="header"/>.</param>
    /// <exception cref="ArgumentException">A row has a different number of cells than the header.</exception>
    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var ragged = rows.Select((r, i) => (r, i)).FirstOrDefault(t => t.r.Count != header.Count);
        if (ragged.r is not null) throw new ArgumentException($"row {ragged.i} has {ragged.r.Count} cells, the header {header.Count}", nameof(rows));
        Add(new TableBlock(header, rows));
    }

    /// <summary>A figure computed from the library's results (a text picture in the terminal, SVG on the web).</summary>
    public void Figure(Figure figure)
    {
        ArgumentNullException.ThrowIfNull(figure);
        Add(new FigureBlock(figure));
    }

    /// <summary>Shows a matrix with its label left of the middle row, a dot for each zero (unless <paramref name="dotZeros"/> is false), and optional block rules.</summary>
    public void Show<T>(string label, T[,] matrix, int rowBlock = 0, int columnBlock = 0, bool dotZeros = true) where T : IAdditiveIdentity<T, T> =>
        Add(new MatricesBlock([Item(label, matrix, rowBlock, columnBlock, dotZeros)]));

    /// <summary>Shows a data matrix (an image, a feature map): zeros shown as 0.</summary>
    public void ShowData<T>(string label, T[,] matrix) where T : IAdditiveIdentity<T, T> => Show(label, matrix, dotZeros: false);

    /// <summary>Shows several matrices side by side, e.g. the terms of a sum.</summary>
    /// <param name="dotZeros">Zeros as dots (a sparsity picture) or as 0 (data).</param>
    /// <param name="items">The labelled matrices, left to right.</param>
    public void ShowSideBySide<T>(bool dotZeros, params (string Label, T[,] Matrix)[] items) where T : IAdditiveIdentity<T, T> =>
        Add(new MatricesBlock(items.Select(item => Item(item.Label, item.Matrix, 0, 0, dotZeros)).ToList()));

    private static MatrixItem Item<T>(string label, T[,] m, int rowBlock, int columnBlock, bool dotZeros) where T : IAdditiveIdentity<T, T> =>
        new(label, Dense.Map(m, x => Grid.Cell(x, dotZeros)), rowBlock, columnBlock);

    /// <summary>Shows a vector as one bracketed row.</summary>
    public void Show<T>(string label, IReadOnlyList<T> vector) where T : IAdditiveIdentity<T, T> =>
        Add(new VectorBlock(label, vector.Select(x => Grid.Cell(x, dotZeros: false)).ToList()));

    /// <summary>Shows a tensor as its last two dimensions (one grid per leading index), with the shape.</summary>
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

    /// <summary>Records a check and shows it with ✓ or ✗. Returns whether it holds.</summary>
    public bool Check(string statement, bool holds) => Record(statement, holds, null);

    private bool Record(string statement, bool holds, string? difference)
    {
        var check = new ProofCheck(statement, holds);
        checks.Add(check);
        Add(new CheckBlock(check, difference));
        return holds;
    }

    /// <summary>Checks two matrices are equal entry by entry (same shape); on failure shows the first difference.</summary>
    public bool CheckEqual<T>(string statement, T[,] expected, T[,] actual)
    {
        bool sameShape = expected.GetLength(0) == actual.GetLength(0) && expected.GetLength(1) == actual.GetLength(1);
        string? difference = sameShape ? null : $"shape {expected.GetLength(0)}×{expected.GetLength(1)} vs {actual.GetLength(0)}×{actual.GetLength(1)}";
        for (int i = 0; sameShape && difference is null && i < expected.GetLength(0); i++)
            for (int j = 0; difference is null && j < expected.GetLength(1); j++)
                if (!EqualityComparer<T>.Default.Equals(expected[i, j], actual[i, j]))
                    difference = $"entry ({i}, {j}): {expected[i, j]} vs {actual[i, j]}";
        return Record(statement, difference is null, difference);
    }

    /// <summary>Checks two sequences are equal element by element; on failure shows the first difference.</summary>
    public bool CheckEqual<T>(string statement, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        string? difference = expected.Count == actual.Count ? null : $"length {expected.Count} vs {actual.Count}";
        for (int i = 0; difference is null && i < expected.Count; i++)
            if (!EqualityComparer<T>.Default.Equals(expected[i], actual[i]))
                difference = $"element {i}: {expected[i]} vs {actual[i]}";
        return Record(statement, difference is null, difference);
    }

    /// <summary>
    /// For floating-point results (iterative solvers, spectra): checks |expected − actual| ≤ tolerance element by
    /// element and shows the largest difference. Exact element types should use <see cref="CheckEqual{T}(string, IReadOnlyList{T}, IReadOnlyList{T})"/>.
    /// </summary>
    public bool CheckClose(string statement, IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        if (expected.Count != actual.Count) return Record(statement, false, $"length {expected.Count} vs {actual.Count}");
        double largest = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            largest = double.IsNaN(d) ? double.NaN : Math.Max(largest, d);
            if (double.IsNaN(largest)) break;
        }
        return Check($"{statement} (largest difference {largest:G3} ≤ {tolerance:G3})", largest <= tolerance);
    }

    private static IEnumerable<int> Unravel(int flat, int[] shape)
    {
        var index = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { index[d] = flat % shape[d]; flat /= shape[d]; }
        return index;
    }
}
