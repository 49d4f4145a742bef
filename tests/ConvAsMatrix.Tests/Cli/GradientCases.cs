namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// One backward pass for <c>convmat grad</c> and <c>convmat check --op *-grad-*</c>: integer-valued input, weight and
/// output gradient, the geometry options as the command line gives them and as the library takes them, and the
/// gradients from the textbook loops alone (<see cref="DirectScatter"/>, <see cref="DirectCorrelation"/>,
/// <see cref="DirectWeightGradient"/>, a plain sum for the bias) computed exactly in long.
/// </summary>
public sealed record GradientCase(string Name, bool Transposed, int[] InputShape, int[] WeightShape, string[] Args,
    ConvOptions? Conv = null, ConvTransposeOptions? Tconv = null, int Seed = 1)
{
    public override string ToString() => Name;

    /// <summary>Every case: conv and tconv, ranks 1-3, groups, stride, dilation, padding (also asymmetric and non-zero modes), output_padding, batches, an unbatched input.</summary>
    public static IReadOnlyList<GradientCase> All { get; } =
    [
        new("conv2d_groups_stride_pad", false, [2, 4, 7, 6], [6, 2, 3, 3], ["--groups", "2", "--stride", "2", "--padding", "1"],
            Conv: new() { Groups = 2, Stride = [2], Padding = Padding.Symmetric(1) }, Seed: 11),
        new("conv1d_dilation_reflect", false, [3, 2, 11], [3, 2, 3], ["--dilation", "2", "--padding", "2", "--padding-mode", "reflect"],
            Conv: new() { Dilation = [2], Padding = Padding.Symmetric(2), PaddingMode = PaddingMode.Reflect }, Seed: 12),
        new("conv3d_stride_pad", false, [2, 2, 4, 5, 4], [3, 2, 2, 3, 2], ["--stride", "1,2,1", "--padding", "1"],
            Conv: new() { Stride = [1, 2, 1], Padding = Padding.Symmetric(1) }, Seed: 13),
        new("conv2d_asymmetric_circular", false, [2, 3, 5, 6], [4, 3, 3, 2], ["--padding", "1:2,0:1", "--padding-mode", "circular"],
            Conv: new() { Padding = Padding.Asymmetric([(1, 2), (0, 1)]), PaddingMode = PaddingMode.Circular }, Seed: 14),
        new("conv2d_square_channels", false, [2, 3, 5, 5], [3, 3, 3, 3], ["--padding", "1"],
            Conv: new() { Padding = Padding.Symmetric(1) }, Seed: 16),
        // Sizes where stride 2 / dilation 3 and stride 3 / dilation 2 give the same output (2), and where padding 1 and none do (3, stride 3):
        // the geometry mistakes then leave the output gradient's shape as it is.
        new("conv1d_stride_dilation_exchangeable", false, [2, 2, 7], [3, 2, 2], ["--stride", "2", "--dilation", "3"],
            Conv: new() { Stride = [2], Dilation = [3] }, Seed: 17),
        new("conv1d_stride3_pad1", false, [2, 2, 9], [2, 2, 3], ["--stride", "3", "--padding", "1"],
            Conv: new() { Stride = [3], Padding = Padding.Symmetric(1) }, Seed: 18),
        new("conv2d_unbatched", false, [3, 6, 5], [2, 3, 3, 3], ["--padding", "1"],
            Conv: new() { Padding = Padding.Symmetric(1) }, Seed: 15),
        new("tconv2d_groups_stride_outpad", true, [2, 4, 4, 3], [4, 3, 3, 3], ["--groups", "2", "--stride", "2", "--padding", "1", "--output-padding", "1"],
            Tconv: new() { Groups = 2, Stride = [2], Padding = Padding.Symmetric(1), OutputPadding = [1] }, Seed: 21),
        new("tconv1d_dilation_stride_output_size", true, [3, 3, 5], [3, 2, 3], ["--dilation", "2", "--stride", "3", "--output-size", "18"],
            Tconv: new() { Dilation = [2], Stride = [3], OutputSize = [18] }, Seed: 22),
        new("tconv3d_stride_groups", true, [2, 4, 2, 3, 2], [4, 1, 2, 2, 3], ["--stride", "2", "--groups", "2"],
            Tconv: new() { Stride = [2], Groups = 2 }, Seed: 23),
        // The transpose of a replicate-padded conv (PyTorch's ConvTranspose has only zeros; V's transpose has every mode).
        new("tconv1d_replicate", true, [2, 3, 6], [3, 2, 3], ["--stride", "2", "--padding", "1", "--padding-mode", "replicate"],
            Tconv: new() { Stride = [2], Padding = Padding.Symmetric(1), PaddingMode = PaddingMode.Replicate }, Seed: 25),
        new("tconv2d_unbatched", true, [4, 3, 3], [4, 2, 2, 3], ["--stride", "2,1"],
            Tconv: new() { Stride = [2, 1] }, Seed: 24),
    ];

    public static GradientCase Named(string name) => All.Single(c => c.Name == name);

    public bool Unbatched => InputShape.Length == WeightShape.Length - 1;

    public ConvGeometry Geometry
    {
        get
        {
            int[] batched = Unbatched ? [1, .. InputShape] : InputShape;
            return Transposed ? ConvGeometry.ForConvTranspose(batched, WeightShape, Tconv) : ConvGeometry.ForConv(batched, WeightShape, Conv);
        }
    }

    /// <summary>The forward output's shape (that of the output gradient), unbatched as the input is.</summary>
    public int[] OutputShape
    {
        get
        {
            var shape = Transposed ? Geometry.InputShape : Geometry.OutputShape;
            return Unbatched ? shape[1..] : shape;
        }
    }

    public long[] X => Ints(Seed, Size(InputShape));

    public long[] W => Ints(Seed + 100, Size(WeightShape));

    public long[] G => Ints(Seed + 200, Size(OutputShape));

    /// <summary>The input gradient, from the scatter (conv) or the correlation (tconv) loops.</summary>
    public long[] InputGrad => InputGradOf(Geometry, G, W);

    /// <summary>The weight gradient, in the weight's layout, from the reference loops (for tconv with the roles exchanged).</summary>
    public long[] WeightGrad => WeightGradOf(Geometry, X, G);

    /// <summary>The input gradient for another geometry or other operands (a mistake's), from the loops.</summary>
    public long[] InputGradOf(ConvGeometry geometry, long[] g, long[] w)
    {
        var result = new long[Transposed ? geometry.Batch * geometry.OutputLength : geometry.Batch * geometry.InputLength];
        if (Transposed) DirectCorrelation.Apply(geometry, g, w, result);
        else DirectScatter.Apply(geometry, g, w, result);
        return result;
    }

    /// <summary>The weight gradient for another geometry or other operands (a mistake's), from the loops.</summary>
    public long[] WeightGradOf(ConvGeometry geometry, long[] x, long[] g)
    {
        var result = new long[geometry.WeightLength];
        if (Transposed) DirectWeightGradient.Apply(geometry, g, x, result);
        else DirectWeightGradient.Apply(geometry, x, g, result);
        return result;
    }

    /// <summary>The bias gradient: the output gradient summed over the batch and every position.</summary>
    public long[] BiasGrad
    {
        get
        {
            var shape = Unbatched ? [1, .. OutputShape] : OutputShape;
            int channels = shape[1], plane = Size(shape[2..]);
            var result = new long[channels];
            var g = G;
            for (int n = 0; n < shape[0]; n++)
                for (int c = 0; c < channels; c++)
                    for (int p = 0; p < plane; p++)
                        result[c] += g[(n * channels + c) * plane + p];
            return result;
        }
    }

    /// <summary>Writes x.npy, w.npy and g.npy into <paramref name="directory"/> (float32 when asked) and returns the command line's array options.</summary>
    public string[] WriteArrays(string directory, bool float32 = false)
    {
        Write(Path.Combine(directory, "x.npy"), X, InputShape, float32);
        Write(Path.Combine(directory, "w.npy"), W, WeightShape, float32);
        Write(Path.Combine(directory, "g.npy"), G, OutputShape, float32);
        return ["--input", Path.Combine(directory, "x.npy"), "--weight", Path.Combine(directory, "w.npy"), "--grad-output", Path.Combine(directory, "g.npy")];
    }

    public static void Write(string path, long[] data, int[] shape, bool float32 = false)
    {
        if (float32) Npy.WriteFile(path, Tensor.From(data.Select(v => (float)v).ToArray(), shape));
        else Npy.WriteFile(path, Tensor.From(data.Select(v => (double)v).ToArray(), shape));
    }

    public static int Size(int[] shape) => shape.Aggregate(1, (p, s) => p * s);

    /// <summary>Integers in [-4, 4] from a fixed generator: every sum stays exact in float32 and float64.</summary>
    public static long[] Ints(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(-4, 5)).ToArray();
    }
}
