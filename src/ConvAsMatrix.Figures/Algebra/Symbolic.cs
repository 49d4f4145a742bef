using System.Numerics;
using System.Text;

namespace ConvAsMatrix.Figures;

/// <summary>
/// An exact polynomial in named symbols with integer coefficients, e.g. <c>k₀₀ + 2·k₀₁</c> or <c>k₀² + k₁²</c>:
/// the element type that lets the library compile V with kernel entries as letters, the way a textbook draws it.
/// </summary>
/// <remarks>
/// The library asks an element type only for +, × and zero (<see cref="IAdditiveIdentity{TSelf, TResult}"/>), so
/// <c>ConvolutionMatrix&lt;Symbolic&gt;.Compile</c> works unchanged: where padding folds several taps onto one input
/// element it adds them, and the result reads <c>k₀ + k₁</c>. <c>default(Symbolic)</c> is zero, so fresh arrays are zero.
/// Terms are kept sorted by monomial with no zero coefficients, which makes equality structural and exact.
/// </remarks>
public readonly struct Symbolic :
    IAdditionOperators<Symbolic, Symbolic, Symbolic>,
    ISubtractionOperators<Symbolic, Symbolic, Symbolic>,
    IMultiplyOperators<Symbolic, Symbolic, Symbolic>,
    IUnaryNegationOperators<Symbolic, Symbolic>,
    IAdditiveIdentity<Symbolic, Symbolic>,
    IMultiplicativeIdentity<Symbolic, Symbolic>,
    IEquatable<Symbolic>
{
    /// <summary>Separates the factors of a monomial's key; a symbol's name may not contain it.</summary>
    private const char Times = '·';

    /// <summary>(monomial, coefficient) sorted by monomial (ordinal); a monomial is its factors sorted and joined by ·, "" the constant.</summary>
    private readonly (string Monomial, long Coefficient)[]? terms;

    private Symbolic((string, long)[] terms) => this.terms = terms;

    private (string Monomial, long Coefficient)[] Terms => terms ?? [];

    /// <summary>The symbol <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or contains '·'.</exception>
    public static Symbolic Variable(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains(Times))
            throw new ArgumentException($"a symbol needs a non-empty name without '{Times}', got '{name}'", nameof(name));
        return new Symbolic([(name, 1L)]);
    }

    /// <summary>The integer constant <paramref name="value"/>.</summary>
    public static Symbolic Constant(long value) => value == 0 ? default : new Symbolic([("", value)]);

    /// <summary>An integer is a constant polynomial.</summary>
    public static implicit operator Symbolic(long value) => Constant(value);

    /// <summary>Zero.</summary>
    public static Symbolic AdditiveIdentity => default;

    /// <summary>One.</summary>
    public static Symbolic MultiplicativeIdentity => Constant(1);

    /// <summary>Whether this is the zero polynomial.</summary>
    public bool IsZero => Terms.Length == 0;

    /// <summary>A kernel of symbols named <paramref name="letter"/> with the subscripts of each index, row-major: ("k", 2, 2) → k₀₀ k₀₁ k₁₀ k₁₁.</summary>
    public static Symbolic[] Kernel(string letter, params int[] shape)
    {
        int n = shape.Aggregate(1, (a, b) => a * b);
        var result = new Symbolic[n];
        var index = new int[shape.Length];
        for (int flat = 0; flat < n; flat++)
        {
            int rest = flat;
            for (int d = shape.Length - 1; d >= 0; d--) { index[d] = rest % shape[d]; rest /= shape[d]; }
            result[flat] = Variable(letter + Subscript(index));
        }
        return result;
    }

    /// <summary>
    /// <paramref name="count"/> kernels one after another, each named by its own letter a, b, c, …: the weight of a
    /// multi-channel convolution, (C_out, C_in / groups, *k) row-major, with one letter per channel pair.
    /// </summary>
    public static Symbolic[] Kernels(int count, params int[] shape) =>
        Enumerable.Range(0, count).SelectMany(i => Kernel(((char)('a' + i)).ToString(), shape)).ToArray();

    /// <summary>Digits as Unicode subscripts: (0, 1) → ₀₁.</summary>
    public static string Subscript(params int[] digits) =>
        string.Concat(digits.Select(d => string.Concat(d.ToString().Select(c => (char)('₀' + (c - '0'))))));

    /// <summary>The distinct symbols the polynomial mentions, in ordinal order: for an entry of V, the kernel taps that fold onto it.</summary>
    public IReadOnlyList<string> Symbols =>
        IsZero ? [] : IsSymbol(out var name) ? [name] : Terms.SelectMany(t => t.Monomial.Length == 0 ? [] : t.Monomial.Split(Times)).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The integer value when every symbol is replaced by <paramref name="valueOf"/> of its name.</summary>
    public long Evaluate(Func<string, long> valueOf)
    {
        ArgumentNullException.ThrowIfNull(valueOf);
        long sum = 0;
        foreach (var (monomial, coefficient) in Terms)
        {
            long product = coefficient;
            if (monomial.Length > 0)
                foreach (var factor in monomial.Split(Times)) product *= valueOf(factor);
            sum += product;
        }
        return sum;
    }

    /// <inheritdoc/>
    public static Symbolic operator +(Symbolic a, Symbolic b) => Combine(a.Terms.Concat(b.Terms));

    /// <inheritdoc/>
    public static Symbolic operator -(Symbolic a, Symbolic b) => a + -b;

    /// <inheritdoc/>
    public static Symbolic operator -(Symbolic a) => new(a.Terms.Select(t => (t.Monomial, -t.Coefficient)).ToArray());

    /// <inheritdoc/>
    public static Symbolic operator *(Symbolic a, Symbolic b) =>
        Combine(from x in a.Terms from y in b.Terms select (Product(x.Monomial, y.Monomial), x.Coefficient * y.Coefficient));

    /// <summary>Sums the coefficients of equal monomials, drops zeros, sorts: the canonical form equality relies on.</summary>
    private static Symbolic Combine(IEnumerable<(string Monomial, long Coefficient)> parts)
    {
        var sum = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (m, c) in parts) sum[m] = sum.GetValueOrDefault(m) + c;
        return new Symbolic(sum.Where(t => t.Value != 0).Select(t => (t.Key, t.Value)).ToArray());
    }

    private static string Product(string a, string b)
    {
        if (a.Length == 0) return b;
        if (b.Length == 0) return a;
        var factors = a.Split(Times).Concat(b.Split(Times)).ToArray();
        Array.Sort(factors, StringComparer.Ordinal);
        return string.Join(Times, factors);
    }

    /// <inheritdoc/>
    public bool Equals(Symbolic other) => Terms.AsSpan().SequenceEqual(other.Terms);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Symbolic s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var t in Terms) h.Add(t);
        return h.ToHashCode();
    }

    /// <summary>Equality of polynomials.</summary>
    public static bool operator ==(Symbolic a, Symbolic b) => a.Equals(b);

    /// <summary>Inequality of polynomials.</summary>
    public static bool operator !=(Symbolic a, Symbolic b) => !a.Equals(b);

    /// <summary>Lower degree first, the constant last: <c>k₀ + k₁</c>, <c>2·k₀·k₁</c>, <c>k₀² - 1</c>.</summary>
    public override string ToString()
    {
        if (IsZero) return "0";
        if (IsSymbol(out var name)) return name;
        var ordered = Terms.OrderBy(t => t.Monomial.Length == 0).ThenBy(t => Degree(t.Monomial)).ThenBy(t => t.Monomial, StringComparer.Ordinal);
        var sb = new StringBuilder();
        foreach (var (monomial, coefficient) in ordered)
        {
            long magnitude = Math.Abs(coefficient);
            sb.Append(sb.Length == 0 ? (coefficient < 0 ? "-" : "") : (coefficient < 0 ? " - " : " + "));
            if (monomial.Length == 0) sb.Append(magnitude);
            else sb.Append(magnitude == 1 ? "" : magnitude + "·").Append(Powers(monomial));
        }
        return sb.ToString();
    }

    /// <summary>
    /// Whether this is one symbol with coefficient 1, as almost every entry of V is: <see cref="ToString"/> and
    /// <see cref="Symbols"/> answer it without sorting and splitting (the explorer draws thousands of them in the browser's interpreter).
    /// </summary>
    private bool IsSymbol(out string name)
    {
        var t = Terms;
        bool single = t.Length == 1 && t[0].Coefficient == 1 && t[0].Monomial.Length > 0 && !t[0].Monomial.Contains(Times);
        name = single ? t[0].Monomial : "";
        return single;
    }

    private static int Degree(string monomial) => monomial.Split(Times).Length;

    /// <summary>k₀·k₀·k₁ → k₀²·k₁.</summary>
    private static string Powers(string monomial) =>
        string.Join(Times, monomial.Split(Times).GroupBy(f => f).Select(g => g.Count() == 1 ? g.Key : g.Key + Superscript(g.Count())));

    private static string Superscript(int n) => string.Concat(n.ToString().Select(c => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c - '0']));
}
