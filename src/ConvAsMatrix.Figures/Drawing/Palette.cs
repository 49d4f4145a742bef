namespace ConvAsMatrix.Figures;

/// <summary>
/// The colours of kernel taps, the same in every figure: light enough for dark text on top, distinct for colour-blind
/// readers (after Paul Tol's "light" scheme), the first four as far apart as possible for 2×2 kernels.
/// </summary>
public static class Palette
{
    /// <summary>The tap colours, in tap order (row-major through the kernel).</summary>
    public static readonly IReadOnlyList<string> Taps =
        ["#77AADD", "#EE8866", "#44BB99", "#FFAABB", "#EEDD88", "#99DDFF", "#BBCC33", "#C9A6E0", "#AAAA00"];

    /// <summary>The colour of tap <paramref name="index"/> (colours repeat after <see cref="Taps"/> runs out).</summary>
    public static string Tap(int index) => Taps[index % Taps.Count];
}
