using ConvAsMatrix.Cli;
using ConvAsMatrix.Onnx;
using ConvAsMatrix.Spectrum;
using ConvAsMatrix.Tests.Cli;
using Google.Protobuf;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary><c>convmat onnx list|verify|compile|norm</c> on models built in code, and bad models: exit 2, one line, nothing written.</summary>
public sealed class OnnxCommandTests : IDisposable
{
    private readonly CliHarness cli = new();
    private readonly string network;

    public OnnxCommandTests()
    {
        network = cli.PathOf("network.onnx");
        File.WriteAllBytes(network, OnnxNetwork.Build().ToByteArray());
    }

    public void Dispose() => cli.Dispose();

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void ListNeedsTheInputShapeOfADynamicModel()
    {
        CliHarness.AssertBadInput(cli.Run("onnx", "list", network), "convmat onnx list", "'image'", "dynamic shape (?, 3, 8, 8)", "--input-shape");
    }

    [Fact]
    public void ListPrintsOneLinePerLayerAndTheCount()
    {
        var (code, stdout, _) = cli.Run("onnx", "list", network, "--input-shape", "2,3,8,8");
        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.Equal(5, lines.Length);
        Assert.Equal("4 conv layers", lines[^1]);
        Assert.StartsWith("conv_a Conv W(8, 3, 3, 3) stride (2, 2) padding 1:1,1:1 dilation (1, 1) groups 1 -> (2, 8, 4, 4); V 128 x 192: explicit", lines[0]);
        Assert.StartsWith("conv_b Conv W(8, 4, 3, 3) stride (1, 1) padding 1:1,1:1 dilation (1, 1) groups 2 -> (2, 8, 4, 4)", lines[1]);
        Assert.StartsWith("deconv ConvTranspose W(8, 4, 2, 2) stride (2, 2) padding 0:0,0:0 dilation (1, 1) groups 1 -> (2, 4, 8, 8); V 128 x 256", lines[2]);
        var g = ConvGeometry.ForConv([1, 8, 4, 4], [8, 4, 3, 3], new ConvOptions { Padding = 1, Groups = 2 });
        var weight = OnnxModel.ReadFile(network).Layer("conv_b").Weight;
        Assert.Contains($"explicit {g.NonZeroCount} entries {12 * g.NonZeroCount + 4 * (g.OutputLength + 1)} bytes, structured {g.NonZeroCount} entries {StructuredConvolution<double>.Compile(weight, g).StoredBytes} bytes", lines[1]);
    }

    [Fact]
    public void VerifyAgreesOnEveryLayerOfTheNetwork()
    {
        var (code, stdout, stderr) = cli.Run("onnx", "verify", network, "--input-shape", "2,3,8,8", "--seed", "5");
        Assert.True(code == 0, stdout + stderr);
        var lines = Lines(stdout);
        Assert.Equal("4 of 4 layers agree", lines[^1]);
        Assert.Equal(OnnxNetwork.LayerNames, lines.Take(4).Select(l => l.Split(' ')[0]));
        Assert.All(lines.Take(4), l => Assert.EndsWith(" agree", l));
        Assert.Contains("deconv ConvTranspose (2, 8, 4, 4) -> (2, 4, 8, 8): max abs err", lines[2]);
    }

    [Fact]
    public void VerifyReadsTheInputFromNpy()
    {
        var x = OnnxBuilder.RandomTensor([3, 3, 8, 8], new Random(2));
        var path = cli.PathOf("x.npy");
        Npy.WriteFile(path, x);
        var (code, stdout, _) = cli.Run("onnx", "verify", network, "--input", path);
        Assert.Equal(0, code);
        Assert.Contains("conv_a Conv (3, 3, 8, 8) -> (3, 8, 4, 4)", stdout);
        Assert.EndsWith("4 of 4 layers agree", stdout.TrimEnd());
    }

    [Fact]
    public void VerifyFeedsSeveralInputsInGraphOrder()
    {
        var specs = new[] { new ConvSpec("Conv", [1, 2, 6], [3, 2, 3]), new ConvSpec("ConvTranspose", [1, 2, 3, 3], [2, 2, 2, 2], Strides: [2, 2]) };
        var model = cli.PathOf("two.onnx");
        File.WriteAllBytes(model, OnnxBuilder.Branches(specs, 3).ToByteArray());
        var a = cli.PathOf("a.npy");
        var b = cli.PathOf("b.npy");
        Npy.WriteFile(a, OnnxBuilder.RandomTensor([1, 2, 6], new Random(1)));
        Npy.WriteFile(b, OnnxBuilder.RandomTensor([1, 2, 3, 3], new Random(2)));
        var (code, stdout, _) = cli.Run("onnx", "verify", model, "--input", a, "--input", b);
        Assert.Equal(0, code);
        Assert.EndsWith("2 of 2 layers agree", stdout.TrimEnd());
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model, "--input", a), "has 2 inputs", "1 given");
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", model, "--input", b, "--input", a), "'x0' is declared (1, 2, 6), given (1, 2, 3, 3)");
    }

    [Fact]
    public void VerifyExitsOneWhenOnnxRuntimeDisagrees()
    {
        // ConvTranspose SAME_UPPER with stride 3 and kernel 2: ONNX says output = in·stride = 12, ONNX Runtime gives 11.
        var model = cli.PathOf("same.onnx");
        File.WriteAllBytes(model, OnnxBuilder.Branches([new ConvSpec("ConvTranspose", [1, 2, 4], [2, 2, 2], AutoPad: "SAME_UPPER", Strides: [3])], 1).ToByteArray());
        var (code, stdout, stderr) = cli.Run("onnx", "verify", model);
        Assert.Equal(1, code);
        Assert.Equal("", stderr);
        Assert.Contains("ONNX Runtime's output is (1, 2, 11), V's is (1, 2, 12) DISAGREE", stdout);
        Assert.EndsWith("0 of 1 layers agree", stdout.TrimEnd());
    }

    [Fact]
    public void CompileWritesTheLayersV()
    {
        var outPath = cli.PathOf("V.mtx");
        var (code, stdout, _) = cli.Run("onnx", "compile", network, "--layer", "deconv", "--input-shape", "1,3,8,8", "--out", outPath);
        Assert.Equal(0, code);
        Assert.Contains("V 128 x 256", stdout);
        var layer = OnnxModel.ReadFile(network).Layer("deconv");
        var expected = ConvolutionMatrix<double>.Compile(layer.Weight, layer.Geometry([1, 8, 4, 4]));
        var written = MatrixMarket.ReadFile(outPath);
        Assert.Equal(expected.RowPointers, written.RowPointers);
        Assert.Equal(expected.ColumnIndices, written.ColumnIndices);
        Assert.Equal(expected.Values, written.Values);
    }

    [Fact]
    public void NormIsTheSpectralNormOfEachLayersV()
    {
        var (code, stdout, _) = cli.Run("onnx", "norm", network, "--input-shape", "1,3,8,8");
        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.Equal(5, lines.Length);
        var model = OnnxModel.ReadFile(network);
        var layer = model.Layer("conv_b");
        var g = layer.Geometry([1, 8, 4, 4]);
        var v = ConvolutionMatrix<double>.Compile(layer.Weight, g);
        var bound = SpectralNorm.Bound(v, layer.Weight.Data, g);
        var printed = double.Parse(lines[1].Split(": ")[^1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(bound.Value, printed, 1e-9 * bound.Value);
        // The explicit V's power iteration lands inside the certified interval the command printed.
        double power = SpectralNorm.Estimate(v).Value;
        var lower = double.Parse(lines[1].Split("lower ")[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
        var upper = double.Parse(lines[1].Split("upper ")[1].Split([',', ':'])[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(power, lower * (1 - 1e-9), upper * (1 + 1e-9));
        var (one, single, _) = cli.Run("onnx", "norm", network, "--input-shape", "1,3,8,8", "--layer", "conv_b");
        Assert.Equal(0, one);
        Assert.Equal(lines[1], single.TrimEnd());   // one layer: no product line

        // The last line: the product of the four upper ends, rounded up, a certified Lipschitz bound of the convs alone.
        var uppers = lines[..4].Select(l => double.Parse(l.Split("upper ")[1].Split([',', ':'])[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.StartsWith("product of the 4 layers' upper bounds", lines[4]);
        var product = double.Parse(lines[4].Split(": ")[^1], System.Globalization.CultureInfo.InvariantCulture);
        double exact = uppers.Aggregate(1.0, (p, u) => p * u);
        Assert.InRange(product, exact, exact * (1 + 1e-15));
    }

    [Fact]
    public void NormJsonGivesEveryLayersIntervalMethodAndSecondsAndTheProduct()
    {
        var (code, stdout, stderr) = cli.Run("onnx", "norm", network, "--input-shape", "1,3,8,8", "--json");
        Assert.Equal(0, code);
        Assert.Equal("", stderr);
        using var doc = System.Text.Json.JsonDocument.Parse(stdout);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToArray();
        Assert.Equal(4, layers.Length);
        var model = OnnxModel.ReadFile(network);
        double product = 1;
        foreach (var (layer, json) in model.Layers.Zip(layers))
        {
            Assert.Equal(layer.Name, json.GetProperty("name").GetString());
            double lower = json.GetProperty("lower").GetDouble(), upper = json.GetProperty("upper").GetDouble();
            Assert.True(0 <= lower && lower <= json.GetProperty("value").GetDouble() && json.GetProperty("value").GetDouble() <= upper, json.ToString());
            Assert.False(string.IsNullOrEmpty(json.GetProperty("method").GetString()));
            Assert.True(json.GetProperty("seconds").GetDouble() >= 0);
            product *= upper;
        }
        Assert.InRange(doc.RootElement.GetProperty("product").GetDouble(), product, product * (1 + 1e-15));
        var (_, one, _) = cli.Run("onnx", "norm", network, "--input-shape", "1,3,8,8", "--json", "--layer", "conv_b");
        using var single = System.Text.Json.JsonDocument.Parse(one);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, single.RootElement.GetProperty("product").ValueKind);
    }

    [Fact]
    public void ExternalDataIsReadFromBesideTheModel()
    {
        var sub = Directory.CreateDirectory(cli.PathOf("ext")).FullName;
        var model = Path.Combine(sub, "net.onnx");
        OnnxNetwork.WriteWithExternalData(model, "net.weights");
        var (code, stdout, _) = cli.Run("onnx", "verify", model, "--input-shape", "1,3,8,8");
        Assert.Equal(0, code);
        Assert.EndsWith("4 of 4 layers agree", stdout.TrimEnd());
        var inMemory = OnnxModel.ReadFile(model);
        var original = OnnxBuilder.Load(OnnxNetwork.Build());
        Assert.All(inMemory.Layers.Zip(original.Layers), p => Assert.Equal(p.Second.Weight.Data, p.First.Weight.Data));
    }

    public static TheoryData<string, string[]> BadModelKinds => new()
    {
        { "garbage", ["not a valid ONNX file", "malformed or truncated protobuf"] },
        { "truncated", ["malformed or truncated protobuf"] },
        { "weight-is-input", ["missing initializer"] },
        { "external-escape", ["leads outside the model's directory"] },
    };

    [Theory]
    [MemberData(nameof(BadModelKinds))]
    public void BadModelsExitTwoWithOneLineAndWriteNothing(string kind, string[] mentions)
    {
        var model = cli.PathOf("bad.onnx");
        File.WriteAllBytes(model, OnnxModelReadTests.BadModel(kind));
        var outPath = cli.PathOf("V.mtx");
        foreach (var args in new[] { new[] { "list", model }, ["verify", model], ["compile", model, "--layer", "n0", "--out", outPath], ["norm", model] })
            CliHarness.AssertBadInput(cli.Run(["onnx", .. args]), ["convmat onnx " + args[0], .. mentions]);
        Assert.Equal(["bad.onnx", "network.onnx"], cli.Files().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void MissingExternalFileAndTruncatedExternalDataAreBadInput()
    {
        var sub = Directory.CreateDirectory(cli.PathOf("ext")).FullName;
        var model = Path.Combine(sub, "net.onnx");
        OnnxNetwork.WriteWithExternalData(model, "net.weights");
        var data = Path.Combine(sub, "net.weights");
        var bytes = File.ReadAllBytes(data);
        File.WriteAllBytes(data, bytes[..(bytes.Length / 2)]);
        CliHarness.AssertBadInput(cli.Run("onnx", "list", model, "--input-shape", "1,3,8,8"), "external data", "net.weights", "which has");
        File.Delete(data);
        CliHarness.AssertBadInput(cli.Run("onnx", "list", model, "--input-shape", "1,3,8,8"), "external data file 'net.weights' not found");
    }

    [Fact]
    public void CompileRefusesALayerWhoseVWouldNotFit()
    {
        // 64 -> 64 channels, 3x3, on a 4096 x 4096 input: V would hold ~6e11 entries. Nothing that size is allocated.
        var model = cli.PathOf("huge.onnx");
        File.WriteAllBytes(model, OnnxBuilder.Branches([new ConvSpec("Conv", [1, 64, 4096, 4096], [64, 64, 3, 3], Pads: [1, 1, 1, 1])], 1).ToByteArray());
        var outPath = cli.PathOf("V.mtx");
        var g = ConvGeometry.ForConv([1, 64, 4096, 4096], [64, 64, 3, 3], new ConvOptions { Padding = 1 });
        CliHarness.AssertBadInput(cli.Run("onnx", "compile", model, "--layer", "n0", "--out", outPath), "convmat onnx compile", g.NonZeroCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["huge.onnx", "network.onnx"], cli.Files().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void UnknownLayerAndBadShapesAreBadInput()
    {
        CliHarness.AssertBadInput(cli.Run("onnx", "compile", network, "--layer", "conv_z", "--input-shape", "1,3,8,8", "--out", cli.PathOf("V.mtx")), "no conv layer named 'conv_z'", "conv_a, conv_b, deconv, conv_c");
        CliHarness.AssertBadInput(cli.Run("onnx", "list", network, "--input-shape", "1,3,x,8"), "--input-shape '1,3,x,8'");
        CliHarness.AssertBadInput(cli.Run("onnx", "list", network, "--input-shape", "1,4,8,8"), "'image' is declared (?, 3, 8, 8), given (1, 4, 8, 8)");
        CliHarness.AssertBadInput(cli.Run("onnx", "list", cli.PathOf("nothing.onnx")), "no such file");
        CliHarness.AssertBadInput(cli.Run("onnx", "verify", network, "--input-shape", "1,3,8,8", "--input", cli.PathOf("x.npy")), "--input or --input-shape, not both");
        Assert.Equal(["network.onnx"], cli.Files());
    }
}
