using ConvAsMatrix.Onnx;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// ONNX's own Conv/ConvTranspose test cases (python3-onnx 1.12, expected outputs written by hand there;
/// tests/onnx/make_reference_cases.py): V must give ONNX's expected output, and so must ONNX Runtime. These cases
/// are integers, so both must match exactly.
/// </summary>
public class ReferenceCaseTests(ITestOutputHelper output)
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(OnnxFixtures.Path("reference"), "*.onnx").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(f));
        return data;
    }

    [Fact]
    public void AllFifteenCasesArePresent() => Assert.Equal(15, Directory.GetFiles(OnnxFixtures.Path("reference"), "*.onnx").Length);

    [Theory]
    [MemberData(nameof(Cases))]
    public void VAndOnnxRuntimeGiveOnnxsExpectedOutput(string name)
    {
        var model = OnnxModel.ReadFile(OnnxFixtures.Path($"reference/{name}.onnx"));
        var x = Npy.ReadFile(OnnxFixtures.Path($"reference/{name}.x.npy")).ToSingle();
        var expected = Npy.ReadFile(OnnxFixtures.Path($"reference/{name}.y.npy")).ToSingle();
        var layer = Assert.Single(model.Layers);

        // V against ONNX's expectation: the same comparison as verify, with ONNX's output in ONNX Runtime's place.
        var v = OnnxVerification.Compare(new LayerActivation(layer, x, expected));
        Assert.True(v.ShapeProblem is null, v.ShapeProblem);
        Assert.Equal(0, v.MaxAbsError);

        var ort = Assert.Single(OnnxRuntimeProbe.Run(model, [x]));
        Assert.Equal(expected.Shape, ort.Output.Shape);
        Assert.Equal(expected.Data, ort.Output.Data);
        output.WriteLine($"{name}: {layer.Op} {v.Geometry}");
    }
}
