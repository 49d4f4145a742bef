using ConvAsMatrix.Proofs;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ConvAsMatrix.Tests.Proofs;

/// <summary>Random polynomials in a, b, c of degree ≤ 2 with small integer coefficients.</summary>
public static class Polynomials
{
    private static readonly Gen<Symbolic> Term =
        from coefficient in Gen.Choose(-4, 4)
        from first in Gen.Elements("", "a", "b", "c")
        from second in Gen.Elements("", "a", "b")
        select Symbolic.Constant(coefficient) * Factor(first) * Factor(second);

    private static Symbolic Factor(string name) => name.Length == 0 ? Symbolic.MultiplicativeIdentity : Symbolic.Variable(name);

    public static Arbitrary<Symbolic> Polynomial() =>
        Gen.ArrayOf(Term).Select(terms => terms.Aggregate(Symbolic.AdditiveIdentity, (s, t) => s + t)).ToArbitrary();
}

/// <summary>The property settings of these tests: 300 cases each, polynomials from <see cref="Polynomials"/>.</summary>
public sealed class PolynomialPropertyAttribute : PropertyAttribute
{
    public PolynomialPropertyAttribute()
    {
        MaxTest = 300;
        Arbitrary = [typeof(Polynomials)];
    }
}

/// <summary>The symbolic element type is an exact commutative ring with canonical form, so V&lt;Symbolic&gt; comparisons mean what they say.</summary>
public class SymbolicTests
{
    [PolynomialProperty]
    public bool AdditionIsCommutativeAndAssociative(Symbolic p, Symbolic q, Symbolic r) =>
        p + q == q + p && (p + q) + r == p + (q + r);

    [PolynomialProperty]
    public bool MultiplicationIsCommutativeAssociativeAndDistributes(Symbolic p, Symbolic q, Symbolic r) =>
        p * q == q * p && (p * q) * r == p * (q * r) && p * (q + r) == p * q + p * r;

    [PolynomialProperty]
    public bool IdentitiesAndInverses(Symbolic p) =>
        p + Symbolic.AdditiveIdentity == p && p * Symbolic.MultiplicativeIdentity == p
        && (p - p).IsZero && (p * Symbolic.AdditiveIdentity).IsZero && -(-p) == p;

    [PolynomialProperty]
    public bool EvaluationIsARingHomomorphism(Symbolic p, Symbolic q, int a, int b, int c)
    {
        var values = new Dictionary<string, long> { ["a"] = a % 7, ["b"] = b % 7, ["c"] = c % 7 };
        long Eval(Symbolic s) => s.Evaluate(n => values[n]);
        return Eval(p + q) == Eval(p) + Eval(q) && Eval(p * q) == Eval(p) * Eval(q) && Eval(p - q) == Eval(p) - Eval(q);
    }

    [PolynomialProperty]
    public bool EqualPolynomialsHaveEqualHashesAndText(Symbolic p, Symbolic q)
    {
        var left = (p + q) * (p - q);
        var right = p * p - q * q;
        return left == right && left.GetHashCode() == right.GetHashCode() && left.ToString() == right.ToString();
    }

    [Fact]
    public void PrintsLikeATextbook()
    {
        var k = Symbolic.Kernel("k", 2);
        Assert.Equal(["k₀", "k₁"], k.Select(s => s.ToString()));
        Assert.Equal("k₀ + k₁", (k[1] + k[0]).ToString());
        Assert.Equal("k₀² + 2·k₀·k₁ + k₁²", ((k[0] + k[1]) * (k[0] + k[1])).ToString());
        Assert.Equal("-k₀ + 3", (Symbolic.Constant(3) - k[0]).ToString());
        Assert.Equal("0", (k[0] - k[0]).ToString());
        Assert.Equal("0", default(Symbolic).ToString());
        Assert.Equal(["k₀₀", "k₀₁", "k₁₀", "k₁₁"], Symbolic.Kernel("k", 2, 2).Select(s => s.ToString()));
        Assert.Equal(["a₀", "a₁", "b₀", "b₁"], Symbolic.Kernels(2, 2).Select(s => s.ToString()));
        Assert.Equal("₁₂", Symbolic.Subscript(12));
    }

    [Fact]
    public void ZeroIsTheDefaultAndConstantsCompareByValue()
    {
        Assert.True(default(Symbolic).IsZero);
        Assert.Equal(Symbolic.AdditiveIdentity, Symbolic.Constant(0));
        Assert.Equal(Symbolic.Constant(6), (Symbolic)2 * 3);
        Assert.NotEqual(Symbolic.Variable("a"), Symbolic.Variable("b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a·b")]
    public void RefusesNamesThatWouldBreakTheCanonicalForm(string name) =>
        Assert.Throws<ArgumentException>(() => Symbolic.Variable(name));
}
