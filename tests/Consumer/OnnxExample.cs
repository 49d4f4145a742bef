using ConvAsMatrix;
using ConvAsMatrix.Onnx;

namespace Consumer;

/// <summary>The example of the ConvAsMatrix.Onnx package's README, between the markers, verbatim.</summary>
public static class OnnxExample
{
    /// <summary>Runs the model in ONNX Runtime on the input and compares every Conv/ConvTranspose layer with V.</summary>
    public static List<LayerComparison> Run(string modelPath, string inputPath)
    {
        // --- README example begins ---
        var model = OnnxModel.ReadFile(modelPath);
        var input = Npy.ReadFile(inputPath).ToSingle();           // the model's input, (N, C, *spatial)
        var layers = OnnxRuntimeProbe.Run(model, [input])         // each conv layer's input and output in ONNX Runtime
            .Select(OnnxVerification.Compare).ToList();           // each output against V·input (+ bias)
        foreach (var r in layers)
            Console.WriteLine($"{r.Layer.Name}: {(r.Agrees ? "agrees" : "differs")}, max relative error {r.MaxRelError:g3}");
        // --- README example ends ---
        return layers;
    }
}
