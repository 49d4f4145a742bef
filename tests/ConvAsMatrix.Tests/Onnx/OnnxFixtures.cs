namespace ConvAsMatrix.Tests.Onnx;

/// <summary>tests/onnx-fixtures, found from the test binaries upwards (CI never regenerates it).</summary>
public static class OnnxFixtures
{
    public static string Directory { get; } = Find();

    public static string Path(string relative) => System.IO.Path.Combine(Directory, relative);

    private static string Find()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var candidate = System.IO.Path.Combine(d.FullName, "tests", "onnx-fixtures");
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "reference"))) return candidate;
        }
        throw new DirectoryNotFoundException("tests/onnx-fixtures/reference not found above " + AppContext.BaseDirectory);
    }
}
