using System.CommandLine;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The geometry options every command shares — <c>--stride --padding --auto-pad --dilation --groups --padding-mode</c>,
/// for transposed convolutions <c>--output-padding --output-shape --output-size</c>, and for commands without an input array
/// <c>--input-shape C,D1[,D2[,D3]]</c> — defined once, with one meaning, and turned into the library's
/// <see cref="ConvOptions"/>, <see cref="ConvTransposeOptions"/> and <see cref="ConvAsMatrix.ConvGeometry"/>.
/// </summary>
/// <remarks>
/// Usage in a command: <c>var geometry = GeometryOptions.ForConv(withInputShape: true); geometry.AddTo(command);</c>
/// then in its action <c>geometry.ConvGeometry(context.Parse, weight.Shape)</c> or <c>geometry.ToConvOptions(context.Parse)</c>.
/// Values are PyTorch's: S, D, O one integer for every dimension or a comma list with one per dimension;
/// P also <c>same</c>, <c>valid</c> or <c>before:after</c> pairs per dimension. Absent options take PyTorch's defaults.
/// </remarks>
public sealed class GeometryOptions
{
    private GeometryOptions(bool transposed, bool withInputShape, bool either = false)
    {
        Stride = ValueParsers.IntList("--stride", "Stride S: one integer for every dimension or one per dimension (default 1).", 1, "S|S1,S2,...");
        Padding = either
            ? ValueParsers.PaddingOption("Padding P: integer(s), same (conv only), valid, or before:after pairs per dimension such as 1:2,0:1; a tconv removes it from its output (default 0).")
            : transposed
            ? ValueParsers.PaddingOption("Padding P removed from the output: integer(s) or before:after pairs per dimension such as 1:2,0:1 (default 0).", "P|P1,P2,...|B1:A1,...")
            : ValueParsers.PaddingOption("Padding P: integer(s), same, valid, or before:after pairs per dimension such as 1:2,0:1 (default 0).");
        AutoPad = ValueParsers.AutoPadOption();
        Dilation = ValueParsers.IntList("--dilation", "Dilation D: spacing between kernel taps, one integer or one per dimension (default 1).", 1, "D|D1,D2,...");
        Groups = new Option<int?>("--groups") { Description = "Groups G: blocked connections from input to output channels (default 1).", HelpName = "G" };
        PaddingMode = ValueParsers.PaddingModeOption(either
            ? "What the convolution reads outside the input (for a tconv: its forward convolution's mode): zeros, reflect, replicate or circular (default zeros)."
            : transposed
            ? "Padding mode of the forward convolution whose adjoint this is (default zeros, PyTorch's only mode for ConvTranspose)."
            : "What the convolution reads outside the input: zeros, reflect, replicate or circular (default zeros).");
        if (transposed)
        {
            OutputPadding = ValueParsers.IntList("--output-padding", "Output padding O added on the high side of each output dimension, one integer or one per dimension (default 0).", 0, "O|O1,O2,...");
            OutputShape = ValueParsers.IntList("--output-shape", "ONNX's output_shape: the spatial output size, one per dimension; the padding is derived from it (a size beyond the natural one pads the output with zeros).", 1, "D1[,D2[,D3]]");
            OutputSize = ValueParsers.IntList("--output-size", "PyTorch's output_size: the spatial output size, one per dimension; keeps --padding and chooses output_padding (between the natural size and stride - 1 more).", 1, "D1[,D2[,D3]]");
        }
        if (withInputShape)
            InputShape = ValueParsers.IntList("--input-shape", "Shape of one input sample: channels then 1 to 3 spatial sizes, e.g. 1,3,3.", 1, "C,D1[,D2[,D3]]");
        if (InputShape is not null) InputShape.Required = true;
    }

    /// <summary>Options of a convolution: stride, padding, dilation, groups, padding mode; and --input-shape if asked for.</summary>
    public static GeometryOptions ForConv(bool withInputShape = false) => new(transposed: false, withInputShape);

    /// <summary>Options of a command that takes either operation (<c>check --op conv|tconv</c>): the transposed set, described for both.</summary>
    public static GeometryOptions ForEither() => new(transposed: true, withInputShape: false, either: true);

    /// <summary>Options of a transposed convolution: those of a convolution plus --output-padding; and --input-shape if asked for.</summary>
    public static GeometryOptions ForConvTranspose(bool withInputShape = false) => new(transposed: true, withInputShape);

    /// <summary>--stride.</summary>
    public Option<int[]> Stride { get; }

    /// <summary>--padding.</summary>
    public Option<Padding> Padding { get; }

    /// <summary>--auto-pad (ONNX's auto_pad).</summary>
    public Option<AutoPad?> AutoPad { get; }

    /// <summary>--dilation.</summary>
    public Option<int[]> Dilation { get; }

    /// <summary>--groups.</summary>
    public Option<int?> Groups { get; }

    /// <summary>--padding-mode.</summary>
    public Option<PaddingMode?> PaddingMode { get; }

    /// <summary>--output-padding (transposed convolutions only).</summary>
    public Option<int[]>? OutputPadding { get; }

    /// <summary>--output-shape (transposed convolutions only; ONNX's output_shape).</summary>
    public Option<int[]>? OutputShape { get; }

    /// <summary>--output-size (transposed convolutions only; PyTorch's output_size).</summary>
    public Option<int[]>? OutputSize { get; }

    /// <summary>--input-shape (commands without an input array; required there).</summary>
    public Option<int[]>? InputShape { get; }

    /// <summary>Adds these options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (InputShape is not null) command.Add(InputShape);
        command.Add(Stride);
        command.Add(Padding);
        command.Add(AutoPad);
        if (OutputPadding is not null) command.Add(OutputPadding);
        if (OutputShape is not null) command.Add(OutputShape);
        if (OutputSize is not null) command.Add(OutputSize);
        command.Add(Dilation);
        command.Add(Groups);
        command.Add(PaddingMode);
    }

    /// <summary>The convolution options given on the command line, PyTorch's defaults for the rest.</summary>
    public ConvOptions ToConvOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var defaults = new ConvOptions();
        return new ConvOptions
        {
            Stride = Given(parse, Stride) ?? defaults.Stride,
            Padding = parse.GetValue(Padding) ?? defaults.Padding,
            AutoPad = parse.GetValue(AutoPad) ?? defaults.AutoPad,
            Dilation = Given(parse, Dilation) ?? defaults.Dilation,
            Groups = parse.GetValue(Groups) ?? defaults.Groups,
            PaddingMode = parse.GetValue(PaddingMode) ?? defaults.PaddingMode,
        };
    }

    /// <summary>The transposed-convolution options given on the command line, PyTorch's defaults for the rest.</summary>
    public ConvTransposeOptions ToConvTransposeOptions(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var defaults = new ConvTransposeOptions();
        return new ConvTransposeOptions
        {
            Stride = Given(parse, Stride) ?? defaults.Stride,
            Padding = parse.GetValue(Padding) ?? defaults.Padding,
            AutoPad = parse.GetValue(AutoPad) ?? defaults.AutoPad,
            OutputPadding = (OutputPadding is null ? null : Given(parse, OutputPadding)) ?? defaults.OutputPadding,
            OutputShape = OutputShape is null ? null : Given(parse, OutputShape),
            OutputSize = OutputSize is null ? null : Given(parse, OutputSize),
            Dilation = Given(parse, Dilation) ?? defaults.Dilation,
            Groups = parse.GetValue(Groups) ?? defaults.Groups,
            PaddingMode = parse.GetValue(PaddingMode) ?? defaults.PaddingMode,
        };
    }

    /// <summary>For a command that takes either operation: refuses the options only a transposed convolution has (--output-padding, --output-shape, --output-size) when the operation is not one.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="transposed">Whether the operation is a transposed convolution's.</param>
    /// <param name="operation">How the command names the operation, e.g. <c>--op conv-grad-weight</c>.</param>
    /// <param name="transposedOperations">How it names the operations that take them, e.g. <c>--op tconv</c>.</param>
    /// <exception cref="UsageException">One of them is given for a convolution.</exception>
    public void RejectTransposeOnly(ParseResult parse, bool transposed, string operation, string transposedOperations)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (transposed) return;
        foreach (var only in new Option?[] { OutputPadding, OutputShape, OutputSize })
            if (only is not null && parse.GetResult(only) is not null)
                throw new UsageException($"{only.Name} is an option of {transposedOperations}, not of {operation}");
    }

    /// <summary>The list given on the command line, or null when the option is absent (System.CommandLine then yields an empty array).</summary>
    private static int[]? Given(ParseResult parse, Option<int[]> option) => parse.GetResult(option) is null ? null : parse.GetValue(option);

    /// <summary>The input of one sample, (1, C, *spatial), from --input-shape, checked against the weight's rank.</summary>
    /// <exception cref="UsageException">--input-shape has the wrong number of values for the weight.</exception>
    public int[] SampleInputShape(ParseResult parse, IReadOnlyList<int> weightShape)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(weightShape);
        if (InputShape is null) throw new InvalidOperationException("this command was built without --input-shape");
        var shape = parse.GetRequiredValue(InputShape);
        int rank = weightShape.Count - 2;
        if (rank is < 1 or > ConvAsMatrix.ConvGeometry.MaxRank)
            throw new UsageException($"weight has shape ({string.Join(", ", weightShape)}); expected (C_out, C_in/groups, *kernel) with 1 to 3 kernel dimensions");
        if (shape.Length != rank + 1)
            throw new UsageException($"--input-shape {string.Join(",", shape)} has {shape.Length - 1} spatial sizes but the weight ({string.Join(", ", weightShape)}) has {rank}: give C,D1{(rank > 1 ? ",D2" : "")}{(rank > 2 ? ",D3" : "")}");
        return [1, .. shape];
    }

    /// <summary>The convolution of one sample of --input-shape with a weight of <paramref name="weightShape"/> (C_out, C_in/groups, *k).</summary>
    /// <exception cref="UsageException">--input-shape does not fit the weight's rank.</exception>
    /// <exception cref="ArgumentException">The geometry is invalid (the message names the option and values).</exception>
    public ConvGeometry ConvGeometry(ParseResult parse, IReadOnlyList<int> weightShape) =>
        ConvAsMatrix.ConvGeometry.ForConv(SampleInputShape(parse, weightShape), weightShape.ToArray(), ToConvOptions(parse));

    /// <summary>The forward convolution of the transposed convolution of one sample of --input-shape with a weight of <paramref name="weightShape"/> (C_in, C_out/groups, *k).</summary>
    /// <exception cref="UsageException">--input-shape does not fit the weight's rank.</exception>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public ConvGeometry ConvTransposeGeometry(ParseResult parse, IReadOnlyList<int> weightShape) =>
        ConvAsMatrix.ConvGeometry.ForConvTranspose(SampleInputShape(parse, weightShape), weightShape.ToArray(), ToConvTransposeOptions(parse));
}
