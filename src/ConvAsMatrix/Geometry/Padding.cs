using System.Globalization;

namespace ConvAsMatrix;

/// <summary>What kind of padding a <see cref="Padding"/> describes.</summary>
public enum PaddingKind
{
    /// <summary>Given amounts before and after each spatial dimension.</summary>
    Explicit,
    /// <summary>PyTorch's <c>padding='same'</c>: total d·(k−1) per dimension, before = total/2 (rounded down), after = the rest. Stride must be 1.</summary>
    Same,
    /// <summary>PyTorch's <c>padding='valid'</c>: no padding.</summary>
    Valid,
}

/// <summary>
/// The padding of a convolution: symmetric (PyTorch's int or tuple), asymmetric before/after pairs per
/// dimension (ONNX's <c>pads</c>), or PyTorch's <c>'same'</c> / <c>'valid'</c>.
/// </summary>
/// <remarks>
/// A single value applies to every spatial dimension, as in PyTorch. <see cref="Parse"/> reads the
/// command-line grammar: <c>same</c>, <c>valid</c>, <c>2</c>, <c>1,2</c> or <c>1:2,0:1</c> (before:after per dimension).
/// </remarks>
public sealed class Padding : IEquatable<Padding>
{
    private readonly int[] before;
    private readonly int[] after;

    private Padding(PaddingKind kind, int[] before, int[] after)
    {
        Kind = kind;
        this.before = before;
        this.after = after;
    }

    /// <summary>The kind of padding.</summary>
    public PaddingKind Kind { get; }

    /// <summary>Amounts before each dimension (one value means every dimension); empty unless <see cref="Kind"/> is <see cref="PaddingKind.Explicit"/>.</summary>
    public IReadOnlyList<int> Before => before;

    /// <summary>Amounts after each dimension (one value means every dimension); empty unless <see cref="Kind"/> is <see cref="PaddingKind.Explicit"/>.</summary>
    public IReadOnlyList<int> After => after;

    /// <summary>No padding (PyTorch's default, and <c>padding=0</c>).</summary>
    public static Padding Zero { get; } = new(PaddingKind.Explicit, [0], [0]);

    /// <summary>PyTorch's <c>padding='valid'</c>: no padding.</summary>
    public static Padding Valid { get; } = new(PaddingKind.Valid, [], []);

    /// <summary>PyTorch's <c>padding='same'</c>: the output has the input's size (stride 1 only).</summary>
    public static Padding Same { get; } = new(PaddingKind.Same, [], []);

    /// <summary>The same amount before and after: one value for every dimension, or one per dimension.</summary>
    /// <param name="amounts">Non-negative amounts; one, or one per spatial dimension.</param>
    /// <exception cref="ArgumentException">No amount given, or a negative one.</exception>
    public static Padding Symmetric(params int[] amounts)
    {
        ArgumentNullException.ThrowIfNull(amounts);
        Check.NotEmpty(amounts, nameof(amounts));
        Check.AllAtLeast(amounts, 0, "padding");
        return new(PaddingKind.Explicit, (int[])amounts.Clone(), (int[])amounts.Clone());
    }

    /// <summary>Different amounts before and after: one pair for every dimension, or one pair per dimension.</summary>
    /// <param name="pairs">Non-negative (before, after) pairs.</param>
    /// <exception cref="ArgumentException">No pair given, or a negative amount.</exception>
    public static Padding Asymmetric(params (int Before, int After)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        Check.NotEmpty(pairs, nameof(pairs));
        var b = pairs.Select(p => p.Before).ToArray();
        var a = pairs.Select(p => p.After).ToArray();
        Check.AllAtLeast(b, 0, "padding (before)");
        Check.AllAtLeast(a, 0, "padding (after)");
        return new(PaddingKind.Explicit, b, a);
    }

    /// <summary>Symmetric padding of <paramref name="amount"/> in every dimension.</summary>
    public static implicit operator Padding(int amount) => Symmetric(amount);

    /// <summary>
    /// Reads <c>same</c>, <c>valid</c>, <c>P</c>, <c>P1,P2,…</c> or <c>B1:A1,B2:A2,…</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The text is none of these forms (the message quotes it).</exception>
    public static Padding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var t = text.Trim();
        if (t.Equals("same", StringComparison.OrdinalIgnoreCase)) return Same;
        if (t.Equals("valid", StringComparison.OrdinalIgnoreCase)) return Valid;
        var parts = t.Split(',');
        if (parts.Any(p => p.Contains(':')))
        {
            var pairs = new (int, int)[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                var ba = parts[i].Split(':');
                if (ba.Length != 2 || !TryParseCount(ba[0], out var b) || !TryParseCount(ba[1], out var a))
                    throw new ArgumentException($"padding '{text}' is not 'same', 'valid', P, P1,P2,... or B1:A1,B2:A2,... with non-negative integers", "padding");
                pairs[i] = (b, a);
            }
            return Asymmetric(pairs);
        }
        var amounts = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!TryParseCount(parts[i], out amounts[i]))
                throw new ArgumentException($"padding '{text}' is not 'same', 'valid', P, P1,P2,... or B1:A1,B2:A2,... with non-negative integers", "padding");
        return Symmetric(amounts);
    }

    private static bool TryParseCount(string s, out int value) =>
        int.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Explicit padding of zero everywhere: the default, which ONNX's auto_pad and output_shape may replace.</summary>
    internal bool IsZero => Kind == PaddingKind.Explicit && before.All(b => b == 0) && after.All(a => a == 0);

    /// <summary>The before and after amounts for each of <paramref name="rank"/> dimensions.</summary>
    /// <exception cref="ArgumentException">The number of amounts is neither 1 nor <paramref name="rank"/>, or 'same' with a stride other than 1.</exception>
    internal (int[] Before, int[] After) Resolve(int rank, int[] kernel, int[] dilation, int[] stride)
    {
        switch (Kind)
        {
            case PaddingKind.Valid:
                return (new int[rank], new int[rank]);
            case PaddingKind.Same:
                if (stride.Any(s => s != 1))
                    throw new ArgumentException($"padding='same' needs stride 1 in every dimension (as in PyTorch), got stride ({string.Join(", ", stride)})", "padding");
                var b = new int[rank];
                var a = new int[rank];
                for (int d = 0; d < rank; d++)
                {
                    long total = (long)dilation[d] * (kernel[d] - 1);
                    if (total > int.MaxValue) throw new ArgumentException($"padding='same' in dimension {d} would be {total}, beyond int32", "padding");
                    b[d] = (int)(total / 2);
                    a[d] = (int)(total - b[d]);
                }
                return (b, a);
            default:
                return (Check.PerDimension(before, rank, "padding"), Check.PerDimension(after, rank, "padding"));
        }
    }

    /// <inheritdoc/>
    public bool Equals(Padding? other) =>
        other is not null && Kind == other.Kind && before.SequenceEqual(other.before) && after.SequenceEqual(other.after);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Padding);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, before.Length == 0 ? 0 : before[0], after.Length == 0 ? 0 : after[0]);

    /// <summary>The command-line form, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Kind switch
    {
        PaddingKind.Same => "same",
        PaddingKind.Valid => "valid",
        _ when before.SequenceEqual(after) => string.Join(",", before),
        _ => string.Join(",", before.Zip(after, (b, a) => $"{b}:{a}")),
    };
}
