namespace ConvAsMatrix;

/// <summary>
/// One immutable description of a convolution <c>y = conv(x, w)</c> in PyTorch's semantics: spatial rank
/// 1, 2 or 3, batch, channels, groups, kernel size, stride, dilation, padding before/after and padding
/// mode per dimension. It is the geometry of the forward convolution whose matrix is V; a transposed
/// convolution is described by the forward convolution it transposes (<see cref="ForConvTranspose"/>).
/// </summary>
/// <remarks>
/// <para>Output size per dimension (PyTorch, Dumoulin &amp; Visin):
/// <c>out = floor((in + before + after − dilation·(k − 1) − 1) / stride) + 1</c>.</para>
/// <para>V has <see cref="OutputLength"/> rows and <see cref="InputLength"/> columns: one sample's
/// output and input flattened row-major over (channels, *spatial), exactly like <c>reshape(-1)</c>.</para>
/// <para>For a transposed convolution with input size <c>n</c> the output size is
/// <c>(n − 1)·stride − before − after + dilation·(k − 1) + output_padding + 1</c>; the forward geometry has
/// that as its <see cref="InputSize"/> and <c>n</c> as its <see cref="OutputSize"/>.</para>
/// </remarks>
public sealed class ConvGeometry : IEquatable<ConvGeometry>
{
    /// <summary>The largest spatial rank (3-D convolution).</summary>
    public const int MaxRank = 3;

    private readonly int[] inputSize, outputSize, kernelSize, stride, dilation, paddingBefore, paddingAfter, outputPadding;
    private SamplingMap[]? maps;

    private ConvGeometry(int batch, int inChannels, int outChannels, int groups, int[] inputSize, int[] kernelSize,
        int[] stride, int[] dilation, int[] paddingBefore, int[] paddingAfter, PaddingMode paddingMode,
        int[] outputPadding, int[]? transposedInputSize)
    {
        int rank = kernelSize.Length;
        Check.AtLeast(batch, 1, "batch");
        Check.AtLeast(inChannels, 1, "in_channels");
        Check.AtLeast(outChannels, 1, "out_channels");
        Check.AtLeast(groups, 1, "groups");
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"groups={groups} must divide both in_channels={inChannels} and out_channels={outChannels}", nameof(groups));
        Check.AllAtLeast(inputSize, 1, "input size");
        Check.AllAtLeast(kernelSize, 1, "kernel_size");
        Check.AllAtLeast(stride, 1, "stride");
        Check.AllAtLeast(dilation, 1, "dilation");
        // Negative pads come only from ONNX's output_shape (or SAME_*) beyond the natural size of a transposed convolution:
        // with zeros padding they crop the forward input, i.e. add transposed-output positions that nothing feeds.
        if (transposedInputSize is null || paddingMode != PaddingMode.Zeros)
        {
            Check.AllAtLeast(paddingBefore, 0, "padding");
            Check.AllAtLeast(paddingAfter, 0, "padding");
        }
        Check.AllAtLeast(outputPadding, 0, "output_padding");
        if (!Enum.IsDefined(paddingMode))
            throw new ArgumentException($"padding_mode {(int)paddingMode} is not one of zeros, reflect, replicate, circular", "padding_mode");

        var outputs = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            if (outputPadding[d] >= Math.Max(stride[d], dilation[d]))
                throw new ArgumentException($"output_padding {Check.List(outputPadding)} must be smaller than either stride {Check.List(stride)} or dilation {Check.List(dilation)} in every dimension (dimension {d})", "output_padding");
            if (paddingMode == PaddingMode.Reflect && (paddingBefore[d] >= inputSize[d] || paddingAfter[d] >= inputSize[d]))
                throw new ArgumentException($"reflect padding ({paddingBefore[d]}, {paddingAfter[d]}) in dimension {d} must be smaller than the input size {inputSize[d]}", "padding");
            if (paddingMode == PaddingMode.Circular && (paddingBefore[d] > inputSize[d] || paddingAfter[d] > inputSize[d]))
                throw new ArgumentException($"circular padding ({paddingBefore[d]}, {paddingAfter[d]}) in dimension {d} must not exceed the input size {inputSize[d]}", "padding");
            long padded = (long)inputSize[d] + paddingBefore[d] + paddingAfter[d];
            long extent = (long)dilation[d] * (kernelSize[d] - 1) + 1;
            long natural = padded < extent ? 0 : (padded - extent) / stride[d] + 1;
            if (natural < 1)
                throw new ArgumentException($"output size would be {(padded - extent) / stride[d] + 1} in dimension {d}: the dilated kernel extent {extent} (kernel_size {kernelSize[d]}, dilation {dilation[d]}) is wider than the padded input {padded} (input {inputSize[d]} + padding {paddingBefore[d]} + {paddingAfter[d]})", "kernel_size");
            // A transposed convolution with output_padding >= stride (allowed when dilation > stride) keeps only
            // the first n rows of the forward convolution: the rows beyond read nothing that the transposed input feeds.
            outputs[d] = transposedInputSize is null ? (int)Math.Min(natural, int.MaxValue) : transposedInputSize[d];
        }

        Rank = rank;
        Batch = batch;
        InChannels = inChannels;
        OutChannels = outChannels;
        Groups = groups;
        PaddingMode = paddingMode;
        this.inputSize = inputSize;
        this.outputSize = outputs;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.dilation = dilation;
        this.paddingBefore = paddingBefore;
        this.paddingAfter = paddingAfter;
        this.outputPadding = outputPadding;

        // Sizes go to Check.Length one factor at a time: a product of three int sizes taken first can wrap around long.
        InputLength = Check.Length("one input sample (V's columns)", [inChannels, .. inputSize]);
        OutputLength = Check.Length("one output sample (V's rows)", [outChannels, .. outputs]);
        WeightLength = Check.Length("the weight", [outChannels, inChannels / groups, .. kernelSize]);
        Check.Length("the input tensor", [batch, inChannels, .. inputSize]);
        Check.Length("the output tensor", [batch, outChannels, .. outputs]);
    }

    /// <summary>
    /// The geometry of <c>torch.nn.functional.conv{1,2,3}d(input, weight, ...)</c> (with
    /// <c>nn.Conv{1,2,3}d</c>'s <c>padding_mode</c>).
    /// </summary>
    /// <param name="inputShape">(N, C_in, *spatial), 1 to 3 spatial dimensions.</param>
    /// <param name="weightShape">(C_out, C_in / groups, *kernel), with as many spatial dimensions as the input.</param>
    /// <param name="options">Stride, padding (or ONNX's auto_pad), dilation, groups and padding mode; PyTorch's defaults when null.</param>
    /// <exception cref="ArgumentException">Any shape or hyperparameter is invalid; the message names it and its values.</exception>
    /// <remarks>The input is batched (N, C_in, *spatial); <see cref="Functional.Conv"/> also takes PyTorch's unbatched (C_in, *spatial).</remarks>
    public static ConvGeometry ForConv(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> weightShape, ConvOptions? options = null)
    {
        options ??= new ConvOptions();
        var (rank, kernel) = SpatialRank(inputShape, weightShape);
        int groups = options.Groups;
        Check.AtLeast(groups, 1, "groups");
        int inChannels = inputShape[1], outChannels = weightShape[0];
        if ((long)weightShape[1] * groups != inChannels)
            throw new ArgumentException($"input has {inChannels} channels but weight {Check.List(weightShape.ToArray())} with groups={groups} expects weight.shape[1] x groups = {(long)weightShape[1] * groups}", "weight");
        var stride = Check.PerDimension(options.Stride, rank, "stride");
        var dilation = Check.PerDimension(options.Dilation, rank, "dilation");
        Check.AllAtLeast(stride, 1, "stride");
        Check.AllAtLeast(dilation, 1, "dilation");
        Check.AllAtLeast(kernel, 1, "kernel_size");
        ArgumentNullException.ThrowIfNull(options.Padding, "padding");
        var (before, after) = options.AutoPad == AutoPad.NotSet
            ? options.Padding.Resolve(rank, kernel, dilation, stride)
            : DerivedPadding.ForConv(options.AutoPad, options.Padding, inputShape[2..].ToArray(), kernel, stride, dilation);
        return new ConvGeometry(inputShape[0], inChannels, outChannels, groups, inputShape[2..].ToArray(), kernel,
            stride, dilation, before, after, options.PaddingMode, new int[rank], null);
    }

    /// <summary>
    /// The forward convolution whose transpose is <c>torch.nn.functional.conv_transpose{1,2,3}d(input, weight, ...)</c>:
    /// its input has the transposed convolution's output shape, its output the transposed input's shape, and
    /// the same weight tensor serves both (PyTorch's ConvTranspose layout (C_in, C_out / groups, *k) is the
    /// Conv layout (C_out, C_in / groups, *k) of this forward convolution).
    /// </summary>
    /// <param name="inputShape">The transposed convolution's input (N, C_in, *spatial).</param>
    /// <param name="weightShape">(C_in, C_out / groups, *kernel).</param>
    /// <param name="options">Stride, padding, output_padding, dilation, groups and the forward padding mode; or ONNX's
    /// auto_pad / output_shape, or PyTorch's output_size, which derive the padding or output_padding.</param>
    /// <exception cref="ArgumentException">Any shape or hyperparameter is invalid; the message names it and its values.</exception>
    /// <remarks>With ONNX's output_shape (or SAME_* at stride beyond the kernel extent) beyond the natural output size the
    /// derived pads are negative, and <see cref="PaddingBefore"/> / <see cref="PaddingAfter"/> report them so: the forward
    /// convolution crops its input there, and V has zero columns for those positions of the transposed output.</remarks>
    public static ConvGeometry ForConvTranspose(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> weightShape, ConvTransposeOptions? options = null)
    {
        options ??= new ConvTransposeOptions();
        var (rank, kernel) = SpatialRank(inputShape, weightShape);
        int groups = options.Groups;
        Check.AtLeast(groups, 1, "groups");
        int tIn = inputShape[1];
        if (weightShape[0] != tIn)
            throw new ArgumentException($"input has {tIn} channels but the conv_transpose weight {Check.List(weightShape.ToArray())} expects weight.shape[0] = {weightShape[0]}", "weight");
        if (tIn % groups != 0)
            throw new ArgumentException($"groups={groups} must divide in_channels={tIn}", nameof(groups));
        long tOut = (long)weightShape[1] * groups;
        if (tOut > int.MaxValue) throw new ArgumentException($"out_channels = weight.shape[1] x groups = {tOut} is beyond int32", "weight");
        var stride = Check.PerDimension(options.Stride, rank, "stride");
        var dilation = Check.PerDimension(options.Dilation, rank, "dilation");
        var outputPadding = Check.PerDimension(options.OutputPadding, rank, "output_padding");
        Check.AllAtLeast(stride, 1, "stride");
        Check.AllAtLeast(dilation, 1, "dilation");
        Check.AllAtLeast(kernel, 1, "kernel_size");
        Check.AllAtLeast(outputPadding, 0, "output_padding");
        ArgumentNullException.ThrowIfNull(options.Padding, "padding");
        if (options.Padding.Kind == PaddingKind.Same)
            throw new ArgumentException("padding='same' is not defined for conv_transpose (PyTorch accepts only integers); give the amounts", "padding");
        var transposedInput = inputShape[2..].ToArray();
        Check.AllAtLeast(transposedInput, 1, "input size");
        var (before, after, resolvedOutputPadding) = DerivedPadding.ForConvTranspose(options, transposedInput, kernel, stride, dilation, outputPadding);
        outputPadding = resolvedOutputPadding;
        var forwardInput = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            long size = (long)(transposedInput[d] - 1) * stride[d] - before[d] - after[d] + (long)dilation[d] * (kernel[d] - 1) + outputPadding[d] + 1;
            if (size < 1 || size > int.MaxValue)
                throw new ArgumentException($"conv_transpose output size would be {size} in dimension {d}: (input {transposedInput[d]} - 1) x stride {stride[d]} - padding {before[d]} - {after[d]} + dilation {dilation[d]} x (kernel {kernel[d]} - 1) + output_padding {outputPadding[d]} + 1", "padding");
            forwardInput[d] = (int)size;
        }
        return new ConvGeometry(inputShape[0], (int)tOut, tIn, groups, forwardInput, kernel,
            stride, dilation, before, after, options.PaddingMode, outputPadding, transposedInput);
    }

    private static (int Rank, int[] Kernel) SpatialRank(ReadOnlySpan<int> inputShape, ReadOnlySpan<int> weightShape)
    {
        if (weightShape.Length < 3 || weightShape.Length > MaxRank + 2)
            throw new ArgumentException($"weight has shape {Check.List(weightShape.ToArray())}: expected (C_out, C_in/groups, *kernel) with 1 to 3 kernel dimensions", "weight");
        if (inputShape.Length != weightShape.Length)
            throw new ArgumentException($"input has shape {Check.List(inputShape.ToArray())} ({inputShape.Length} dimensions) but weight {Check.List(weightShape.ToArray())} needs (N, C, *spatial) with {weightShape.Length} dimensions", "input");
        Check.AtLeast(inputShape[0], 1, "batch");
        Check.AllAtLeast(inputShape.ToArray(), 1, "input shape");
        Check.AllAtLeast(weightShape.ToArray(), 1, "weight shape");
        return (weightShape.Length - 2, weightShape[2..].ToArray());
    }

    /// <summary>Spatial rank: 1, 2 or 3.</summary>
    public int Rank { get; }

    /// <summary>Number of samples N.</summary>
    public int Batch { get; }

    /// <summary>Input channels of the forward convolution (the transposed convolution's output channels).</summary>
    public int InChannels { get; }

    /// <summary>Output channels of the forward convolution (the transposed convolution's input channels).</summary>
    public int OutChannels { get; }

    /// <summary>Number of groups; output channel <c>co</c> reads input channels of group <c>co / (OutChannels / Groups)</c>.</summary>
    public int Groups { get; }

    /// <summary>What the forward convolution reads outside its input.</summary>
    public PaddingMode PaddingMode { get; }

    /// <summary>Spatial input size of the forward convolution.</summary>
    public IReadOnlyList<int> InputSize => inputSize;

    /// <summary>Spatial output size of the forward convolution.</summary>
    public IReadOnlyList<int> OutputSize => outputSize;

    /// <summary>Kernel size per dimension.</summary>
    public IReadOnlyList<int> KernelSize => kernelSize;

    /// <summary>Stride per dimension.</summary>
    public IReadOnlyList<int> Stride => stride;

    /// <summary>Dilation per dimension.</summary>
    public IReadOnlyList<int> Dilation => dilation;

    /// <summary>Padding before (low-index side) per dimension; negative only for a transposed convolution's output beyond its natural size (ONNX output_shape).</summary>
    public IReadOnlyList<int> PaddingBefore => paddingBefore;

    /// <summary>Padding after (high-index side) per dimension; negative only as <see cref="PaddingBefore"/>.</summary>
    public IReadOnlyList<int> PaddingAfter => paddingAfter;

    /// <summary>The transposed convolution's output_padding per dimension (zeros for a geometry made by <see cref="ForConv"/>).</summary>
    public IReadOnlyList<int> OutputPadding => outputPadding;

    /// <summary>(N, C_in, *InputSize): the forward input, which is the transposed convolution's output.</summary>
    public int[] InputShape => [Batch, InChannels, .. inputSize];

    /// <summary>(N, C_out, *OutputSize): the forward output, which is the transposed convolution's input.</summary>
    public int[] OutputShape => [Batch, OutChannels, .. outputSize];

    /// <summary>(C_out, C_in / groups, *KernelSize): PyTorch's Conv weight, and equally the ConvTranspose weight (C_in, C_out / groups, *k) of the transposed convolution.</summary>
    public int[] WeightShape => [OutChannels, InChannels / Groups, .. kernelSize];

    /// <summary>Elements of one input sample, C_in·∏InputSize: the number of columns of V.</summary>
    public int InputLength { get; }

    /// <summary>Elements of one output sample, C_out·∏OutputSize: the number of rows of V.</summary>
    public int OutputLength { get; }

    /// <summary>Elements of the weight, C_out·(C_in / groups)·∏KernelSize.</summary>
    public int WeightLength { get; }

    /// <summary>
    /// The exact number of entries V stores: C_out·(C_in / groups)·∏_d Σ_o s_d(o), where s_d(o) is the number of
    /// distinct input indices the taps of output position o read in dimension d (taps in zero padding read none).
    /// </summary>
    public long NonZeroCount
    {
        get
        {
            long count = (long)OutChannels * (InChannels / Groups);
            for (int d = 0; d < Rank; d++)
                count *= SamplingMap.CountEntries(inputSize[d], outputSize[d], kernelSize[d], stride[d], dilation[d], paddingBefore[d], PaddingMode);
            return count;
        }
    }

    /// <summary>The sampling maps of the three dimensions; a geometry of rank r &lt; 3 gets 3 − r leading size-one dimensions, so every rank runs the same code.</summary>
    internal SamplingMap[] Maps3 => maps ??= BuildMaps();

    private SamplingMap[] BuildMaps()
    {
        var result = new SamplingMap[MaxRank];
        int lead = MaxRank - Rank;
        for (int d = 0; d < MaxRank; d++)
            result[d] = d < lead
                ? SamplingMap.Identity
                : SamplingMap.Create(inputSize[d - lead], outputSize[d - lead], kernelSize[d - lead], stride[d - lead], dilation[d - lead], paddingBefore[d - lead], PaddingMode);
        return result;
    }

    /// <summary>A per-dimension list padded with leading <paramref name="fill"/> values to three dimensions.</summary>
    internal static int[] Pad3(IReadOnlyList<int> values, int fill)
    {
        var r = new int[MaxRank];
        int lead = MaxRank - values.Count;
        for (int d = 0; d < MaxRank; d++) r[d] = d < lead ? fill : values[d - lead];
        return r;
    }

    /// <inheritdoc/>
    public bool Equals(ConvGeometry? other) =>
        other is not null && Batch == other.Batch && InChannels == other.InChannels && OutChannels == other.OutChannels
        && Groups == other.Groups && PaddingMode == other.PaddingMode
        && inputSize.SequenceEqual(other.inputSize) && outputSize.SequenceEqual(other.outputSize)
        && kernelSize.SequenceEqual(other.kernelSize) && stride.SequenceEqual(other.stride)
        && dilation.SequenceEqual(other.dilation) && paddingBefore.SequenceEqual(other.paddingBefore)
        && paddingAfter.SequenceEqual(other.paddingAfter) && outputPadding.SequenceEqual(other.outputPadding);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ConvGeometry);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Batch, InChannels, OutChannels, Groups, PaddingMode, inputSize[0], kernelSize[0], stride[0]);

    /// <summary>A one-line summary, e.g. <c>conv2d (1, 1, 3, 3) -> (1, 1, 2, 2), kernel (2, 2), stride (1, 1), padding (0:0, 0:0), dilation (1, 1), groups 1, zeros</c>.</summary>
    public override string ToString() =>
        $"conv{Rank}d {Check.List(InputShape)} -> {Check.List(OutputShape)}, kernel {Check.List(kernelSize)}, stride {Check.List(stride)}, " +
        $"padding ({string.Join(", ", paddingBefore.Zip(paddingAfter, (b, a) => $"{b}:{a}"))}), dilation {Check.List(dilation)}, groups {Groups}, " +
        $"{PaddingMode.ToString().ToLowerInvariant()}" + (outputPadding.Any(p => p != 0) ? $", output_padding {Check.List(outputPadding)}" : "");
}
