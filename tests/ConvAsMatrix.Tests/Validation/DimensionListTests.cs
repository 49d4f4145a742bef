namespace ConvAsMatrix.Tests.Validation;

/// <summary>The per-dimension value grammar the CLI and the explorer share: what it reads, and the one message for the rest.</summary>
public class DimensionListTests
{
    [Theory]
    [InlineData("2", 1, new[] { 2 })]
    [InlineData("2,1", 1, new[] { 2, 1 })]
    [InlineData(" 3 , 4 ,5", 1, new[] { 3, 4, 5 })]
    [InlineData("0,0", 0, new[] { 0, 0 })]
    [InlineData("+7", 1, new[] { 7 })]
    public void ReadsOneValueOrOnePerDimension(string text, int minimum, int[] expected) =>
        Assert.Equal(expected, DimensionList.Parse(text, "stride", minimum));

    [Theory]
    [InlineData("", 1)]
    [InlineData("0", 1)]
    [InlineData("-1", 0)]
    [InlineData("2,", 1)]
    [InlineData("2;1", 1)]
    [InlineData("1.5", 1)]
    [InlineData("99999999999", 1)]
    public void RefusesTheRestNamingTheValue(string text, int minimum)
    {
        var e = Assert.Throws<ArgumentException>(() => DimensionList.Parse(text, "--dilation", minimum));
        Assert.StartsWith($"--dilation '{text}' must be an integer >= {minimum} or a comma list of them", e.Message);
        Assert.Equal("text", e.ParamName);
    }

    [Fact]
    public void TheCliAndTheExplorerSayTheSame()
    {
        using var cli = new ConvAsMatrix.Tests.Cli.CliHarness();
        var (code, _, stderr) = cli.Run("conv", "--input", cli.PathOf("x.npy"), "--weight", cli.PathOf("w.npy"), "--stride", "0", "--out", cli.PathOf("y.npy"));
        Assert.Equal(2, code);
        Assert.Contains("--stride '0' must be an integer >= 1 or a comma list of them", stderr);
        var e = Assert.Throws<ArgumentException>(() => ConvAsMatrix.Figures.ExplorerQuery.Parse("?stride=0"));
        Assert.StartsWith("stride '0' must be an integer >= 1 or a comma list of them", e.Message);
    }
}
