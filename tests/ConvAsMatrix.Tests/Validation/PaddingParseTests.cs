using FsCheck;
using FsCheck.Fluent;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Validation;

/// <summary>The command-line padding grammar: ToString and Parse are inverse, and any other text is an ArgumentException.</summary>
public class PaddingParseTests
{
    public static class Arbitraries
    {
        public static Arbitrary<Padding> Paddings() => Arb.From(Gen.OneOf(
            Gen.Elements(Padding.Same, Padding.Valid, Padding.Zero),
            from n in Gen.Choose(1, 3) from a in Gen.ArrayOf(Gen.Choose(0, 9), n) select Padding.Symmetric(a),
            from n in Gen.Choose(1, 3) from b in Gen.ArrayOf(Gen.Choose(0, 9), n) from a in Gen.ArrayOf(Gen.Choose(0, 9), n)
            select Padding.Asymmetric(b.Zip(a).ToArray())));

        /// <summary>Text near the grammar: its characters, and the odd sign or letter.</summary>
        public static Arbitrary<string> Texts() => Arb.From(
            from n in Gen.Choose(0, 8)
            from chars in Gen.ArrayOf(Gen.Elements("0123456789,,::  -+xsamevlid".ToCharArray()), n)
            select new string(chars));
    }

    public sealed class PaddingPropertyAttribute : FsCheck.Xunit.PropertyAttribute
    {
        public PaddingPropertyAttribute()
        {
            MaxTest = ConvPropertyAttribute.Cases;
            Arbitrary = [typeof(Arbitraries)];
            QuietOnSuccess = true;
        }
    }

    [PaddingProperty]
    public void ParseReadsBackToString(Padding padding) => Assert.Equal(padding, Padding.Parse(padding.ToString()));

    [PaddingProperty]
    public void ParseAcceptsOrThrowsArgumentExceptionQuotingTheText(string text)
    {
        var ex = Record.Exception(() => Padding.Parse(text));
        if (ex is null) return;
        var argument = Assert.IsAssignableFrom<ArgumentException>(ex);
        Assert.Equal("padding", argument.ParamName);
        Assert.Contains($"'{text}'", argument.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("1:2:3")]
    [InlineData("1,,2")]
    [InlineData("same,1")]
    [InlineData("99999999999")]
    public void MalformedPaddingIsAnArgumentException(string text) =>
        Assert.ThrowsAny<ArgumentException>(() => Padding.Parse(text));
}
