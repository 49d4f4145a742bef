using System.Text;

namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// <see cref="Padding.Parse"/> on the input as UTF-8 text: a padding or an <see cref="ArgumentException"/>; and what
/// it parses, <see cref="Padding.ToString"/> reads back to the same padding.
/// </summary>
public static class PaddingTarget
{
    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("padding", Parse, [typeof(ArgumentException)],
        // The text (2 bytes a char), its parts and their arrays, the message quoting it: a few times the input.
        (input, _) => (16 << 10) + 64L * input.Length);

    private static Padding Parse(byte[] input)
    {
        var padding = Padding.Parse(Encoding.UTF8.GetString(input));
        Padding again;
        try { again = Padding.Parse(padding.ToString()); }
        catch (ArgumentException e) { throw new FuzzPropertyException($"padding: '{padding}' does not read back: {e.Message}"); }
        if (!again.Equals(padding))
            throw new FuzzPropertyException($"padding: '{padding}' reads back as '{again}'");
        return padding;
    }
}
