using ConvAsMatrix.Onnx;

namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// The ONNX model reader, <see cref="OnnxModel.Read(ReadOnlySpan{byte}, string?)"/>: protobuf, initializers,
/// attributes and external-data paths (looked up in a directory holding one 256-byte data.bin). Bad bytes give a
/// <see cref="FileFormatException"/> and nothing else; for every layer whose declared input shape is complete, its
/// geometry is built too, which may refuse the attributes with an <see cref="ArgumentException"/>.
/// </summary>
public static class OnnxTarget
{
    /// <summary>Where external data is looked up: a fresh directory with data.bin (256 bytes: 0, 1, 2, ...).</summary>
    private static readonly Lazy<string> DataDirectory = new(() =>
    {
        var dir = Directory.CreateTempSubdirectory("convmat-fuzz-onnx-").FullName;
        File.WriteAllBytes(Path.Combine(dir, "data.bin"), Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
        return dir;
    });

    /// <summary>
    /// What one conv layer may cost beyond its bytes: its attributes, names and layer object, and the geometry the
    /// target builds (measured: about 2.3 KB read plus 1.1 KB geometry per node of a 2000-node model whose nodes are
    /// 22 bytes each). Never its weight: layers reading one initializer share its values (ConstantValues).
    /// </summary>
    private const long PerLayer = 8 << 10;

    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("onnx", Parse, [typeof(FileFormatException), typeof(ArgumentException)],
        // Protobuf objects, their strings and the weights converted to double (8 bytes for each 4-byte float, external
        // data at most the 256-byte data.bin): a few tens of times the input, plus the fixed cost of the parser, plus
        // a fixed allowance per layer read.
        (input, result) => (1 << 20) + 64L * input.Length + PerLayer * ((result as OnnxModel)?.Layers.Count ?? 0));

    private static OnnxModel Parse(byte[] input)
    {
        OnnxModel model;
        try
        {
            model = OnnxModel.Read(input, DataDirectory.Value);
        }
        catch (ArgumentException e)
        {
            throw new FuzzPropertyException($"onnx: the reader threw {e.GetType().Name} ({e.Message}); it documents FileFormatException only");
        }
        foreach (var layer in model.Layers)
            if (layer.DeclaredInputShape is { } shape && shape.All(d => d > 0))
                layer.Geometry(shape.ToArray());
        return model;
    }
}
