namespace ConvAsMatrix.Onnx;

/// <summary>The one way the ONNX reader reports a bad model: a <see cref="FileFormatException"/> naming the source.</summary>
internal static class OnnxFormat
{
    public const string Name = "ONNX";

    public static FileFormatException Error(string source, string problem) => new(Name, source, problem);
}
