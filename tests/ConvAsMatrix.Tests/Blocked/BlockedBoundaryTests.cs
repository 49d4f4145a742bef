namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The blocked kernels against the explicit V (<see cref="ConvolutionMatrix{T}"/>) on real-valued data, double and
/// float, for every small size around the kernels' blocking boundaries: channel counts around the 4-channel block
/// and the 1×8 / 4×6 tile switch, row lengths around the vector widths (8 doubles, 16 floats) and the 8-vector
/// run, stride and dilation up to 3 with kernels up to 4, every padding mode, groups, rank 1–3, batches 1..17.
/// </summary>
/// <remarks>
/// Every check runs on every path this process runs natively (<see cref="KernelChecks.Native"/>: each accelerated
/// width and scalar, with both tile shapes), within the rounding bound of <see cref="KernelChecks.Bounded"/>.
/// </remarks>
[Trait("Category", "Kernel")]
public class BlockedBoundaryTests
{
    private static readonly PaddingMode[] Modes = Enum.GetValues<PaddingMode>();

    [Fact]
    public void ChannelCountsAcrossBlocks()
    {
        int i = 0;
        foreach (int cin in new[] { 1, 2, 3, 5, 8 })
            foreach (int cout in new[] { 1, 2, 3, 4, 5, 7, 8, 9 })
                Check(ConvGeometry.ForConv([1, cin, 7, 11], [cout, cin, 3, 3], new ConvOptions { Padding = 1, PaddingMode = Modes[i++ % 4] }));
    }

    [Fact]
    public void WeightsBeyondHalfTheL2ShareEachBlockAcrossTiles()
    {
        // 98·96·9 doubles = 677 KB of packed weight: consecutive tiles run each channel block in turn (CorrelationPlan.TileGroup),
        // with a last, partial block (98 = 24·4 + 2) and a last, partial group of tiles.
        Check(ConvGeometry.ForConv([1, 96, 5, 11], [98, 96, 3, 3], new ConvOptions { Padding = 1 }));
        Check(ConvGeometry.ForConv([1, 96, 7, 5], [98, 96, 3, 3], new ConvOptions { Padding = 1, Stride = [2, 1], PaddingMode = PaddingMode.Circular }));
    }

    [Fact]
    public void RowLengthsAcrossVectorsAndRuns()
    {
        foreach (int width in new[] { 1, 2, 7, 8, 9, 15, 16, 17, 31, 33, 47, 63, 64, 65, 127, 129 })
            foreach (int cout in new[] { 1, 4 })
            {
                var mode = width > 1 && width % 2 == 1 ? PaddingMode.Reflect : PaddingMode.Replicate;
                Check(ConvGeometry.ForConv([1, 2, width], [cout, 2, 3], new ConvOptions { Padding = 1, PaddingMode = mode }));
                Check(ConvGeometry.ForConv([1, 2, 3, width], [cout, 2, 3, 3], new ConvOptions { Padding = 1 }));
                Check(ConvGeometry.ForConvTranspose([1, cout, 3, width], [cout, 2, 3, 3], new ConvTransposeOptions { Padding = 1 }));
            }
    }

    [Fact]
    public void StrideDilationAndKernelAtTheEdges()
    {
        foreach (var g in PhaseGeometries(batch: 1)) Check(g);
    }

    /// <summary>
    /// Stride and dilation 1–3 with kernels 1–4 (every phase pattern of the padded layout), each padding mode in turn,
    /// rank 1 and 2, conv and conv_transpose: the geometries of the forward, adjoint and weight-gradient edge tests.
    /// </summary>
    internal static IEnumerable<ConvGeometry> PhaseGeometries(int batch)
    {
        int i = 0;
        for (int s = 1; s <= 3; s++)
            for (int d = 1; d <= 3; d++)
                for (int k = 1; k <= 4; k++)
                {
                    var mode = Modes[i++ % 4];
                    var padding = Padding.Asymmetric((1, 2), (2, 0));
                    yield return ConvGeometry.ForConv([batch, 3, 9, 19], [5, 3, k, k], new ConvOptions { Stride = [s], Dilation = [d], Padding = padding, PaddingMode = mode });
                    yield return ConvGeometry.ForConv([batch, 2, 23], [1, 2, k], new ConvOptions { Stride = [s], Dilation = [d], Padding = 2, PaddingMode = mode });
                    // conv_transpose with the largest output_padding PyTorch allows (≥ stride when dilation > stride: cropped rows).
                    int op = Math.Max(s, d) - 1;
                    yield return ConvGeometry.ForConvTranspose([batch, 4, 5, 8], [4, 3, k, k], new ConvTransposeOptions
                    {
                        Stride = [s], Dilation = [d], Padding = 1, OutputPadding = [op], PaddingMode = mode,
                    });
                }
    }

    [Fact]
    public void GroupsWithEveryMode()
    {
        foreach (int groups in new[] { 2, 3 })
            foreach (var (cin, cout) in new[] { (1, 1), (2, 5), (4, 4), (3, 1) })
                foreach (var mode in Modes)
                    Check(ConvGeometry.ForConv([1, groups * cin, 6, 9], [groups * cout, cin, 3, 3],
                        new ConvOptions { Groups = groups, Stride = [1, 2], Padding = 1, PaddingMode = mode }));
    }

    [Fact]
    public void Rank3()
    {
        foreach (var mode in Modes)
        {
            Check(ConvGeometry.ForConv([1, 3, 5, 6, 9], [5, 3, 2, 3, 3], new ConvOptions { Stride = [1, 2, 1], Dilation = [2, 1, 1], Padding = 1, PaddingMode = mode }));
            Check(ConvGeometry.ForConvTranspose([1, 2, 3, 4, 5], [2, 2, 3, 3, 3], new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1], PaddingMode = mode }));
        }
    }

    [Fact]
    public void BatchesOneToSeventeen()
    {
        var g = ConvGeometry.ForConv([17, 3, 5, 9], [5, 3, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect, Stride = [1, 2] });
        for (int samples = 1; samples <= 17; samples++) Check(g, samples);
        var single = ConvGeometry.ForConv([17, 1, 4, 21], [1, 1, 3, 5], new ConvOptions { Padding = 2 });
        for (int samples = 1; samples <= 17; samples++) Check(single, samples);
    }

    [Fact]
    public void AdjointIdentityOnRealData()
    {
        var random = new Random(5);
        foreach (var g in new[]
        {
            ConvGeometry.ForConv([1, 6, 13, 17], [9, 2, 3, 4], new ConvOptions { Groups = 3, Stride = [2, 3], Dilation = [1, 2], Padding = 2, PaddingMode = PaddingMode.Circular }),
            ConvGeometry.ForConv([1, 1, 30, 40], [1, 1, 5, 5], new ConvOptions { Padding = 2, PaddingMode = PaddingMode.Reflect }),
            ConvGeometry.ForConvTranspose([1, 8, 9, 9], [8, 4, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1] }),
        })
        {
            double[] w = KernelChecks.Values(random, g.WeightLength), x = KernelChecks.Values(random, g.InputLength), y = KernelChecks.Values(random, g.OutputLength);
            KernelAssert.Passes(KernelChecks.OnEvery(KernelChecks.Native, path =>
            {
                var kernel = BlockedConvolution<double>.TryCreate(g, w, path)!;
                double[] vx = new double[y.Length], vty = new double[x.Length];
                kernel.Forward(x, vx, 1);
                kernel.Adjoint(y, vty, 1);
                double left = Dot(vx, y), right = Dot(x, vty);
                return Math.Abs(left - right) <= 1e-12 * (Math.Abs(left) + Math.Abs(right) + 1) ? null : $"{g}: <Vx, y> = {left}, <x, Vᵀy> = {right}";
            }));
        }
    }

    [Fact]
    public void PaddingBeyondOneArrayGetsNoKernel()
    {
        // Valid: zero padding is unbounded. The padded sample would have 2·10⁹ + 3 elements, beyond one .NET array.
        var huge = ConvGeometry.ForConv([1, 1, 3], [1, 1, 1], new ConvOptions { Padding = 1_000_000_000 });
        Assert.Null(BlockedConvolution<double>.TryCreate(huge, [2.0]));
        // Padding that fits is applied, however large against the input.
        var wide = ConvGeometry.ForConv([1, 1, 3], [1, 1, 2], new ConvOptions { Padding = 5000, Stride = [7] });
        Check(wide);
    }

    [Fact]
    public void NegativePaddingGetsNoKernelAndTheStructuredVStaysExact()
    {
        // ONNX's output_shape two beyond the natural size derives a negative pad: the forward conv crops its input.
        var t = ConvGeometry.ForConvTranspose([1, 2, 3, 3], [2, 3, 3, 3], new ConvTransposeOptions { Stride = [2], OutputShape = [9, 10] });
        Assert.True(BlockedConvolution<double>.HasNegativePadding(t), t.ToString());
        Assert.Null(BlockedConvolution<double>.TryCreate(t, new double[t.WeightLength]));
        // The structured V then takes the generic path, which equals the explicit V.
        var random = new Random(9);
        var w = KernelChecks.Values(random, t.WeightLength);
        var y = KernelChecks.Values(random, t.OutputLength);
        var structured = new double[t.InputLength];
        var explicitV = new double[t.InputLength];
        StructuredConvolution<double>.Compile(w, t).TransposeMultiply(y, structured);
        ConvolutionMatrix<double>.Compile(w, t).TransposeMultiply(y, explicitV);
        for (int i = 0; i < explicitV.Length; i++)
            Assert.True(Math.Abs(structured[i] - explicitV[i]) <= 1e-12 * (1 + Math.Abs(explicitV[i])), $"[{i}] {structured[i]} vs {explicitV[i]}");
    }

    [Fact]
    public void OtherElementTypesGetNoKernel()
    {
        var g = ConvGeometry.ForConv([1, 1, 4], [1, 1, 2]);
        Assert.Null(BlockedConvolution<long>.TryCreate(g, new long[2]));
        Assert.Null(BlockedConvolution<decimal>.TryCreate(g, new decimal[2]));
        Assert.NotNull(BlockedConvolution<float>.TryCreate(g, new float[2]));
    }

    /// <summary>Forward and adjoint of <paramref name="samples"/> samples against V and Vᵀ on every native path (<see cref="KernelChecks.Bounded"/>).</summary>
    private static void Check(ConvGeometry g, int samples = 1) => KernelAssert.Passes(KernelChecks.Bounded(g, samples, KernelChecks.Native));

    private static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
