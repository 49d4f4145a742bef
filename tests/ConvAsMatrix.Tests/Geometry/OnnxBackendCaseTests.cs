using System.Text.Json;
using ConvAsMatrix.Tests.Cli;

namespace ConvAsMatrix.Tests.Geometry;

/// <summary>
/// ONNX's own Conv and ConvTranspose backend test cases (onnx/backend/test/case/node/conv.py, convtranspose.py of
/// python3-onnx 1.12, extracted by tests/cli-fixtures/make_onnx_cases.py): their hand-written expected outputs are
/// what every ONNX runtime is tested against, and here what V and the direct loops must give, exactly.
/// </summary>
public class OnnxBackendCaseTests
{
    private static readonly JsonElement Manifest =
        JsonDocument.Parse(File.ReadAllText(CliHarness.Fixture("onnx-backend/onnx_cases.json"))).RootElement;

    public static TheoryData<string, ConvMethod> Cases()
    {
        var data = new TheoryData<string, ConvMethod>();
        foreach (var c in Manifest.GetProperty("cases").EnumerateArray())
            foreach (var method in new[] { ConvMethod.Matrix, ConvMethod.Direct })
                data.Add(c.GetProperty("name").GetString()!, method);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesTheExpectedOutput(string name, ConvMethod method)
    {
        var c = Manifest.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == name);
        var x = Load(c, "x");
        var w = Load(c, "w");
        var expected = Load(c, "y");
        var a = OnnxAttributes.Read(c.GetProperty("attributes"), w.Rank - 2);
        if (a.KernelShape is not null) Assert.Equal(a.KernelShape, w.ShapeArray[2..]);
        var actual = c.GetProperty("op").GetString() == "Conv"
            ? Functional.Conv(x, w, options: a.ToConvOptions(), method: method)
            : Functional.ConvTranspose(x, w, options: a.ToConvTransposeOptions(), method: method);
        Assert.Equal(expected.ShapeArray, actual.ShapeArray);
        // Small integers throughout: every sum is exact in double.
        Assert.Equal(expected.Data, actual.Data);
    }

    [Fact]
    public void CoversAutoPadOutputShapeAndOutputPadding()
    {
        var cases = Manifest.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(15, cases.Length);
        var attributes = cases.SelectMany(c => c.GetProperty("attributes").EnumerateObject().Select(p => p.Name + "=" + p.Value)).ToArray();
        foreach (var needle in new[] { "auto_pad=SAME_LOWER", "auto_pad=SAME_UPPER", "output_shape", "output_padding", "dilations", "pads" })
            Assert.Contains(attributes, a => a.StartsWith(needle, StringComparison.Ordinal));
    }

    private static Tensor<double> Load(JsonElement c, string role) =>
        Npy.ReadFile(CliHarness.Fixture("onnx-backend/" + c.GetProperty(role).GetString())).ToDouble();

    /// <summary>An ONNX Conv/ConvTranspose node's attributes, as the library's options.</summary>
    private sealed record OnnxAttributes(int Rank, int[] Strides, int[] Dilations, int Group, int[]? Pads, AutoPad AutoPad,
        int[]? OutputPadding, int[]? OutputShape, int[]? KernelShape)
    {
        public static OnnxAttributes Read(JsonElement json, int rank)
        {
            int[]? Ints(string name) => json.TryGetProperty(name, out var v) ? v.EnumerateArray().Select(e => e.GetInt32()).ToArray() : null;
            var autoPad = json.TryGetProperty("auto_pad", out var ap)
                ? ap.GetString() switch { "SAME_UPPER" => AutoPad.SameUpper, "SAME_LOWER" => AutoPad.SameLower, "VALID" => AutoPad.Valid, _ => AutoPad.NotSet }
                : AutoPad.NotSet;
            return new(rank, Ints("strides") ?? [1], Ints("dilations") ?? [1], json.TryGetProperty("group", out var g) ? g.GetInt32() : 1,
                Ints("pads"), autoPad, Ints("output_padding"), Ints("output_shape"), Ints("kernel_shape"));
        }

        /// <summary>ONNX pads [x1_begin, x2_begin, …, x1_end, x2_end, …] as before/after pairs.</summary>
        private Padding Padding => Pads is null
            ? Padding.Zero
            : Padding.Asymmetric(Enumerable.Range(0, Rank).Select(d => (Pads[d], Pads[Rank + d])).ToArray());

        public ConvOptions ToConvOptions() => new() { Stride = Strides, Dilation = Dilations, Groups = Group, Padding = Padding, AutoPad = AutoPad };

        public ConvTransposeOptions ToConvTransposeOptions() => new()
        {
            Stride = Strides, Dilation = Dilations, Groups = Group, Padding = Padding, AutoPad = AutoPad,
            OutputPadding = OutputPadding ?? [0], OutputShape = OutputShape,
        };
    }
}
