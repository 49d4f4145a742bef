using System.Numerics;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Solvers;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ConvAsMatrix.Tests.Spectrum;

/// <summary>The polyphase spectrum of a strided circular convolution (<see cref="PolyphaseGram"/>) against the dense SVD of V.</summary>
public class PolyphaseTests
{
    /// <summary>A circular convolution with strides 1–3 dividing n and n/s outputs (so V is the strided circular
    /// operator up to a shift), rank 1–3, groups 1–2, dilation 1–2, uneven padding; small enough for a dense SVD.</summary>
    internal static (ConvGeometry Geometry, double[] Weight) StridedCircular(int seed)
    {
        var random = new Random(seed);
        int rank = random.Next(1, 4), groups = random.Next(1, 3);
        int cin = groups * random.Next(1, 3), cout = groups * random.Next(1, 4);
        var size = new int[rank];
        var kernel = new int[rank];
        var dilation = new int[rank];
        var stride = new int[rank];
        var pads = new (int, int)[rank];
        for (int d = 0; d < rank; d++)
        {
            stride[d] = random.Next(1, 4);
            size[d] = stride[d] * random.Next(1, rank == 3 ? 2 : rank == 2 ? 3 : 5);
            dilation[d] = random.Next(1, 3);
            kernel[d] = random.Next(1, 4);
            while (dilation[d] * (kernel[d] - 1) > 2 * size[d]) kernel[d]--;
            int total = dilation[d] * (kernel[d] - 1);
            int before = random.Next(Math.Max(0, total - size[d]), Math.Min(total, size[d]) + 1);
            pads[d] = (before, total - before);
        }
        var g = ConvGeometry.ForConv([1, cin, .. size], [cout, cin / groups, .. kernel], new ConvOptions
        {
            Stride = stride, Dilation = dilation, Groups = groups, PaddingMode = PaddingMode.Circular, Padding = Padding.Asymmetric(pads),
        });
        return (g, Problems.Gaussian(new Random(seed + 1), g.WeightLength));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EverySingularValueOfAStridedCircularConvolutionComesFromItsPolyphaseBlocks(int seed)
    {
        var (g, w) = StridedCircular(seed);
        var e = CirculantEmbedding.Strided(g);
        if (e is null)
        {
            Assert.All(g.Stride, s => Assert.Equal(1, s));
            return;
        }
        Assert.True(e.Exact, $"{g}");
        var dense = SingularValues.Dense(ConvolutionMatrix<double>.Compile(w, g));
        var m = e.OutputGrid!;
        // The family CircularBound uses (the output-side tap-difference table where it applies) and the direct one.
        AssertPolyphaseValues(g, w, dense, group => PolyphaseGram.For(w, g, group, m, CirculantSpectrum.MaxTableBytes));
        AssertPolyphaseValues(g, w, dense, group => PolyphaseGram.Build(w, g, group, m));

        var bound = SpectralNorm.Bound(ConvolutionMatrix<double>.Compile(w, g), w, g);
        double scale = Math.Max(dense[0], 1e-300);
        Assert.True(bound.Exact, $"{g}: {bound}");
        Assert.True(Math.Abs(bound.Value - dense[0]) <= 1e-9 * scale && bound.Lower <= dense[0] * (1 + 1e-12) && bound.Upper >= dense[0] * (1 - 1e-12), $"{g}: {bound} vs SVD {dense[0]:R}");
    }

    private static void AssertPolyphaseValues(ConvGeometry g, double[] w, double[] dense, Func<int, IFrequencyGram> family)
    {
        var values = new List<double>();
        var m = CirculantEmbedding.Strided(g)!.OutputGrid!;
        for (int group = 0; group < g.Groups; group++)
        {
            var gram = family(group);
            int n = gram.Size;
            var re = new double[n * n];
            var im = new double[n * n];
            for (int f0 = 0; f0 < m[0]; f0++)
                for (int f1 = 0; f1 < m[1]; f1++)
                    for (int f2 = 0; f2 < m[2]; f2++)
                    {
                        gram.Build(f0, f1, f2, re, im);
                        var h = Matrix<Complex>.Build.Dense(n, n, (i, j) => new Complex(re[i * n + j], im[i * n + j]));
                        values.AddRange(h.Evd(Symmetricity.Hermitian).EigenValues.Select(z => Math.Sqrt(Math.Max(0, z.Real))));
                    }
        }
        values.Sort((a, b) => b.CompareTo(a));
        // σ to 1e-9 of σ_max, compared as σ²: the Gram's eigenvalues carry an absolute error of order u·σ_max², which
        // √ turns into 1e-8·σ_max for the zero singular values of a rank-deficient V.
        double scale = Math.Max(dense[0], 1e-300);
        double Gap(double a, double b) => Math.Abs(a * a - b * b) / (scale * scale);
        for (int i = 0; i < Math.Min(values.Count, dense.Length); i++)
            Assert.True(Gap(values[i], dense[i]) <= 1e-9 && (dense[i] < 1e-4 * scale || Math.Abs(values[i] - dense[i]) <= 1e-9 * scale), $"{g}: σ{i} polyphase {values[i]:R}, SVD {dense[i]:R}");
        for (int i = dense.Length; i < values.Count; i++) Assert.True(Gap(values[i], 0) <= 1e-9, $"{g}: extra polyphase value {values[i]:R}");
        for (int i = values.Count; i < dense.Length; i++) Assert.True(Gap(dense[i], 0) <= 1e-9, $"{g}: SVD value {dense[i]:R} without a polyphase one");
    }

    public static TheoryData<int> Seeds()
    {
        var data = new TheoryData<int>();
        for (int seed = 0; seed < 200; seed++) data.Add(seed * 7919);
        return data;
    }

    [Fact]
    public void AStridedZeroPaddedLayerIsBoundedByItsPolyphaseEmbeddingNotTheStrideOneOne()
    {
        // conv1 of a ResNet in miniature: 7×7, stride 2, padding 3 on 12×12. The stride-1 embedding bounds the rows V
        // does not keep too; the strided one is below it and still above ‖V‖₂.
        var g = ConvGeometry.ForConv([1, 2, 12, 12], [4, 2, 7, 7], new ConvOptions { Stride = [2, 2], Padding = 3 });
        var w = Problems.Gaussian(new Random(5), g.WeightLength);
        double sigma = SingularValues.Dense(ConvolutionMatrix<double>.Compile(w, g))[0];
        var strided = CircularBound.Of(w, g, CancellationToken.None);
        double strideOne = Math.Sqrt(CirculantSpectrum.Max(w, g, CirculantEmbedding.Of(g).Grid, CancellationToken.None).Upper);
        Assert.Equal([1, 18, 18], strided.Embedding.Grid);
        Assert.Contains("polyphase", strided.Method);
        Assert.True(sigma <= strided.Upper && strided.Upper < strideOne, $"sigma {sigma:R}, polyphase {strided.Upper:R}, stride-1 {strideOne:R}");
    }
}
