using ConvAsMatrix.Onnx;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// A geometry exported as a one-node Conv / ConvTranspose model (<see cref="OnnxConvExport"/>) and run by ONNX Runtime
/// on one thread (<see cref="OnnxRuntimeConvolution"/>) computes V·x and Vᵀ·y: the benchmark suite times these models.
/// </summary>
public class OnnxConvExportTests
{
    public static TheoryData<string> Geometries => ["2d-stride2-dilation2-groups2-asym", "tconv-stride2", "1d-stride3", "3d-pad1", "tiny-batch3"];

    private static ConvGeometry Geometry(string name) => name switch
    {
        "2d-stride2-dilation2-groups2-asym" => ConvGeometry.ForConv([2, 4, 11, 9], [6, 2, 3, 2],
            new ConvOptions { Stride = [2], Dilation = [2, 1], Groups = 2, Padding = Padding.Asymmetric((1, 2), (0, 1)) }),
        // The DCGAN layer's shape (W2) at a small size: a transposed convolution's forward geometry, stride 2, k4, padding 1.
        "tconv-stride2" => ConvGeometry.ForConvTranspose([2, 6, 5, 5], [6, 3, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1 }),
        // 10 = 3·3 + 1: the stride leaves a remainder, so the transposed node needs output_padding.
        "1d-stride3" => ConvGeometry.ForConv([1, 3, 12], [2, 3, 3], new ConvOptions { Stride = [3], Padding = 1 }),
        "3d-pad1" => ConvGeometry.ForConv([1, 2, 5, 4, 6], [3, 2, 3, 3, 3], new ConvOptions { Padding = 1 }),
        _ => Benchmarks.Workload.Tiny.Geometry(3),
    };

    [Theory]
    [MemberData(nameof(Geometries))]
    public void OnnxRuntimeComputesVxAndVTransposeY(string name)
    {
        var g = Geometry(name);
        var random = new Random(5);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        var weight = Random(g.WeightLength);
        float[] x = Random(g.Batch * g.InputLength), y = Random(g.Batch * g.OutputLength);
        var v = StructuredConvolution<float>.Compile(weight, g);
        float[] vx = new float[y.Length], vty = new float[x.Length];
        v.Convolve(x, vx);
        v.ConvolveTranspose(y, vty);

        float[] ortVx = new float[vx.Length], ortVty = new float[vty.Length];
        using (var conv = new OnnxRuntimeConvolution(g, weight, transpose: false, x, ortVx)) conv.Run();
        using (var tconv = new OnnxRuntimeConvolution(g, weight, transpose: true, y, ortVty)) tconv.Run();
        AssertClose(vx, ortVx);
        AssertClose(vty, ortVty);
    }

    [Fact]
    public void RunRecomputesFromTheBoundInput()
    {
        var g = Geometry("tiny-batch3");
        var weight = Enumerable.Range(0, g.WeightLength).Select(i => (float)(i % 5 - 2)).ToArray();
        float[] x = new float[g.Batch * g.InputLength], vx = new float[g.Batch * g.OutputLength];
        using var conv = new OnnxRuntimeConvolution(g, weight, transpose: false, x, vx);
        conv.Run();
        Assert.All(vx, value => Assert.Equal(0f, value));
        Array.Fill(x, 1f);
        conv.Run();
        var expected = new float[vx.Length];
        StructuredConvolution<float>.Compile(weight, g).Convolve(x, expected);
        Assert.Equal(expected, vx);
    }

    [Fact]
    public void RefusesPaddingOtherThanZerosAndWrongLengths()
    {
        var reflect = ConvGeometry.ForConv([1, 1, 6, 6], [1, 1, 3, 3], new ConvOptions { Padding = 1, PaddingMode = PaddingMode.Reflect });
        Assert.Throws<ArgumentException>(() => OnnxConvExport.Model(reflect, new float[9], transpose: false));
        var g = Geometry("tiny-batch3");
        Assert.Throws<ArgumentException>(() => OnnxConvExport.Model(g, new float[g.WeightLength - 1], transpose: true));
        Assert.Throws<ArgumentException>(() => new OnnxRuntimeConvolution(g, new float[g.WeightLength], false, new float[g.InputLength], new float[g.Batch * g.OutputLength]));
    }

    /// <summary>float32 sums in two orders: equal to a few units of rounding of the largest magnitude.</summary>
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float scale = expected.Max(MathF.Abs);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= 1e-5f * scale, $"[{i}]: {expected[i]} vs ONNX Runtime {actual[i]}");
    }
}
