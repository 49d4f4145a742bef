using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The blocked weight-gradient kernel (<see cref="BlockedWeightGradient{T}"/>) against DirectWeightGradient, double and
/// float, on every path this process runs natively (<see cref="KernelChecks.Native"/>: each accelerated width and
/// scalar, both tile shapes, so 16 and 32 registers, with FMA as the process has it) and a few cases on the emulated
/// widths: exactly on small integers over random geometries, within the rounding bound on real data around the
/// kernel's blocking boundaries (4-channel blocks, S-column blocks, vector widths, chunks of positions).
/// </summary>
[Trait("Category", "Kernel")]
public class BlockedWeightGradientTests
{
    private static readonly PaddingMode[] Modes = Enum.GetValues<PaddingMode>();

    /// <summary>Cases for the emulated widths: .NET runs them as two halves (or element by element), 10–100× slower.</summary>
    private const int EmulatedCases = 12;

    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) })]
    public void EqualsDirectWeightGradientExactly(GeometrySpec s) => KernelAssert.Passes(KernelChecks.ExactWeightGradient(s, KernelChecks.Native));

    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) }, MaxTest = EmulatedCases)]
    public void EmulatedWidthsEqualDirectWeightGradientExactly(GeometrySpec s) => KernelAssert.Passes(KernelChecks.ExactWeightGradient(s, KernelChecks.Emulated));

    [Fact]
    public void ChannelCountsAcrossBlocks()
    {
        int i = 0;
        for (int cin = 1; cin <= 9; cin++)
            foreach (int cout in new[] { 1, 3, 4, 5, 8, 9 })
                Check(ConvGeometry.ForConv([1 + i % 3, cin, 5, 7], [cout, cin, 3, 2], new ConvOptions { Padding = 1, PaddingMode = Modes[i++ % 4] }));
    }

    [Fact]
    public void RowLengthsAcrossVectorsAndTiles()
    {
        // Around 1, 2, 4, 8 and 16 lanes and a few vectors of each; 1 to 3 kernel columns (the column block's tail).
        foreach (int width in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 47, 49 })
        {
            var mode = Modes[width % 4];
            if (mode != PaddingMode.Zeros && width < 2) mode = PaddingMode.Zeros;
            Check(ConvGeometry.ForConv([2, 2, width], [5, 2, 3], new ConvOptions { Padding = 1, PaddingMode = mode }));
            Check(ConvGeometry.ForConv([1, 3, 3, width], [4, 3, 2, 1 + width % 3], new ConvOptions { Padding = Padding.Asymmetric((0, 1), (1, 0)), PaddingMode = mode }));
        }
    }

    [Fact]
    public void StrideDilationAndKernelChangePhases()
    {
        foreach (var g in BlockedBoundaryTests.PhaseGeometries(batch: 2)) Check(g);
    }

    [Fact]
    public void GroupsRanksAndBatches()
    {
        foreach (int groups in new[] { 2, 3 })
            foreach (var (cin, cout) in new[] { (1, 1), (2, 5), (4, 4), (3, 9) })
                foreach (var mode in Modes)
                    Check(ConvGeometry.ForConv([1 + groups % 2, groups * cin, 6, 9], [groups * cout, cin, 3, 3],
                        new ConvOptions { Groups = groups, Stride = [1, 2], Padding = 1, PaddingMode = mode }));
        foreach (var mode in Modes)
        {
            Check(ConvGeometry.ForConv([3, 2, 23], [6, 2, 4], new ConvOptions { Stride = [2], Dilation = [2], Padding = 3, PaddingMode = mode }));
            Check(ConvGeometry.ForConv([2, 3, 5, 6, 9], [5, 3, 2, 3, 3], new ConvOptions { Stride = [1, 2, 1], Dilation = [2, 1, 1], Padding = 1, PaddingMode = mode }));
            Check(ConvGeometry.ForConvTranspose([2, 2, 3, 4, 5], [2, 7, 3, 3, 3], new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1], PaddingMode = mode }));
        }
    }

    [Fact]
    public void SeveralChunksOfPositions()
    {
        // 70×71 outputs: hundreds of position vectors on every width, so several chunks each.
        var g = ConvGeometry.ForConv([2, 9, 70, 71], [9, 9, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect });
        foreach (var path in KernelChecks.Native)
        {
            var kernel = (BlockedWeightGradientOf<double>)BlockedWeightGradient<double>.TryCreate(g, path, WeightGradientVectors.Positions)!;
            Assert.True(kernel.SamplesPerPass == 1 && kernel.ChunkSteps(kernel.Vectors) < kernel.Vectors, $"{KernelChecks.Label(path)}: {kernel.Vectors} steps a sample, chunks of {kernel.ChunkSteps(kernel.Vectors)}");
        }
        Check(g);
    }

    [Fact]
    public void TilesTakenAFewAtATime()
    {
        // 16 × 576 weight elements: more tiles than share the state buffer at a time on every path (1152 on scalar/16),
        // so a thread runs its chunks over several groups of tiles, the last one short.
        var g = ConvGeometry.ForConv([2, 64, 9, 10], [16, 64, 3, 3], new ConvOptions { Padding = 1, Stride = [1, 2] });
        foreach (var path in KernelChecks.Native)
        {
            var (tiles, atATime) = ((BlockedWeightGradientOf<double>)BlockedWeightGradient<double>.TryCreate(g, path, WeightGradientVectors.Positions)!).TileCounts;
            Assert.True(tiles > atATime && tiles % atATime != 0, $"{KernelChecks.Label(path)}: {tiles} tiles, {atATime} at a time");
        }
        Check(g);
    }

    [Fact]
    public void TileBandsAndStripsSplitAcrossThreads()
    {
        // 2 groups of 22 output channels (6 channel blocks: a band of 4 and a short band of 2, the last block short) ×
        // 10·9 = 90 columns (30 column blocks on AVX2: strips of 21 and 9; 45 scalar; 15 on AVX-512), so the tiles run in
        // bands × strips with short ends in both directions, and 1, 2, 3 and 5 threads start their ranges mid-strip and
        // mid-band. Small integers: every thread count must give the reference exactly.
        var g = ConvGeometry.ForConv([2, 20, 7, 9], [44, 10, 3, 3], new ConvOptions { Groups = 2, Padding = 1 });
        ExactOnEveryThreadCount(g, WeightGradientVectors.Positions, seed: 23, (kernel, path) =>
        {
            var (tiles, atATime) = Assert.IsType<BlockedWeightGradientOf<double>>(kernel).TileCounts;
            Assert.True(tiles > atATime, $"{KernelChecks.Label(path)}: {tiles} tiles, {atATime} at a time");
        });
        Check(g);
    }

    [Fact]
    public void SeveralSamplesPerPass()
    {
        // 12×8 outputs: a pass holds 2 to 6 samples on every width (5 in double: 24, 48, 96 steps a sample against chunks
        // of 128, 256, 512), so 7 samples make two passes or more, the last one short.
        var g = ConvGeometry.ForConv([7, 5, 12, 8], [6, 5, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Replicate });
        foreach (var path in KernelChecks.Native)
        {
            var kernel = (BlockedWeightGradientOf<double>)BlockedWeightGradient<double>.TryCreate(g, path, WeightGradientVectors.Positions)!;
            Assert.InRange(kernel.SamplesPerPass, 2, 6);
        }
        Check(g);
    }

    /// <summary>
    /// An Inf or a NaN in the input reaches exactly the weight elements whose taps read it (and the other elements are
    /// the reference's to the bound), as DirectWeightGradient and PyTorch have it, through WeightGradient.Compute on every path:
    /// the vectors past a row's end multiply such a value by a zero gradient, so Compute must not run them on it.
    /// </summary>
    [Fact]
    public void NonFiniteInputsReachOnlyTheTapsThatReadThem()
    {
        var random = new Random(3);
        foreach (var g in new[]
        {
            ConvGeometry.ForConv([2, 3, 6, 7], [5, 3, 3, 3], new ConvOptions { Padding = 1 }),
            ConvGeometry.ForConv([1, 2, 5, 13], [4, 2, 2, 3], new ConvOptions { Stride = [1, 2], Dilation = [2, 1], Padding = 1, PaddingMode = PaddingMode.Circular }),
        })
            foreach (double bad in new[] { double.PositiveInfinity, double.NaN })
            {
                var x = KernelChecks.Values(random, g.Batch * g.InputLength);
                var y = KernelChecks.Values(random, g.Batch * g.OutputLength);
                // Every element the last position of a row reads: the one a zero-padded tail would read next.
                x[g.InputLength - 1] = bad;
                x[g.InputLength / 2] = bad;
                var expected = new double[g.WeightLength];
                DirectWeightGradient.Apply<double>(g, x, y, expected);
                Assert.Contains(expected, double.IsFinite);
                Assert.Contains(expected, v => !double.IsFinite(v));
                KernelAssert.Passes(KernelChecks.OnEvery(KernelChecks.Native, path =>
                {
                    var gw = new double[g.WeightLength];
                    WeightGradient.Compute<double>(g, x, y, gw, path);
                    for (int i = 0; i < gw.Length; i++)
                        if (double.IsFinite(gw[i]) != double.IsFinite(expected[i])
                            || double.IsFinite(expected[i]) && Math.Abs(gw[i] - expected[i]) > 1e-12 * (1 + Math.Abs(expected[i])))
                            return $"{bad}: element {i}: {gw[i]}, the reference {expected[i]}; {g}";
                    return null;
                }));
            }
    }

    [Fact]
    public void ColumnKernelRunsSeveralSamplesPerPass()
    {
        // 6×7 outputs: a pass of 12 samples (512 steps at most), so 17 samples make two passes, the second short (TryCreate
        // itself would take this kernel here only for one pass: 6 channels are fewer than MinChannels); 45 columns: a
        // short last panel on every width.
        var g = ConvGeometry.ForConv([17, 5, 6, 7], [6, 5, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect });
        foreach (var path in KernelChecks.Native)
        {
            var kernel = BlockedWeightGradient<double>.TryCreate(g, path, WeightGradientVectors.Columns);
            Assert.Equal(12, Assert.IsType<ColumnWeightGradientOf<double>>(kernel).SamplesPerPass);
        }
        Check(g);
    }

    [Fact]
    public void ColumnTilesSplitAcrossThreadsMidPanelAndGroup()
    {
        // 3 groups of 6 output channels (2 blocks, the second short) × 5·9 = 45 columns (panels of 2 to 24 columns by
        // path, the last short): 12 tiles (32 registers on AVX2) to 138 (scalar), enough work for threads, so 2, 3 and 5
        // threads take ranges that start at a panel's second block or run across panels and groups (a tile's place is
        // counted from its range's start; the next tile's rows are prefetched across those edges). Small integers, so
        // every thread count must give the reference exactly.
        var g = ConvGeometry.ForConv([2, 15, 9, 8], [18, 5, 3, 3], new ConvOptions { Groups = 3, Padding = 1, Stride = [2, 1], PaddingMode = PaddingMode.Reflect });
        ExactOnEveryThreadCount(g, WeightGradientVectors.Columns, seed: 21, (kernel, path) =>
        {
            int tiles = Assert.IsType<ColumnWeightGradientOf<double>>(kernel).TileCount;
            Assert.True(tiles >= 12, $"{KernelChecks.Label(path)}: {tiles} tiles");
        });
    }

    [Fact]
    public void VectorsRunAlongTheColumnsForOnePassOfFewPositions()
    {
        // 12×8 outputs, 6 channels: 96 positions at batch 2, one pass, along the columns; 480 at batch 5, along the positions.
        foreach (var (batch, expected) in new[] { (2, typeof(ColumnWeightGradientOf<float>)), (5, typeof(BlockedWeightGradientOf<float>)) })
            Assert.IsType(expected, BlockedWeightGradient<float>.TryCreate(ConvGeometry.ForConv([batch, 5, 12, 8], [6, 5, 3, 3], new ConvOptions { Padding = 1 })));
    }

    [Theory]
    [InlineData(256, 14, 14, 16, true)] // W5 (ResNet-50 conv4_x) at batch 16: 14-wide rows leave lanes idle on every width but 1, 2 and 7
    [InlineData(512, 7, 7, 16, true)] // ResNet-50 conv5_x
    [InlineData(256, 16, 16, 16, false)] // rows of whole vectors of 1, 2, 4, 8 and 16 lanes
    [InlineData(128, 14, 14, 16, false)] // fewer channels than MinChannels
    [InlineData(256, 17, 17, 16, false)] // 289 positions a sample: more than MaxPositions
    [InlineData(256, 14, 14, 1, true)] // one pass of 196 positions
    public void BatchesOfSmallSamplesWithManyChannelsGoAlongTheColumns(int channels, int height, int width, int batch, bool columns)
    {
        var g = ConvGeometry.ForConv([batch, channels, height, width], [channels, channels, 3, 3], new ConvOptions { Padding = 1 });
        foreach (var path in KernelChecks.Native)
        {
            // The rule on each path's own lanes: 14 is a whole number of vectors of 1 and 2 lanes, 16 of up to 16.
            bool idle = width % path.Lanes<float>() != 0;
            bool expected = batch * height * width <= ColumnWeightGradientOf<float>.MaxPositions || columns && idle;
            var kernel = BlockedWeightGradient<float>.TryCreate(g, path);
            Assert.True(expected == kernel is ColumnWeightGradientOf<float>, $"{KernelChecks.Label(path)}: {kernel?.GetType().Name} for {g}");
        }
    }

    [Fact]
    public void ColumnKernelOverManyPassesOfSmallSamples()
    {
        // The rule's own shape, small: 12×13 outputs (156 positions, a pass of 3 samples), 7 samples, so the second and
        // third passes (the third of one sample) add their tiles onto the gradient the first one stored; 2 groups, the
        // channel blocks of each short.
        var g = ConvGeometry.ForConv([7, 6, 12, 13], [10, 3, 3, 3], new ConvOptions { Groups = 2, Padding = 1, PaddingMode = PaddingMode.Circular });
        foreach (var path in KernelChecks.Native)
            Assert.Equal(3, Assert.IsType<ColumnWeightGradientOf<double>>(BlockedWeightGradient<double>.TryCreate(g, path, WeightGradientVectors.Columns)).SamplesPerPass);
        Check(g);
    }

    [Theory]
    [InlineData(40, 41)] // 840 positions a sample: vectors along the positions
    [InlineData(10, 11)] // 60: along the columns
    public void ResultsDoNotDependOnTheThreads(int height, int width)
    {
        var g = ConvGeometry.ForConv([3, 8, height, width], [12, 4, 3, 3], new ConvOptions { Groups = 2, Padding = 1, Stride = [1, 2] });
        var random = new Random(11);
        var x = KernelChecks.Values(random, g.Batch * g.InputLength);
        var y = KernelChecks.Values(random, g.Batch * g.OutputLength);
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            KernelAssert.Passes(KernelChecks.OnEvery(KernelChecks.Native, path =>
            {
                var results = new[] { 1, 2, 3, 8 }.Select(threads =>
                {
                    Parallelism.MaxDegreeOfParallelism = threads;
                    var gw = new double[g.WeightLength];
                    WeightGradient.Compute<double>(g, x, y, gw, path);
                    return gw;
                }).ToArray();
                return results.All(r => r.SequenceEqual(results[0])) ? null : "the results differ between 1, 2, 3 and 8 threads";
            }));
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [Fact]
    public void NegativePaddingTakesTheGenericPath()
    {
        var t = ConvGeometry.ForConvTranspose([2, 2, 3, 3], [2, 3, 3, 3], new ConvTransposeOptions { Stride = [2], OutputShape = [9, 10] });
        Assert.Null(BlockedWeightGradient<double>.TryCreate(t));
        var random = new Random(4);
        var a = KernelChecks.Values(random, t.Batch * t.InputLength);
        var b = KernelChecks.Values(random, t.Batch * t.OutputLength);
        double[] gw = new double[t.WeightLength], expected = new double[t.WeightLength];
        WeightGradient.Compute<double>(t, a, b, gw);
        DirectWeightGradient.Apply<double>(t, a, b, expected);
        for (int i = 0; i < gw.Length; i++) Assert.True(Math.Abs(gw[i] - expected[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"[{i}] {gw[i]} vs {expected[i]}");
    }

    [Fact]
    public void OtherElementTypesGetNoKernel()
    {
        var g = ConvGeometry.ForConv([1, 1, 4], [1, 1, 2]);
        Assert.Null(BlockedWeightGradient<long>.TryCreate(g));
        Assert.NotNull(BlockedWeightGradient<float>.TryCreate(g));
        Assert.True(BlockedWeightGradient<float>.AllFinite([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f]));
        Assert.False(BlockedWeightGradient<float>.AllFinite([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, float.NaN]));
        Assert.False(BlockedWeightGradient<double>.AllFinite([double.NegativeInfinity, 2, 3, 4, 5, 6, 7, 8, 9]));
    }

    /// <summary>
    /// Small integers in [−3, 3] through the kernel along <paramref name="vectorise"/> of every native path (its blocking
    /// first checked by <paramref name="shape"/>) on 1, 2, 3 and 5 threads, double and float: each must give
    /// DirectWeightGradient exactly, so no thread count may change a sum.
    /// </summary>
    private static void ExactOnEveryThreadCount(ConvGeometry g, WeightGradientVectors vectorise, int seed, Action<BlockedWeightGradient<double>?, KernelPath> shape)
    {
        var random = new Random(seed);
        long[] x = Enumerable.Range(0, g.Batch * g.InputLength).Select(_ => (long)random.Next(-3, 4)).ToArray();
        long[] y = Enumerable.Range(0, g.Batch * g.OutputLength).Select(_ => (long)random.Next(-3, 4)).ToArray();
        var expected = new long[g.WeightLength];
        DirectWeightGradient.Apply<long>(g, x, y, expected);
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            KernelAssert.Passes(KernelChecks.OnEvery(KernelChecks.Native, path =>
            {
                shape(BlockedWeightGradient<double>.TryCreate(g, path, vectorise), path);
                foreach (int threads in new[] { 1, 2, 3, 5 })
                {
                    Parallelism.MaxDegreeOfParallelism = threads;
                    var gw = KernelChecks.WeightGradientOf(g, KernelChecks.Convert<double>(x), KernelChecks.Convert<double>(y), path, vectorise);
                    var gf = KernelChecks.WeightGradientOf(g, KernelChecks.Convert<float>(x), KernelChecks.Convert<float>(y), path, vectorise);
                    for (int i = 0; i < expected.Length; i++)
                        if (gw[i] != expected[i] || gf[i] != expected[i])
                            return $"{threads} threads: element {i}: double {gw[i]}, float {gf[i]}, the reference {expected[i]}";
                }
                return null;
            }));
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static void Check(ConvGeometry g) => KernelAssert.Passes(KernelChecks.BoundedWeightGradient(g, KernelChecks.Native));
}
