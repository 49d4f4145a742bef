using System.Numerics;
using System.Text;

namespace ConvAsMatrix;

/// <summary>
/// A dense tensor: a shape and its elements flattened row-major (C order), like a contiguous PyTorch tensor
/// or a NumPy array. The data array is public and plain; reshaping shares it.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class Tensor<T>
{
    private readonly int[] shape;

    /// <summary>Wraps <paramref name="data"/> (no copy) as a tensor of the given shape.</summary>
    /// <exception cref="ArgumentException">A negative dimension, a shape beyond int32 elements, or the data length is not the product of the shape.</exception>
    public Tensor(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        Check.AllAtLeast(shape, 0, nameof(shape));
        // Check.Length multiplies factor by factor: a plain long product of large dimensions can wrap around to data.Length.
        long n = Check.Length("the tensor", shape.Select(s => (long)s).ToArray());
        if (n != data.Length)
            throw new ArgumentException($"data has {data.Length} elements but shape {Check.List(shape)} needs {n}", nameof(data));
        this.shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>The dimensions as a new array.</summary>
    public int[] ShapeArray => (int[])shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;

    /// <summary>The elements, row-major.</summary>
    public T[] Data { get; }

    /// <summary>The element at a multi-index.</summary>
    /// <exception cref="ArgumentException">Wrong number of indices, or one out of range.</exception>
    public T this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    private int Offset(int[] index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"{index.Length} indices for a tensor of rank {shape.Length}", nameof(index));
        int offset = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            if ((uint)index[d] >= (uint)shape[d])
                throw new ArgumentOutOfRangeException(nameof(index), $"index {Check.List(index)} is outside shape {Check.List(shape)} in dimension {d}");
            offset = offset * shape[d] + index[d];
        }
        return offset;
    }

    /// <summary>The same data under another shape of equal size.</summary>
    public Tensor<T> Reshape(params int[] newShape) => new(Data, newShape);

    /// <summary>Nested brackets, like NumPy's printing; for small tensors.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        int pos = 0;
        Write(sb, 0, ref pos);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, int dim, ref int pos)
    {
        if (dim == shape.Length) { sb.Append(Data[pos++]); return; }
        sb.Append('[');
        for (int i = 0; i < shape[dim]; i++)
        {
            if (i > 0) sb.Append(dim == shape.Length - 1 ? ", " : ",\n" + new string(' ', dim + 1));
            Write(sb, dim + 1, ref pos);
        }
        sb.Append(']');
    }
}

/// <summary>Factories for <see cref="Tensor{T}"/>.</summary>
public static class Tensor
{
    /// <summary>A tensor of zeros.</summary>
    public static Tensor<T> Zeros<T>(params int[] shape) where T : IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        Check.AllAtLeast(shape, 0, nameof(shape));
        var data = new T[Check.Length("the tensor", shape.Select(s => (long)s).ToArray())];
        Array.Fill(data, T.AdditiveIdentity);
        return new Tensor<T>(data, shape);
    }

    /// <summary>0, 1, 2, … in row-major order (PyTorch's <c>torch.arange(n).reshape(shape)</c>).</summary>
    public static Tensor<T> Arange<T>(params int[] shape) where T : INumberBase<T>
    {
        var t = Zeros<T>(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = T.CreateChecked(i);
        return t;
    }

    /// <summary>Wraps data (no copy).</summary>
    public static Tensor<T> From<T>(T[] data, params int[] shape) => new(data, shape);
}
