using ConvAsMatrix.Tests.Cli;
using Google.Protobuf;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary><c>convmat onnx list|verify</c> on quantized models: the QDQ network, ConvInteger fed from .npy, the saturating u8s8 layer (exit 1), bad models (exit 2).</summary>
public sealed class QuantizedOnnxCommandTests : IDisposable
{
    private readonly CliHarness cli = new();
    private readonly string qdq;

    public QuantizedOnnxCommandTests()
    {
        qdq = cli.PathOf("qdq.onnx");
        File.WriteAllBytes(qdq, QdqNetwork.Build().ToByteArray());
    }

    public void Dispose() => cli.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void ListShowsTypesZeroPointsScalesAndGranularity()
    {
        var (code, stdout, stderr) = cli.Run("onnx", "list", qdq);
        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal("3 conv layers", lines[^1]);
        Assert.StartsWith("conv_a QdqConv u8s8->u8 x_zp 128 w_zp per-channel(8) x_scale 0.0078125 w_scale per-channel(8) y_scale 0.05 y_zp 128 B int32 (per-channel weight) W(8, 4, 3, 3) stride (2, 2) padding 1:1,1:1", lines[0]);
        Assert.Matches(@"^conv_b QdqConv u8s8->s8 x_zp 128 w_zp 0 x_scale 0\.05 w_scale [0-9.E-]+ y_scale 0\.05 y_zp -3 B int32 \(per-tensor weight\) W\(8, 4, 3, 3\) .* groups 2 -> \(1, 8, 4, 4\)", lines[1]);
        Assert.StartsWith("conv_c QdqConv s8s8->s8 x_zp -3 w_zp 0", lines[2]);
        Assert.DoesNotContain("B int32", lines[2]);
    }

    [Fact]
    public void VerifyAgreesExactlyOnEveryQdqLayer()
    {
        var (code, stdout, stderr) = cli.Run("onnx", "verify", qdq, "--seed", "3");
        Assert.True(code == 0, stdout + stderr);
        var lines = Lines(stdout);
        Assert.Equal("3 of 3 layers agree", lines[^1]);
        Assert.Equal("conv_a QdqConv u8s8->u8 (1, 4, 8, 8) -> (1, 8, 4, 4): exact, 0 of 128 elements differ agree", lines[0]);
        Assert.EndsWith("quantized layers exact (no tolerance)", lines[^2]);
    }

    [Fact]
    public void CompileAndNormWorkOnTheDequantizedWeight()
    {
        var outPath = cli.PathOf("V.mtx");
        var (code, stdout, stderr) = cli.Run("onnx", "compile", qdq, "--layer", "conv_c", "--out", outPath);
        Assert.True(code == 0, stderr);
        var layer = OnnxBuilder.Load(QdqNetwork.Build()).Layer("conv_c");
        var written = MatrixMarket.ReadFile(outPath);
        Assert.Equal(ConvolutionMatrix<double>.Compile(layer.Weight, layer.Geometry([1, 8, 4, 4])).Values, written.Values);
        var (normCode, norm, _) = cli.Run("onnx", "norm", qdq);
        Assert.Equal(0, normCode);
        Assert.Equal(4, Lines(norm).Length);   // three layers and the product of their upper bounds
        Assert.StartsWith("conv_b QdqConv V 128 x 128: lower", Lines(norm)[1]);
    }

    [Fact]
    public void VerifyFeedsAnIntegerInputFromNpy()
    {
        var model = cli.PathOf("ci.onnx");
        File.WriteAllBytes(model, QuantizedOnnxBuilder.Branches([QuantizedOnnxReadTests.ConvInteger], 4).ToByteArray());
        var x = cli.PathOf("x.npy");
        Npy.WriteFile(x, NpyArray.From(new Tensor<byte>(Enumerable.Range(0, 100).Select(i => (byte)(i * 37)).ToArray(), 1, 4, 5, 5)));
        var (code, stdout, _) = cli.Run("onnx", "verify", model, "--input", x);
        Assert.Equal(0, code);
        Assert.Contains("n0 ConvInteger u8s8->s32 (1, 4, 5, 5) -> (1, 3, 5, 5): exact, 0 of 75 elements differ agree", stdout);
        // int64 values that fit uint8 are narrowed; a float array or a value beyond uint8 is refused.
        Npy.WriteFile(x, NpyArray.From(new Tensor<long>(Enumerable.Range(0, 100).Select(i => (long)i).ToArray(), 1, 4, 5, 5)));
        Assert.Equal(0, cli.Run("onnx", "verify", model, "--input", x).Code);
        Npy.WriteFile(x, new Tensor<float>(new float[100], 1, 4, 5, 5));
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model, "--input", x), "convmat onnx verify", "--input for 'x0' holds Float32; the input is UInt8: give integers");
        Npy.WriteFile(x, NpyArray.From(new Tensor<long>(Enumerable.Repeat(300L, 100).ToArray(), 1, 4, 5, 5)));
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model, "--input", x), "--input for 'x0' (UInt8): value 300 at element 0 does not fit uint8 [0, 255]");
    }

    [Fact]
    public void VerifyExitsOneOnTheSaturatingU8S8LayerAndSaysWhy()
    {
        var model = cli.PathOf("adversarial.onnx");
        File.WriteAllBytes(model, QuantizedAdversarialTests.Proto("QLinearConv", false, true, QuantizedAdversarialTests.Weight(127, -128), 0.01f).ToByteArray());
        var x = cli.PathOf("x.npy");
        Npy.WriteFile(x, NpyArray.From(new Tensor<byte>(Enumerable.Repeat((byte)255, 100).ToArray(), 1, 4, 5, 5)));
        var (code, stdout, stderr) = cli.Run("onnx", "verify", model, "--input", x);
        Assert.Equal(1, code);
        Assert.Equal("", stderr);
        var lines = Lines(stdout);
        Assert.StartsWith("n0 QLinearConv u8s8->u8 (1, 4, 5, 5) -> (1, 2, 5, 5): exact, 50 of 50 elements differ, largest difference 46 quantization steps; ", lines[0]);
        Assert.Contains("reproduced exactly by int16 saturation of adjacent u8·s8 products in (tap, channel) order (vpmaddubsw) DISAGREE", lines[0]);
        Assert.Equal("0 of 1 layers agree", lines[^1]);
    }

    [Fact]
    public void PerChannelConvIntegerIsRefusedByOnnxRuntimeWithOneLine()
    {
        var model = cli.PathOf("pc.onnx");
        File.WriteAllBytes(model, QuantizedOnnxBuilder.Branches([QuantizedOnnxReadTests.ConvInteger with { PerChannel = true }], 4).ToByteArray());
        var (code, stdout, _) = cli.Run("onnx", "list", model);
        Assert.Equal(0, code);
        Assert.Contains("w_zp per-channel(3) (per-channel weight)", stdout);
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model), "convmat onnx verify", "ONNX Runtime cannot run the model", "Non per-tensor quantization is not supported now");
    }

    public static TheoryData<string, string> BadModels => new()
    {
        { "x-zero-point-missing", "x_zero_point 'q0_x_zp' is not an initializer or constant (missing initializer)" },
        { "w-scale-shape", "w_scale 'q0_w_scale' has shape (4)" },
        { "weight-int16", "element type 5" },
    };

    [Theory]
    [MemberData(nameof(BadModels))]
    public void BadQuantizedModelsExitTwoWithOneLine(string kind, string message)
    {
        var model = cli.PathOf("bad.onnx");
        File.WriteAllBytes(model, QuantizedOnnxReadTests.BadModel(kind));
        foreach (var command in new[] { "list", "verify" })
            CliHarness.AssertBadInput(cli.Run("onnx", command, model), "convmat onnx " + command, message);
        File.WriteAllBytes(model, QuantizedOnnxReadTests.BadQdqModel("float-bias"));
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model), "a float bias is not read");
    }
}
