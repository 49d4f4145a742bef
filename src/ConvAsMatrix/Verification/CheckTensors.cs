namespace ConvAsMatrix.Verification;

/// <summary>
/// The tensor rearrangements <see cref="ConvolutionCheck"/> recomputes common mistakes with: kernels flipped or with
/// two axes exchanged, weights read in the other channel layout, inputs with the group offset forgotten, outputs
/// in channels-last memory order or padded at the start. Plain loops over row-major (A, B, *spatial) tensors, a
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
    public static Tensor<double> SwapChannelAxes(Tensor<double> w, int groups)
    {
        // Read as (A, B, *k) with A = shape[1]·g, B = shape[0]/g; result[gi·B + b, a] = read[gi·(A/g) + a, b].
        int a = w.Shape[1] * groups, b = w.Shape[0] / groups, perGroup = a / groups, plane = w.Length / (a * b);
        var r = new double[w.Length];
        for (int gi = 0; gi < groups; gi++)
            for (int bi = 0; bi < b; bi++)
                for (int ai = 0; ai < perGroup; ai++)
                    Array.Copy(w.Data, ((gi * perGroup + ai) * b + bi) * plane, r, ((gi * b + bi) * perGroup + ai) * plane, plane);
        return Tensor.From(r, w.ShapeArray);
    }

    /// <summary>The input with every group's channels replaced by group 0's: the group offset of the input channel forgotten.</summary>
    public static Tensor<double> FirstGroupEverywhere(Tensor<double> x, int groups)
    {
        int n = x.Shape[0], c = x.Shape[1], perGroup = c / groups, plane = x.Length / (n * c);
        var r = new double[x.Length];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < c; ch++)
                Array.Copy(x.Data, (s * c + ch % perGroup) * plane, r, (s * c + ch) * plane, plane);
        return Tensor.From(r, x.ShapeArray);
    }

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
    public static Tensor<double> PadStart(Tensor<double> y, int[] lead)
    {
        var size = ConvGeometry.Pad3(y.ShapeArray[2..], 1);
        var l = ConvGeometry.Pad3(lead, 0);
        var grown = new[] { size[0] + l[0], size[1] + l[1], size[2] + l[2] };
        int nc = y.Shape[0] * y.Shape[1];
        var r = new double[nc * grown[0] * grown[1] * grown[2]];
        for (int p = 0; p < nc; p++)
            for (int a = 0; a < size[0]; a++)
                for (int b = 0; b < size[1]; b++)
                    Array.Copy(y.Data, ((p * size[0] + a) * size[1] + b) * size[2],
                        r, ((p * grown[0] + a + l[0]) * grown[1] + b + l[1]) * grown[2] + l[2], size[2]);
        return Tensor.From(r, [y.Shape[0], y.Shape[1], .. y.ShapeArray[2..].Select((s, d) => s + lead[d])]);
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
