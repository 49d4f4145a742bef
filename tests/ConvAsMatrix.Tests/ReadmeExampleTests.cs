using Consumer;

namespace ConvAsMatrix.Tests;

/// <summary>
/// The README's usage example (tests/Consumer/ReadmeExample.cs, which the package consumer runs too) against the project's
/// source, and every README's C# example equal to the consumer file it is run from, so that none can drift from the API.
/// </summary>
public class ReadmeExampleTests
{
    [Fact]
    public void StridedTwoDimensionalExample()
    {
        var (V, same, y, yt, z, zt) = ReadmeExample.Run();

        Assert.Equal((27, 50, 294), (V.RowCount, V.ColumnCount, V.NonZerosCount));
        Assert.True(same);
        Assert.Equal(y, yt.Data);
        Assert.Equal(z, zt.Data);
        Assert.Equal(new[] { 1, 2, 5, 5 }, zt.Shape);
        Assert.Same(V.RowPointers, V.Transpose().ColumnPointers);
    }

    [Fact]
    public void OnnxPackageExampleVerifiesAModel()
    {
        var layers = OnnxExample.Run(Onnx.OnnxFixtures.Path("reference/test_conv_with_strides_and_asymmetric_padding.onnx"),
            Onnx.OnnxFixtures.Path("reference/test_conv_with_strides_and_asymmetric_padding.x.npy"));
        Assert.NotEmpty(layers);
        Assert.All(layers, l => Assert.True(l.Agrees, $"{l.Layer.Name}: {l.MaxRelError}"));
    }

    [Fact]
    public void SuiteSparsePackageExampleRestoresTheImage() => Assert.InRange(SuiteSparseExample.Run(), 0, 1e-10);

    [Theory]
    [InlineData("README.md", "ReadmeExample.cs")]
    [InlineData("src/ConvAsMatrix/README.md", "ReadmeExample.cs")]
    [InlineData("src/ConvAsMatrix.Onnx/README.md", "OnnxExample.cs")]
    [InlineData("src/ConvAsMatrix.SuiteSparse/README.md", "SuiteSparseExample.cs")]
    public void ReadmeShowsTheConsumersCode(string readme, string example)
    {
        string root = Repository.Root();
        var shown = CodeBlock(File.ReadAllLines(Path.Combine(root, readme)));
        var run = Region(File.ReadAllLines(Path.Combine(root, "tests", "Consumer", example)));
        Assert.Equal(string.Join('\n', run), string.Join('\n', shown));
    }

    /// <summary>The first ```csharp block, without its using directives and the blank line after them.</summary>
    private static IEnumerable<string> CodeBlock(string[] lines) =>
        lines.SkipWhile(l => l != "```csharp").Skip(1).TakeWhile(l => l != "```")
            .SkipWhile(l => l.StartsWith("using ", StringComparison.Ordinal) || l.Length == 0);

    /// <summary>The lines between the README markers, less the indentation of the first.</summary>
    private static IEnumerable<string> Region(string[] lines)
    {
        var region = lines.SkipWhile(l => !l.Contains("--- README example begins ---", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.Contains("--- README example ends ---", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(region);
        int indent = region[0].Length - region[0].TrimStart().Length;
        return region.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart());
    }
}
