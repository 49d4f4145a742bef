using ConvAsMatrix.Onnx;
using ConvAsMatrix.Tests.Properties;
using Google.Protobuf;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// The invalid-input property for the ONNX reader: any corruption of a valid model's bytes (overwritten bytes,
/// truncation, appended garbage) is read as a model or refused with FileFormatException, nothing else; for a float
/// model and for the quantized QDQ network (DequantizeLinear, QuantizeLinear, integer initializers).
/// </summary>
public class OnnxReaderProperties
{
    private static readonly byte[] Valid = OnnxModelReadTests.OneLayer(new ConvSpec("ConvTranspose", [1, 2, 3, 3], [2, 2, 2, 2], Pads: [0, 1, 1, 0], Strides: [2, 2], OutputPadding: [1, 0])).ToByteArray();

    private static readonly byte[] Quantized = QdqNetwork.Build().ToByteArray();

    [ConvProperty]
    public void CorruptedModelsAreReadOrRefusedWithFileFormatException(int position, byte value, int count, int cut, bool truncate, bool quantized)
    {
        var bytes = (byte[])(quantized ? Quantized : Valid).Clone();
        int start = (int)((uint)position % bytes.Length);
        for (int i = 0; i < 1 + (uint)count % 4 && start + i < bytes.Length; i++) bytes[start + i] = (byte)(value + 37 * i);
        if (truncate) bytes = bytes[..(int)((uint)cut % bytes.Length)];
        var e = Record.Exception(() => OnnxModel.Read(bytes, Path.GetTempPath()));
        if (e is not null) Assert.IsType<FileFormatException>(e);
    }

    [Fact]
    public void EveryPrefixIsReadOrRefusedWithFileFormatException()
    {
        foreach (var valid in new[] { Valid, Quantized })
            for (int n = 0; n < valid.Length; n++)
            {
                var e = Record.Exception(() => OnnxModel.Read(valid.AsSpan(0, n), null));
                if (e is not null) Assert.IsType<FileFormatException>(e);
            }
    }
}
