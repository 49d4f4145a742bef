namespace ConvAsMatrix.Tests.Onnx;

/// <summary>tests/onnx-fixtures, found from the test binaries upwards (CI never regenerates it).</summary>
public static class OnnxFixtures
{
    public static string Directory { get; } = System.IO.Path.Combine(Repository.Root(), "tests", "onnx-fixtures");

    public static string Path(string relative) => System.IO.Path.Combine(Directory, relative);
}
