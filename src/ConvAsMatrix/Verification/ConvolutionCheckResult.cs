using System.Globalization;

namespace ConvAsMatrix.Verification;

/// <summary>
/// The outcome of <see cref="ConvolutionCheck"/>: whether someone's output agrees with V·x (or Vᵀ·y) + bias, where
/// it does not, and which common mistake reproduces it.
/// </summary>
public sealed record ConvolutionCheckResult
{
    /// <summary>How the report names the result it compares with: <c>V</c> for a forward pass (V·x or Vᵀ·y), <c>Vᵀ·g</c>, <c>V·g</c>, <c>U(x)ᵀ·g</c> or <c>U(g)ᵀ·x</c> for a gradient.</summary>
    public string Reference { get; init; } = "V";

    /// <summary>The shape V gives (unbatched when the input was).</summary>
    public required int[] ExpectedShape { get; init; }

    /// <summary>The shape of the output being checked.</summary>
    public required int[] ClaimedShape { get; init; }

    /// <summary>max over elements of |claimed − expected| / (Σ|w·x| + |b|) for that element; +∞ when the shapes differ or an element is NaN.</summary>
    public required double MaxRelativeError { get; init; }

    /// <summary>max |claimed − expected|; +∞ when the shapes differ.</summary>
    public required double MaxAbsoluteError { get; init; }

    /// <summary>The largest <see cref="MaxRelativeError"/> that agrees.</summary>
    public required double Tolerance { get; init; }

    /// <summary>Elements beyond the tolerance (0 when the shapes differ: then nothing is compared).</summary>
    public long MismatchCount { get; init; }

    /// <summary>The channels with at least one element beyond the tolerance, ascending.</summary>
    public IReadOnlyList<int> MismatchedChannels { get; init; } = [];

    /// <summary>The smallest spatial index of a mismatch per dimension (with <see cref="LastMismatch"/>: the box holding every mismatch).</summary>
    public IReadOnlyList<int> FirstMismatch { get; init; } = [];

    /// <summary>The largest spatial index of a mismatch per dimension.</summary>
    public IReadOnlyList<int> LastMismatch { get; init; } = [];

    /// <summary>The full index of the worst element (batch and channel first, as the shapes are), empty when nothing was compared.</summary>
    public IReadOnlyList<int> WorstIndex { get; init; } = [];

    /// <summary>The claimed and expected values at <see cref="WorstIndex"/>.</summary>
    public (double Claimed, double Expected) WorstValues { get; init; }

    /// <summary>Every mistake whose recomputation reproduces the claimed output within the tolerance, in <see cref="ConvolutionMistake.All"/>'s order.</summary>
    public IReadOnlyList<ConvolutionMistake> Reproducing { get; init; } = [];

    /// <summary>True when the shapes agree and every element is within the tolerance.</summary>
    public bool Agree => MaxRelativeError <= Tolerance;

    /// <summary>The first mistake that reproduces the output, or null.</summary>
    public ConvolutionMistake? Mistake => Reproducing.Count > 0 ? Reproducing[0] : null;

    /// <summary><c>agree (max rel err E)</c>, <c>disagree: IDENTIFIER</c> or <c>disagree: unexplained</c>.</summary>
    public string Verdict => Agree
        ? $"agree (max rel err {Format(MaxRelativeError)})"
        : $"disagree: {Mistake?.Id ?? "unexplained"}";

    /// <summary>What went wrong and where, one line each, ending with <see cref="Verdict"/>.</summary>
    public IEnumerable<string> Lines()
    {
        if (!ExpectedShape.SequenceEqual(ClaimedShape))
            yield return $"shape ({string.Join(", ", ClaimedShape)}) where {Reference} gives ({string.Join(", ", ExpectedShape)})";
        else if (!Agree)
        {
            yield return $"{MismatchCount} elements beyond tolerance {Format(Tolerance)}: max rel err {Format(MaxRelativeError)}, max abs err {Format(MaxAbsoluteError)}";
            yield return $"channels {string.Join(",", MismatchedChannels)}; positions {string.Join(" x ", FirstMismatch.Zip(LastMismatch, (a, b) => $"{a}..{b}"))}";
            yield return $"worst at ({string.Join(", ", WorstIndex)}): {Format(WorstValues.Claimed)} where {Reference} gives {Format(WorstValues.Expected)}";
        }
        foreach (var m in Reproducing)
            yield return $"reproduced by {m.Id}: {m.Explanation}";
        yield return Verdict;
    }

    private static string Format(double v) => v.ToString("G3", CultureInfo.InvariantCulture);
}
