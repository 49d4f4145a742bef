namespace ConvAsMatrix;

/// <summary>
/// The three-dimensional view both direct references loop over: a rank below three gets leading size-one
/// axes, the input is seen padded (<see cref="ReferencePadding.Offsets"/>), and the flat offsets of the padded
/// input, the output and the weight are spelled out row-major.
/// </summary>
internal sealed class ReferenceFrame
{
    public ReferenceFrame(ConvGeometry g)
    {
        Geometry = g;
        Out = ConvGeometry.Pad3(g.OutputSize, 1);
        Kernel = ConvGeometry.Pad3(g.KernelSize, 1);
        Stride = ConvGeometry.Pad3(g.Stride, 1);
        Dilation = ConvGeometry.Pad3(g.Dilation, 1);
        InputsPerGroup = g.InChannels / g.Groups;
        OutputsPerGroup = g.OutChannels / g.Groups;
        (PaddedSource, Padded) = ReferencePadding.Offsets(g);
    }

    public ConvGeometry Geometry { get; }
    public int[] Out { get; }
    public int[] Kernel { get; }
    public int[] Stride { get; }
    public int[] Dilation { get; }
    public int InputsPerGroup { get; }
    public int OutputsPerGroup { get; }

    /// <summary>Padded spatial size (three axes).</summary>
    public int[] Padded { get; }

    /// <summary>For each padded-input element, the input element it copies, or −1 for zero padding.</summary>
    public int[] PaddedSource { get; }

    /// <summary>Input channel of tap channel <paramref name="c"/> for output channel <paramref name="co"/> (its group's c-th).</summary>
    public int InputChannel(int co, int c) => co / OutputsPerGroup * InputsPerGroup + c;

    public int PaddedIndex(int b, int ci, int q0, int q1, int q2) =>
        (((b * Geometry.InChannels + ci) * Padded[0] + q0) * Padded[1] + q1) * Padded[2] + q2;

    public int OutputIndex(int b, int co, int o0, int o1, int o2) =>
        (((b * Geometry.OutChannels + co) * Out[0] + o0) * Out[1] + o1) * Out[2] + o2;

    public int WeightIndex(int co, int c, int t0, int t1, int t2) =>
        (((co * InputsPerGroup + c) * Kernel[0] + t0) * Kernel[1] + t1) * Kernel[2] + t2;
}
