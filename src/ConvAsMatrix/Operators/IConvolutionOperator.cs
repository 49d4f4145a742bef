using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// The one operator contract of a convolution's matrix V, whatever its storage: the explicit compressed rows
/// (<see cref="ConvolutionMatrix{T}"/>) or the structured form that stores only the weight
/// (<see cref="StructuredConvolution{T}"/>). Spans in, destination last, as in CSparse.NET.
/// </summary>
/// <typeparam name="T">Element type; only addition, multiplication and zero are asked of it.</typeparam>
public interface IConvolutionOperator<T>
    where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
{
    /// <summary>The convolution V represents.</summary>
    ConvGeometry Geometry { get; }

    /// <summary>Rows of V: <see cref="ConvGeometry.OutputLength"/>.</summary>
    int RowCount { get; }

    /// <summary>Columns of V: <see cref="ConvGeometry.InputLength"/>.</summary>
    int ColumnCount { get; }

    /// <summary>y = V·x for one sample.</summary>
    void Multiply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>y = α·V·x + β·y (y is not read when β is zero).</summary>
    void Multiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y);

    /// <summary>y = Vᵀ·x for one sample.</summary>
    void TransposeMultiply(ReadOnlySpan<T> x, Span<T> y);

    /// <summary>y = α·Vᵀ·x + β·y (y is not read when β is zero).</summary>
    void TransposeMultiply(T alpha, ReadOnlySpan<T> x, T beta, Span<T> y);

    /// <summary>The convolution of a batch: output[n] = V·input[n] for each sample n.</summary>
    void Convolve(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>The transposed convolution of a batch: output[n] = Vᵀ·input[n] for each sample n.</summary>
    void ConvolveTranspose(ReadOnlySpan<T> input, Span<T> output);
}
