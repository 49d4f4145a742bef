using System.Globalization;
using System.Text;

namespace ConvAsMatrix.Figures;

/// <summary>
/// The explorer's settings as a URL query, with the values of convmat's options: <c>op</c> (conv or tconv), <c>input</c>
/// (spatial sizes, e.g. <c>3,3</c>; their count is the rank), <c>kernel</c>, <c>stride</c>, <c>padding</c> (<c>P</c>,
/// <c>P1,P2</c>, <c>B1:A1,B2:A2</c>, <c>same</c>, <c>valid</c>), <c>dilation</c>, <c>groups</c>, <c>cin</c>, <c>cout</c>,
/// <c>mode</c> (zeros, reflect, replicate, circular) and <c>output_padding</c>. The proof site writes its links to the
/// explorer with it, and the explorer reads and writes its address with it.
/// </summary>
/// <remarks>
/// <c>cin</c> and <c>cout</c> are the channels of the operation named by <c>op</c>: for tconv, <c>cin</c> channels go into
/// the transposed convolution, whose weight is PyTorch's (cin, cout / groups, *kernel).
/// </remarks>
public sealed record ExplorerQuery
{
    /// <summary>Whether the operation is the transposed convolution (<c>op=tconv</c>) rather than the convolution.</summary>
    public bool Transposed { get; init; }

    /// <summary>The spatial input size, one per dimension (1 or 2 dimensions in the explorer, up to 3 in the library).</summary>
    public IReadOnlyList<int> Input { get; init; } = [4, 4];

    /// <summary>The kernel size, one per dimension.</summary>
    public IReadOnlyList<int> Kernel { get; init; } = [3, 3];

    /// <summary>The stride: one value for every dimension, or one per dimension.</summary>
    public IReadOnlyList<int> Stride { get; init; } = [1];

    /// <summary>The padding in convmat's syntax (<see cref="ConvAsMatrix.Padding.Parse"/>).</summary>
    public string Padding { get; init; } = "0";

    /// <summary>The dilation: one value for every dimension, or one per dimension.</summary>
    public IReadOnlyList<int> Dilation { get; init; } = [1];

    /// <summary>The number of groups.</summary>
    public int Groups { get; init; } = 1;

    /// <summary>The operation's input channels.</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>The operation's output channels.</summary>
    public int OutChannels { get; init; } = 1;

    /// <summary>What the (forward) convolution reads outside its input.</summary>
    public PaddingMode Mode { get; init; } = PaddingMode.Zeros;

    /// <summary>The transposed convolution's output_padding: one value for every dimension, or one per dimension.</summary>
    public IReadOnlyList<int> OutputPadding { get; init; } = [0];

    /// <summary>The spatial rank, the number of input sizes.</summary>
    public int Rank => Input.Count;

    /// <summary>
    /// Reads a query string (with or without its leading <c>?</c>); absent parameters keep their defaults (conv of a 4×4
    /// input with a 3×3 kernel), unknown ones are ignored.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not of its parameter's form; the message names the parameter and quotes the value.</exception>
    public static ExplorerQuery Parse(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var result = new ExplorerQuery();
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = Uri.UnescapeDataString((eq < 0 ? "" : pair[(eq + 1)..]).Replace('+', ' ')).Trim();
            result = key switch
            {
                "op" => result with { Transposed = value switch
                {
                    "conv" => false,
                    "tconv" => true,
                    _ => throw new ArgumentException($"op '{value}' is not conv or tconv", nameof(query)),
                } },
                "input" => result with { Input = IntList(key, value, 1) },
                "kernel" => result with { Kernel = IntList(key, value, 1) },
                "stride" => result with { Stride = IntList(key, value, 1) },
                "padding" => result with { Padding = ConvAsMatrix.Padding.Parse(value).ToString() },
                "dilation" => result with { Dilation = IntList(key, value, 1) },
                "groups" => result with { Groups = Integer(key, value) },
                "cin" => result with { InChannels = Integer(key, value) },
                "cout" => result with { OutChannels = Integer(key, value) },
                "mode" => result with { Mode = Enum.TryParse<PaddingMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !char.IsDigit(value.FirstOrDefault())
                    ? mode
                    : throw new ArgumentException($"mode '{value}' is not one of zeros, reflect, replicate, circular", nameof(query)) },
                "output_padding" => result with { OutputPadding = IntList(key, value, 0) },
                _ => result,
            };
        }
        return result;
    }

    private static int[] IntList(string name, string text, int minimum) => DimensionList.Parse(text, name, minimum);

    private static int Integer(string name, string text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new ArgumentException($"{name} '{text}' must be an integer >= 1", nameof(text));

    /// <summary>Every parameter with its value in the query's syntax, in the order of <see cref="Parse"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters()
    {
        static string L(IReadOnlyList<int> values) => string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        return
        [
            new("op", Transposed ? "tconv" : "conv"),
            new("input", L(Input)),
            new("kernel", L(Kernel)),
            new("stride", L(Stride)),
            new("padding", Padding),
            new("dilation", L(Dilation)),
            new("groups", Groups.ToString(CultureInfo.InvariantCulture)),
            new("cin", InChannels.ToString(CultureInfo.InvariantCulture)),
            new("cout", OutChannels.ToString(CultureInfo.InvariantCulture)),
            new("mode", Mode.ToString().ToLowerInvariant()),
            new("output_padding", L(OutputPadding)),
        ];
    }

    /// <summary>The query string, without <c>?</c>: <c>op</c>, <c>input</c> and <c>kernel</c> always, the other parameters when they differ from their defaults, in the order of <see cref="Parse"/>.</summary>
    public string ToQuery()
    {
        var defaults = new ExplorerQuery().Parameters();
        return string.Join('&', Parameters().Where((p, i) => i < 3 || p.Value != defaults[i].Value).Select(p => $"{p.Key}={Escape(p.Value)}"));
    }

    /// <summary>A value for the query: percent-escaped, except the commas and colons of lists, which stay readable.</summary>
    public static string Escape(string value) =>
        Uri.EscapeDataString(value).Replace("%2C", ",", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal);

    /// <summary>
    /// The library's geometry of one sample: for conv, input (1, cin, *input) and weight (cout, cin / groups, *kernel);
    /// for tconv, the forward convolution of input (1, cin, *input) and weight (cin, cout / groups, *kernel), whose V the
    /// transposed convolution multiplies by transposed.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid: the library's own message, or for channels that groups
    /// do not divide (which a weight shape cannot express) PyTorch's rule.</exception>
    public ConvGeometry Geometry()
    {
        if (Groups >= 1)
        {
            if (InChannels % Groups != 0) throw new ArgumentException($"in_channels={InChannels} must be divisible by groups={Groups}", "groups");
            if (OutChannels % Groups != 0) throw new ArgumentException($"out_channels={OutChannels} must be divisible by groups={Groups}", "groups");
        }
        int[] input = [1, InChannels, .. Input];
        var padding = ConvAsMatrix.Padding.Parse(Padding);
        if (!Transposed)
        {
            if (OutputPadding.Any(o => o != 0))
                throw new ArgumentException($"output_padding ({string.Join(", ", OutputPadding)}) is a parameter of conv_transpose, not of conv", "output_padding");
            return ConvGeometry.ForConv(input, [OutChannels, InChannels / Math.Max(1, Groups), .. Kernel], new ConvOptions
            {
                Stride = [.. Stride], Padding = padding, Dilation = [.. Dilation], Groups = Groups, PaddingMode = Mode,
            });
        }
        return ConvGeometry.ForConvTranspose(input, [InChannels, OutChannels / Math.Max(1, Groups), .. Kernel], new ConvTransposeOptions
        {
            Stride = [.. Stride], Padding = padding, Dilation = [.. Dilation], Groups = Groups, PaddingMode = Mode, OutputPadding = [.. OutputPadding],
        });
    }
}
