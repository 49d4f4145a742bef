namespace ConvAsMatrix.Verification;

/// <summary>
/// The tensor rearrangements <see cref="ConvolutionCheck"/> recomputes common mistakes with: kernels flipped or with
/// two axes exchanged, weights read or written in the other channel layout, inputs with the group offset forgotten
/// (and its adjoint for gradients), outputs in channels-last memory order, padded or cropped at the start, or scaled. Plain loops over row-major (A, B, *spatial) tensors, a
/// rank below three seen with leading size-one axes as everywhere in the library.
/// </summary>
internal static class CheckTensors
{
    /// <summary>|t| elementwise.</summary>
    public static Tensor<double> Abs(Tensor<double> t) => Tensor.From(t.Data.Select(Math.Abs).ToArray(), t.ShapeArray);

    /// <summary>Every kernel reversed in every spatial axis: true convolution instead of cross-correlation.</summary>
    public static Tensor<double> FlipKernel(Tensor<double> w)
    {
        var k = ConvGeometry.Pad3(w.ShapeArray[2..], 1);
        int plane = k[0] * k[1] * k[2];
        var r = new double[w.Length];
        for (int p = 0; p < w.Length / plane; p++)
            for (int a = 0; a < k[0]; a++)
                for (int b = 0; b < k[1]; b++)
                    for (int c = 0; c < k[2]; c++)
                        r[p * plane + (a * k[1] + b) * k[2] + c] = w.Data[p * plane + ((k[0] - 1 - a) * k[1] + (k[1] - 1 - b)) * k[2] + (k[2] - 1 - c)];
        return Tensor.From(r, w.ShapeArray);
    }

    /// <summary>The last two spatial axes of every kernel exchanged (H and W swapped): (A, B, …, kh, kw) → (A, B, …, kw, kh).</summary>
    public static Tensor<double> SwapLastSpatialAxes(Tensor<double> w)
    {
        var shape = w.ShapeArray;
        int kh = shape[^2], kw = shape[^1], plane = kh * kw;
        var r = new double[w.Length];
        for (int p = 0; p < w.Length / plane; p++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++)
                    r[p * plane + j * kh + i] = w.Data[p * plane + i * kw + j];
        (shape[^2], shape[^1]) = (kw, kh);
        return Tensor.From(r, shape);
    }

    /// <summary>
    /// The weight's buffer read in the other channel layout — Conv's (C_out, C_in/g, *k) taken for ConvTranspose's
    /// (C_in, C_out/g, *k) or back — and turned into this layout group by group. With g = 1 and as many input as
    /// output channels this is <c>w.transpose(0, 1)</c>.
    /// </summary>
    /// <remarks>Reading a buffer in the other layout and converting it back to this one undoes <see cref="OtherChannelLayout"/>: it is that conversion applied to the buffer seen with the other layout's shape.</remarks>
    public static Tensor<double> SwapChannelAxes(Tensor<double> w, int groups) =>
        OtherChannelLayout(w.Reshape([w.Shape[1] * groups, w.Shape[0] / groups, .. w.ShapeArray[2..]]), groups);

    /// <summary>
    /// A weight (or weight gradient) (A, B, *k) written in the other channel layout, (B·g, A/g, *k): Conv's
    /// (C_out, C_in/g, *k) as ConvTranspose's (C_in, C_out/g, *k) or back, group by group:
    /// <c>result[gi·B + b, a] = w[gi·(A/g) + a, b]</c>. With g = 1 this is <c>w.transpose(0, 1)</c>.
    /// </summary>
    public static Tensor<double> OtherChannelLayout(Tensor<double> w, int groups)
    {
        int a = w.Shape[0] / groups, b = w.Shape[1], plane = w.Length / (w.Shape[0] * b);
        var r = new double[w.Length];
        for (int gi = 0; gi < groups; gi++)
            for (int ai = 0; ai < a; ai++)
                for (int bi = 0; bi < b; bi++)
                    Array.Copy(w.Data, ((gi * a + ai) * b + bi) * plane, r, ((gi * b + bi) * a + ai) * plane, plane);
        return Tensor.From(r, [b * groups, a, .. w.ShapeArray[2..]]);
    }

    /// <summary>The input with every group's channels replaced by group 0's: the group offset of the input channel forgotten.</summary>
    public static Tensor<double> FirstGroupEverywhere(Tensor<double> x, int groups)
    {
        var r = new double[x.Length];
        int plane = PlaneLength(x);
        foreach (var (channel, first) in GroupPlanes(x, groups))
            Array.Copy(x.Data, first * plane, r, channel * plane, plane);
        return Tensor.From(r, x.ShapeArray);
    }

    /// <summary>The adjoint of <see cref="FirstGroupEverywhere"/>: every group's channels added into group 0's, the others zero (a gradient with the group offset forgotten).</summary>
    public static Tensor<double> SumIntoFirstGroup(Tensor<double> x, int groups)
    {
        var r = new double[x.Length];
        int plane = PlaneLength(x);
        foreach (var (channel, first) in GroupPlanes(x, groups))
            for (int i = 0; i < plane; i++)
                r[first * plane + i] += x.Data[channel * plane + i];
        return Tensor.From(r, x.ShapeArray);
    }

    /// <summary>Every (sample, channel) plane of an (N, C, *spatial) tensor with the plane of the same sample's channel in group 0 at the same offset.</summary>
    private static IEnumerable<(int Plane, int FirstGroupPlane)> GroupPlanes(Tensor<double> x, int groups)
    {
        int n = x.Shape[0], c = x.Shape[1], perGroup = c / groups;
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                yield return (s * c + ch, s * c + ch % perGroup);
    }

    private static int PlaneLength(Tensor<double> x) => x.Length / (x.Shape[0] * x.Shape[1]);

    /// <summary>t·factor elementwise (a gradient divided by the batch size).</summary>
    public static Tensor<double> Scale(Tensor<double> t, double factor) => Tensor.From(t.Data.Select(v => v * factor).ToArray(), t.ShapeArray);

    /// <summary>An output computed in (N, *spatial, C) memory order but labelled (N, C, *spatial), as an NHWC engine would hand it over.</summary>
    public static Tensor<double> ChannelsLastBuffer(Tensor<double> y)
    {
        int n = y.Shape[0], c = y.Shape[1], plane = y.Length / (n * c);
        var r = new double[y.Length];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < plane; p++)
                    r[(s * plane + p) * c + ch] = y.Data[(s * c + ch) * plane + p];
        return Tensor.From(r, y.ShapeArray);
    }

    /// <summary>(N, C, *s) → (N, C, *(s + lead)) with <paramref name="lead"/> zeros before each spatial axis.</summary>
    public static Tensor<double> PadStart(Tensor<double> y, int[] lead) => MoveOrigin(y, lead, grow: true);

    /// <summary>The adjoint of <see cref="PadStart"/>: (N, C, *s) → (N, C, *(s − lead)) without the first <paramref name="lead"/> positions of each spatial axis.</summary>
    public static Tensor<double> CropStart(Tensor<double> y, int[] lead) => MoveOrigin(y, lead, grow: false);

    /// <summary><see cref="PadStart"/> (<paramref name="grow"/>) or <see cref="CropStart"/>: the box both share copied between the two sizes.</summary>
    private static Tensor<double> MoveOrigin(Tensor<double> y, int[] lead, bool grow)
    {
        int sign = grow ? 1 : -1;
        var size = ConvGeometry.Pad3(y.ShapeArray[2..], 1);
        var l = ConvGeometry.Pad3(lead, 0);
        var resized = new[] { size[0] + sign * l[0], size[1] + sign * l[1], size[2] + sign * l[2] };
        if (resized.Any(s => s < 1)) throw new ArgumentException($"cannot crop {Check.List(lead)} from the start of spatial size {Check.List(y.ShapeArray[2..])}", nameof(lead));
        // The copied box has the smaller size; it starts at lead in the larger tensor.
        var (box, from, fromOffset, to, toOffset) = grow ? (size, size, new int[3], resized, l) : (resized, size, l, resized, new int[3]);
        int nc = y.Shape[0] * y.Shape[1];
        var r = new double[nc * resized[0] * resized[1] * resized[2]];
        for (int p = 0; p < nc; p++)
            for (int a = 0; a < box[0]; a++)
                for (int b = 0; b < box[1]; b++)
                    Array.Copy(y.Data, ((p * from[0] + a + fromOffset[0]) * from[1] + b + fromOffset[1]) * from[2] + fromOffset[2],
                        r, ((p * to[0] + a + toOffset[0]) * to[1] + b + toOffset[1]) * to[2] + toOffset[2], box[2]);
        return Tensor.From(r, [y.Shape[0], y.Shape[1], .. y.ShapeArray[2..].Select((s, d) => s + sign * lead[d])]);
    }

    /// <summary>y[n, c, …] += times·bias[c], in place; returns y.</summary>
    public static Tensor<double> AddBias(Tensor<double> y, Tensor<double>? bias, int times)
    {
        if (bias is null || times == 0) return y;
        int c = y.Shape[1], plane = y.Length / (y.Shape[0] * c);
        for (int i = 0; i < y.Length; i++) y.Data[i] += times * bias.Data[i / plane % c];
        return y;
    }
}
