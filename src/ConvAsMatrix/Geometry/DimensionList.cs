using System.Globalization;

namespace ConvAsMatrix;

/// <summary>
/// A per-dimension value as convmat, the explorer's addresses and the docs write it: one integer for every dimension
/// (<c>2</c>) or a comma list, one per dimension (<c>2,1</c>) — the form of PyTorch's int-or-tuple arguments. <see cref="Padding.Parse"/>
/// reads the padding's richer form.
/// </summary>
public static class DimensionList
{
    /// <summary>Reads <c>N</c> or <c>N1,N2,…</c>, each at least <paramref name="minimum"/>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="name">What the value is, as the message should call it (<c>stride</c>, <c>--stride</c>).</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <returns>The values, one or one per dimension, as written.</returns>
    /// <exception cref="ArgumentException">The text is not such a list, or a value is below <paramref name="minimum"/> (the message quotes the text and names it <paramref name="name"/>).</exception>
    public static int[] Parse(string text, string name, int minimum)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(name);
        var parts = text.Split(',');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]) || values[i] < minimum)
                throw new ArgumentException($"{name} '{text}' must be an integer >= {minimum} or a comma list of them", nameof(text));
        return values;
    }
}
