using System.Runtime.CompilerServices;

namespace ConvAsMatrix;

/// <summary>
/// Argument checks shared by the public entry points. Every failure is an <see cref="ArgumentException"/>
/// whose message names the parameter and the offending values, thrown before anything large is allocated.
/// </summary>
internal static class Check
{
    public static string List(IEnumerable<int> values) => "(" + string.Join(", ", values) + ")";

    public static void NotEmpty<TItem>(TItem[] values, string name)
    {
        if (values.Length == 0) throw new ArgumentException($"{name} needs at least one value", name);
    }

    public static void AtLeast(int value, int minimum, string name)
    {
        if (value < minimum) throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}, got {value}");
    }

    public static void AllAtLeast(IReadOnlyList<int> values, int minimum, string name)
    {
        for (int i = 0; i < values.Count; i++)
            if (values[i] < minimum)
                throw new ArgumentOutOfRangeException(name, values[i], $"{name} must be >= {minimum} in every dimension, got {List(values)}");
    }

    /// <summary>Broadcasts one value to <paramref name="rank"/> dimensions, or checks that there is one per dimension.</summary>
    public static int[] PerDimension(IReadOnlyList<int> values, int rank, string name)
    {
        ArgumentNullException.ThrowIfNull(values, name);
        if (values.Count == 1) return Enumerable.Repeat(values[0], rank).ToArray();
        if (values.Count != rank)
            throw new ArgumentException($"{name} has {values.Count} values {List(values)}; a {rank}-d convolution needs 1 or {rank}", name);
        return values.ToArray();
    }

    /// <summary>The product of <paramref name="factors"/>, or an ArgumentException if it exceeds what a .NET array can index.</summary>
    public static int Length(string what, params long[] factors)
    {
        long p = 1;
        foreach (var f in factors)
        {
            // Compare before multiplying, so that no product of factors up to int32 range can overflow long.
            if (f > 0 && p > Array.MaxLength / f)
                throw new ArgumentException($"{what} would have more than {Array.MaxLength} elements ({string.Join(" x ", factors)}), beyond int32 indices", what);
            p *= f;
        }
        return (int)p;
    }

    public static void SpanLength(int actual, int expected, string name, [CallerMemberName] string caller = "")
    {
        if (actual != expected)
            throw new ArgumentException($"{name} has length {actual}; {caller} needs {expected}", name);
    }

    public static void Shape(IReadOnlyList<int> actual, IReadOnlyList<int> expected, string name)
    {
        if (!actual.SequenceEqual(expected))
            throw new ArgumentException($"{name} has shape {List(actual)}; expected {List(expected)}", name);
    }

    /// <summary>Refuses spans that overlap: the products write the destination while still reading the source.</summary>
    public static void NoOverlap<T>(ReadOnlySpan<T> x, Span<T> y)
    {
        if (x.Overlaps(y)) throw new ArgumentException("x and y must not overlap", nameof(y));
    }

    /// <summary>
    /// The number of samples of a batched product (input, output: whole samples of the given lengths, equally many);
    /// checks whole spans for overlap, since one sample's output may be a later sample's input.
    /// </summary>
    public static int Samples<T>(ReadOnlySpan<T> input, int inputPerSample, Span<T> output, int outputPerSample, [CallerMemberName] string caller = "")
    {
        if (input.Overlaps(output))
            throw new ArgumentException($"{caller}: input and output must not overlap (a sample's output would overwrite a later sample's input)", "output");
        int inputLength = input.Length, outputLength = output.Length;
        if (inputPerSample == 0 || inputLength % inputPerSample != 0 || inputLength == 0)
            throw new ArgumentException($"input has length {inputLength}; {caller} needs a positive multiple of {inputPerSample} (one sample)", "input");
        int n = inputLength / inputPerSample;
        if ((long)n * outputPerSample != outputLength)
            throw new ArgumentException($"output has length {outputLength}; {n} samples need {(long)n * outputPerSample}", "output");
        return n;
    }
}
