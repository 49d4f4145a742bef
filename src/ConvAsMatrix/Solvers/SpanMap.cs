namespace ConvAsMatrix.Solvers;

/// <summary>A linear map applied to a span: writes <c>A·x</c> into <paramref name="y"/> (overwriting it).</summary>
/// <param name="x">The argument, read only.</param>
/// <param name="y">The destination, overwritten; the caller never lets it overlap <paramref name="x"/>.</param>
public delegate void SpanMap(ReadOnlySpan<double> x, Span<double> y);
