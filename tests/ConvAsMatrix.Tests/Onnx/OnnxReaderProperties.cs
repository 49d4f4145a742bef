using ConvAsMatrix.Onnx;
using ConvAsMatrix.Tests.Properties;
using Google.Protobuf;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// The invalid-input property for the ONNX reader: any corruption of a valid model's bytes (overwritten bytes,
/// truncation, appended garbage) is read as a model or refused with FileFormatException, nothing else.
/// </summary>
public class OnnxReaderProperties
{
    private static readonly byte[] Valid = OnnxModelReadTests.OneLayer(new ConvSpec("ConvTranspose", [1, 2, 3, 3], [2, 2, 2, 2], Pads: [0, 1, 1, 0], Strides: [2, 2], OutputPadding: [1, 0])).ToByteArray();

    [ConvProperty]
    public void CorruptedModelsAreReadOrRefusedWithFileFormatException(int position, byte value, int count, int cut, bool truncate)
    {
        var bytes = (byte[])Valid.Clone();
        int start = (int)((uint)position % bytes.Length);
        for (int i = 0; i < 1 + (uint)count % 4 && start + i < bytes.Length; i++) bytes[start + i] = (byte)(value + 37 * i);
        if (truncate) bytes = bytes[..(int)((uint)cut % bytes.Length)];
        var e = Record.Exception(() => OnnxModel.Read(bytes, Path.GetTempPath()));
        if (e is not null) Assert.IsType<FileFormatException>(e);
    }

    [Fact]
    public void EveryPrefixIsReadOrRefusedWithFileFormatException()
    {
        for (int n = 0; n < Valid.Length; n++)
        {
            var e = Record.Exception(() => OnnxModel.Read(Valid.AsSpan(0, n), null));
            if (e is not null) Assert.IsType<FileFormatException>(e);
        }
    }
}
