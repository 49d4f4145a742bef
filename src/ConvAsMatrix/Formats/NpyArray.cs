namespace ConvAsMatrix;

/// <summary>The element types the .npy reader and writer handle.</summary>
public enum NpyDataType
{
    /// <summary>Little-endian IEEE double, NumPy <c>'&lt;f8'</c> (float64).</summary>
    Float64,
    /// <summary>Little-endian IEEE single, NumPy <c>'&lt;f4'</c> (float32).</summary>
    Float32,
}

/// <summary>
/// An array read from a .npy file: its element type, its shape and its data as a <see cref="Tensor{T}"/> of
/// double or float. <see cref="ToDouble"/> and <see cref="ToSingle"/> give the data in either precision.
/// </summary>
public sealed class NpyArray
{
    private readonly Tensor<double>? doubles;
    private readonly Tensor<float>? singles;

    /// <summary>Wraps a float64 tensor (no copy).</summary>
    public NpyArray(Tensor<double> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        doubles = tensor;
    }

    /// <summary>Wraps a float32 tensor (no copy).</summary>
    public NpyArray(Tensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        singles = tensor;
    }

    /// <summary>The element type stored in the file.</summary>
    public NpyDataType DataType => doubles is not null ? NpyDataType.Float64 : NpyDataType.Float32;

    /// <summary>The dimensions, outermost first (C order).</summary>
    public IReadOnlyList<int> Shape => doubles?.Shape ?? singles!.Shape;

    /// <summary>The data as float64: the stored tensor itself, or float32 values widened (exactly).</summary>
    public Tensor<double> ToDouble() => doubles ?? new Tensor<double>(Array.ConvertAll(singles!.Data, v => (double)v), singles.ShapeArray);

    /// <summary>The data as float32: the stored tensor itself, or float64 values rounded to nearest.</summary>
    public Tensor<float> ToSingle() => singles ?? new Tensor<float>(Array.ConvertAll(doubles!.Data, v => (float)v), doubles.ShapeArray);
}
