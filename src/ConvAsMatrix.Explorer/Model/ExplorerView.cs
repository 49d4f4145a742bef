using System.Numerics;
using System.Globalization;
using System.Xml.Linq;

namespace ConvAsMatrix.Explorer.Model;

/// <summary>
/// Everything the page shows for one setting, computed by the library: the geometry, V's size and stored entries, the
/// output-size formula with the reader's numbers, V and Vᵀ coloured by tap, the transposed convolution's scatter, and the
/// live check. An invalid setting gives <see cref="Error"/>, the message of the library (or of the query's parser), and nothing else.
/// </summary>
public sealed class ExplorerView
{
    /// <summary>Beyond this many stored entries the explorer refuses to draw V (the browser would stall).</summary>
    public const long MaxEntries = 50_000;

    /// <summary>The most rows or columns V may have (the live check allocates vectors of that length).</summary>
    public const int MaxLength = 1_000_000;

    /// <summary>The most taps a kernel may have: the spy plot tells them apart as the bits of a 128-bit word (11×11 fits,
    /// e.g. the 9×9 blurs of the proof "choosing λ").</summary>
    public const int MaxTaps = 128;

    /// <summary>V is drawn with its entries written in the cells up to this many rows…</summary>
    public const int MaxEntryRows = 16;

    /// <summary>…and this many columns; larger V is a spy plot.</summary>
    public const int MaxEntryColumns = 25;

    /// <summary>The scatter is drawn step by step for at most this many input elements (one panel each).</summary>
    public const int MaxScatterInputs = 6;

    private ExplorerView(ExplorerQuery? query, string? error)
    {
        Query = query;
        Error = error;
    }

    /// <summary>The settings, or null when the query string itself was invalid.</summary>
    public ExplorerQuery? Query { get; }

    /// <summary>The message that replaces the view when the settings are invalid.</summary>
    public string? Error { get; }

    /// <summary>The library's geometry (for tconv: of the forward convolution whose V it transposes).</summary>
    public ConvGeometry? Geometry { get; private set; }

    /// <summary><c>V is R×C with N stored entries</c>.</summary>
    public string Summary { get; private set; } = "";

    /// <summary>Shapes of the operation's input, weight and output.</summary>
    public string Shapes { get; private set; } = "";

    /// <summary>The output size, one line per dimension.</summary>
    public IReadOnlyList<string> Formula { get; private set; } = [];

    /// <summary>V·x against the direct loops.</summary>
    public LiveCheck? Check { get; private set; }

    /// <summary>V and Vᵀ as SVG markup.</summary>
    public string MatrixSvg { get; private set; } = "";

    /// <summary>Whether <see cref="MatrixSvg"/> writes the entries (else it is a spy plot).</summary>
    public bool ShowsEntries { get; private set; }

    /// <summary>The transposed convolution's scatter as SVG markup, or empty (see <see cref="ScatterNote"/>).</summary>
    public string ScatterSvg { get; private set; } = "";

    /// <summary>Why the scatter is not drawn, when it is not.</summary>
    public string ScatterNote { get; private set; } = "";

    /// <summary>Milliseconds at the end of each phase of the computation.</summary>
    public List<(string Phase, double Ms)> Phases { get; } = [];

    /// <summary>Computes the view of <paramref name="query"/>; never throws for bad settings.</summary>
    public static ExplorerView For(string query, Random random)
    {
        ExplorerQuery parsed;
        try { parsed = ExplorerQuery.Parse(query); }
        catch (ArgumentException e) { return new ExplorerView(null, Message(e)); }
        try
        {
            var view = new ExplorerView(parsed, null);
            view.Compute(parsed, random);
            return view;
        }
        catch (ArgumentException e) { return new ExplorerView(parsed, Message(e)); }
        catch (Exception e) when (e is InvalidOperationException or OverflowException or OutOfMemoryException or NotSupportedException)
        {
            // Not a bad setting but a failure: still said in place, so the page never goes blank.
            return new ExplorerView(parsed, $"the explorer could not compute this setting: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The library's message, without the " (Parameter 'x')" suffix .NET appends (the message names the parameter already).</summary>
    public static string Message(ArgumentException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string m = e.Message;
        int suffix = e.ParamName is null ? -1 : m.LastIndexOf($" (Parameter '{e.ParamName}')", StringComparison.Ordinal);
        return suffix < 0 ? m : m[..suffix];
    }

    private void Compute(ExplorerQuery q, Random random)
    {
        if (q.Rank is < 1 or > 2) throw new ArgumentException($"input '{string.Join(",", q.Input)}' has {q.Rank} sizes: the explorer draws rank 1 or 2", "input");
        var g = q.Geometry();
        Geometry = g;
        if (Math.Max(g.InputLength, g.OutputLength) > MaxLength)
            throw new ArgumentException($"V would be {g.OutputLength}×{g.InputLength}; the explorer takes at most {MaxLength} rows and columns: make the input or the channels smaller", "input");
        long entries = g.NonZeroCount;
        if (entries > MaxEntries)
            throw new ArgumentException($"V would store {entries} entries; the explorer draws at most {MaxEntries}: make the input, the kernel or the channels smaller", "input");
        int pairs = g.OutChannels * (g.InChannels / g.Groups);
        if (pairs > 26)
            throw new ArgumentException($"the weight has {pairs} kernels (out_channels × in_channels / groups) and the explorer names each by a letter: at most 26", "cout");
        if (g.WeightLength / pairs > MaxTaps)
            throw new ArgumentException($"the kernel has {g.WeightLength / pairs} taps and the explorer colours at most {MaxTaps} (11×11 fits)", "kernel");
        Summary = $"V is {g.OutputLength}×{g.InputLength} with {entries} stored entries";
        Shapes = q.Transposed
            ? $"conv_transpose: input {Shape(g.OutputShape)}, weight {Shape(g.WeightShape)}, output {Shape(g.InputShape)}: Vᵀ·vec(input) is vec(output)"
            : $"conv: input {Shape(g.InputShape)}, weight {Shape(g.WeightShape)}, output {Shape(g.OutputShape)}: V·vec(input) is vec(output)";
        Formula = OutputSizeFormula.Lines(g, q.Transposed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Check = LiveCheck.Run(g, q.Transposed, random);
        Phases.Add(("check", clock.Elapsed.TotalMilliseconds));

        var kernel = g.KernelSize.ToArray();
        var symbols = pairs == 1 ? Symbolic.Kernel("k", kernel) : Symbolic.Kernels(pairs, kernel);
        int outSpatial = g.OutputLength / g.OutChannels, inSpatial = g.InputLength / g.InChannels;
        string v = $"V ({g.OutputLength}×{g.InputLength})", vt = $"Vᵀ ({g.InputLength}×{g.OutputLength})";
        string caption = q.Transposed
            ? "V of the forward convolution and Vᵀ, the transposed convolution, compiled by the library over the weight's symbols; colours are kernel taps."
            : "V of the convolution and its transpose Vᵀ, compiled by the library over the weight's symbols; colours are kernel taps.";
        ShowsEntries = g.OutputLength <= MaxEntryRows && g.InputLength <= MaxEntryColumns;
        XElement svg;
        if (ShowsEntries)
        {
            var colouring = pairs == 1 ? TapGridFigure.Colouring.Symbol : TapGridFigure.Colouring.Tap;
            svg = new TapGridFigure(caption,
                [
                    TapGridFigure.Compile(v, symbols, g) with { RowBlock = g.OutChannels > 1 ? outSpatial : 0, ColumnBlock = g.InChannels > 1 ? inSpatial : 0 },
                    TapGridFigure.Compile(vt, symbols, g, transposed: true) with { RowBlock = g.InChannels > 1 ? inSpatial : 0, ColumnBlock = g.OutChannels > 1 ? outSpatial : 0 },
                ], showEntries: true, colouring).ToSvg();
        }
        else
        {
            var names = symbols.Select(sym => sym.ToString()).ToArray();
            int taps = g.WeightLength / pairs;
            var legend = names.Take(taps).Select(TapGridFigure.TapOf).ToArray();
            var spy = (taps <= 64 ? SpyPanel<ulong>(v, g, taps) : SpyPanel<UInt128>(v, g, taps)) with { RowBlock = g.OutChannels > 1 ? outSpatial : 0, ColumnBlock = g.InChannels > 1 ? inSpatial : 0 };
            svg = new SpyFigure(caption, [spy, spy.Transposed(vt)], names, Enumerable.Range(0, names.Length).Select(i => i % taps).ToArray(), legend).ToSvg();
        }
        Phases.Add(("figure", clock.Elapsed.TotalMilliseconds));
        MatrixSvg = svg.ToString(SaveOptions.DisableFormatting);
        Phases.Add(("svg", clock.Elapsed.TotalMilliseconds));
        Scatter(q, g);
        Phases.Add(("scatter", clock.Elapsed.TotalMilliseconds));
    }

    /// <summary>
    /// V's stored entries with the weight's symbols at each, for the spy plot, without symbolic arithmetic (too slow in the
    /// browser's interpreter for 10⁴ entries): V is compiled over bit sets (64-bit words where the taps fit, else 128-bit), weight (pair, tap) being the bit of its tap, so an
    /// entry's value is the set of taps that add up there (distinct bits add as a union); its channel pair follows from its
    /// row's output channel and its column's input channel.
    /// </summary>
    private static SpyFigure.Panel SpyPanel<TSet>(string title, ConvGeometry g, int taps)
        where TSet : IBinaryInteger<TSet>, IUnsignedNumber<TSet>
    {
        var weight = new TSet[g.WeightLength];
        for (int i = 0; i < weight.Length; i++) weight[i] = TSet.One << (i % taps);
        var bits = ConvolutionMatrix<TSet>.Compile(weight, g);
        int outSpatial = g.OutputLength / g.OutChannels, inSpatial = g.InputLength / g.InChannels, perGroup = g.InChannels / g.Groups;
        var entries = new List<SpyFigure.Entry>(bits.Values.Length);
        var pointers = bits.RowPointers;
        var columns = bits.ColumnIndices;
        var values = bits.Values;
        var terms = new List<int>(4);
        for (int r = 0; r < bits.RowCount; r++)
        {
            int first = r / outSpatial * perGroup * taps; // the first symbol of output channel r's kernels
            for (int p = pointers[r]; p < pointers[r + 1]; p++)
            {
                int pair = first + columns[p] / inSpatial % perGroup * taps;
                terms.Clear();
                for (TSet set = values[p]; set != TSet.Zero; set &= set - TSet.One)
                    terms.Add(pair + int.CreateTruncating(TSet.TrailingZeroCount(set)));
                if (terms.Count > 0) entries.Add(new SpyFigure.Entry(r, columns[p], [.. terms]));
            }
        }
        return new SpyFigure.Panel(title, bits.RowCount, bits.ColumnCount, entries);
    }

    private void Scatter(ExplorerQuery q, ConvGeometry g)
    {
        int inputs = g.OutputLength; // the transposed convolution's input elements
        string? why =
            !q.Transposed ? "The scatter is the transposed convolution's: choose op tconv to see it step by step." :
            g.InChannels > 1 || g.OutChannels > 1 ? "The scatter is drawn step by step for one channel in and out (as in the lecture)." :
            g.PaddingBefore.Any(p => p != 0) || g.PaddingAfter.Any(p => p != 0) || g.Dilation.Any(d => d != 1) || g.OutputPadding.Any(o => o != 0)
                ? "The scatter is drawn step by step without padding, dilation or output_padding (as in the lecture); V and Vᵀ above show them all." :
            g.Stride.Distinct().Count() > 1 ? "The scatter is drawn step by step for the same stride in every dimension." :
            inputs > MaxScatterInputs ? $"The scatter is drawn step by step for at most {MaxScatterInputs} input elements (one panel each); this input has {inputs}." :
            null;
        if (why is not null)
        {
            ScatterNote = why;
            return;
        }
        int h = g.Rank == 2 ? g.OutputSize[0] : 1, w = g.OutputSize[g.Rank - 1];
        int kh = g.Rank == 2 ? g.KernelSize[0] : 1, kw = g.KernelSize[g.Rank - 1];
        // The lecture's values: X and K count up from 0 in reading order.
        var x = Dense.Matrix(Enumerable.Range(0, h * w).Select(i => (long)i).ToArray(), h, w);
        var k = Dense.Matrix(Enumerable.Range(0, kh * kw).Select(i => (long)i).ToArray(), kh, kw);
        var figure = ScatterFigure.FromLibrary(x, k, g.Stride[0],
            $"Each input element X[i,j] scatters X[i,j]·K into the {kh}×{kw} block at (i·{g.Stride[0]}, j·{g.Stride[0]}) (outlined); the contributions add up to Vᵀ·vec(X). Cell colours are the kernel taps.");
        ScatterSvg = figure.ToSvg().ToString(SaveOptions.DisableFormatting);
    }

    private static string Shape(int[] shape) => "(" + string.Join(", ", shape.Select(s => s.ToString(CultureInfo.InvariantCulture))) + ")";
}
