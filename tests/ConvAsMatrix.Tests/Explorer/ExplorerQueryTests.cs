namespace ConvAsMatrix.Tests.Explorer;

/// <summary>The explorer's address: convmat's values read and written, the library's geometry made from them, bad values refused by name.</summary>
public class ExplorerQueryTests
{
    [Fact]
    public void TheDefaultIsTheConvolutionOfAFourByFourInputWithAThreeByThreeKernel()
    {
        var q = ExplorerQuery.Parse("");
        Assert.Equal("op=conv&input=4,4&kernel=3,3", q.ToQuery());
        Assert.Equal(ConvGeometry.ForConv([1, 1, 4, 4], [1, 1, 3, 3]), q.Geometry());
        Assert.Equal(["op", "input", "kernel", "stride", "padding", "dilation", "groups", "cin", "cout", "mode", "output_padding"],
            q.Parameters().Select(p => p.Key));
    }

    [Theory]
    [InlineData("op=tconv&input=3,3&kernel=2,2&stride=2&padding=1&output_padding=1")]
    [InlineData("op=conv&input=4,5&kernel=3,3&stride=2,1&padding=1:2,2:1&dilation=1,2&groups=2&cin=2&cout=4&mode=reflect")]
    [InlineData("op=conv&input=7&kernel=3&padding=same&mode=circular")]
    [InlineData("op=tconv&input=5&kernel=3&padding=valid")]
    public void AQueryReadsBackAsItself(string query)
    {
        Assert.Equal(query, ExplorerQuery.Parse(query).ToQuery());
        Assert.Equal(query, ExplorerQuery.Parse("?" + query).ToQuery());
    }

    [Fact]
    public void ParametersAtTheirDefaultsAreLeftOutAndOrderIsCanonical()
    {
        var q = ExplorerQuery.Parse("mode=zeros&kernel=2&stride=1&input=5&op=conv&groups=1&padding=0:0");
        Assert.Equal("op=conv&input=5&kernel=2", q.ToQuery());
    }

    [Fact]
    public void TheGeometryIsTheLibrarysForBothOperations()
    {
        var tconv = ExplorerQuery.Parse("op=tconv&input=3,3&kernel=2,2&stride=2&padding=1&output_padding=1&cin=2&cout=4&groups=2");
        Assert.Equal(ConvGeometry.ForConvTranspose([1, 2, 3, 3], [2, 2, 2, 2],
            new ConvTransposeOptions { Stride = [2], Padding = 1, OutputPadding = [1], Groups = 2 }), tconv.Geometry());
        var conv = ExplorerQuery.Parse("op=conv&input=4,5&kernel=3,3&padding=1:2,2:1&mode=replicate&cin=2&cout=3");
        Assert.Equal(ConvGeometry.ForConv([1, 2, 4, 5], [3, 2, 3, 3],
            new ConvOptions { Padding = Padding.Asymmetric((1, 2), (2, 1)), PaddingMode = PaddingMode.Replicate }), conv.Geometry());
    }

    [Theory]
    [InlineData("op=deconv", "op 'deconv' is not conv or tconv")]
    [InlineData("input=0,3", "input '0,3' must be an integer >= 1 or a comma list of them")]
    [InlineData("output_padding=-1", "output_padding '-1' must be an integer >= 0 or a comma list of them")]
    [InlineData("groups=0", "groups '0' must be an integer >= 1")]
    [InlineData("mode=2", "mode '2' is not one of zeros, reflect, replicate, circular")]
    [InlineData("padding=1:x", "padding '1:x' is not 'same', 'valid', P, P1,P2,... or B1:A1,B2:A2,... with non-negative integers")]
    public void ABadValueIsRefusedWithItsParameterAndValue(string query, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ExplorerQuery.Parse(query));
        Assert.StartsWith(message, e.Message);
    }

    [Theory]
    [InlineData("op=conv&cin=3&cout=2&groups=2", "in_channels=3 must be divisible by groups=2")]
    [InlineData("op=tconv&cin=2&cout=3&groups=2", "out_channels=3 must be divisible by groups=2")]
    [InlineData("op=conv&output_padding=1", "output_padding (1) is a parameter of conv_transpose, not of conv")]
    public void SettingsNoWeightShapeExpressesAreRefused(string query, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => ExplorerQuery.Parse(query).Geometry());
        Assert.StartsWith(message, e.Message);
    }
}
