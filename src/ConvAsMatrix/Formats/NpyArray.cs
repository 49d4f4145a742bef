using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvAsMatrix;

/// <summary>The element types the .npy reader and writer handle: NumPy's numeric dtypes and bool.</summary>
/// <remarks>The first two keep their values from the library's first version, which read only floats.</remarks>
public enum NpyDataType
{
    /// <summary>IEEE double, NumPy <c>float64</c> (<c>'&lt;f8'</c>); <see cref="double"/>.</summary>
    Float64,
    /// <summary>IEEE single, NumPy <c>float32</c> (<c>'&lt;f4'</c>); <see cref="float"/>.</summary>
    Float32,
    /// <summary>NumPy <c>bool</c> (<c>'|b1'</c>), one byte 0 or 1; <see cref="bool"/>.</summary>
    Bool,
    /// <summary>NumPy <c>int8</c> (<c>'|i1'</c>); <see cref="sbyte"/>.</summary>
    Int8,
    /// <summary>NumPy <c>uint8</c> (<c>'|u1'</c>); <see cref="byte"/>.</summary>
    UInt8,
    /// <summary>NumPy <c>int16</c> (<c>'&lt;i2'</c>); <see cref="short"/>.</summary>
    Int16,
    /// <summary>NumPy <c>uint16</c> (<c>'&lt;u2'</c>); <see cref="ushort"/>.</summary>
    UInt16,
    /// <summary>NumPy <c>int32</c> (<c>'&lt;i4'</c>); <see cref="int"/>.</summary>
    Int32,
    /// <summary>NumPy <c>uint32</c> (<c>'&lt;u4'</c>); <see cref="uint"/>.</summary>
    UInt32,
    /// <summary>NumPy <c>int64</c> (<c>'&lt;i8'</c>); <see cref="long"/>.</summary>
    Int64,
    /// <summary>NumPy <c>uint64</c> (<c>'&lt;u8'</c>); <see cref="ulong"/>.</summary>
    UInt64,
    /// <summary>IEEE half, NumPy <c>float16</c> (<c>'&lt;f2'</c>); <see cref="Half"/>.</summary>
    Float16,
}

/// <summary>
/// An array read from (or to be written to) a .npy file: its element type, its shape and its data as a
/// <see cref="Tensor{T}"/> of the matching .NET type (<see cref="As{T}"/>). <see cref="ToDouble"/>,
/// <see cref="ToSingle"/> and <see cref="ToInt64"/> give the data converted.
/// </summary>
public sealed class NpyArray
{
    private readonly object tensor; // Tensor<T> of DataType's element type
    private readonly int[] shape;

    private NpyArray(NpyDataType type, object tensor, int[] shape)
    {
        DataType = type;
        this.tensor = tensor;
        this.shape = shape;
    }

    /// <summary>Wraps a float64 tensor (no copy).</summary>
    public NpyArray(Tensor<double> tensor) : this(NpyDataType.Float64, tensor ?? throw new ArgumentNullException(nameof(tensor)), tensor.ShapeArray) { }

    /// <summary>Wraps a float32 tensor (no copy).</summary>
    public NpyArray(Tensor<float> tensor) : this(NpyDataType.Float32, tensor ?? throw new ArgumentNullException(nameof(tensor)), tensor.ShapeArray) { }

    /// <summary>Wraps a tensor of any element type .npy has (no copy): bool, sbyte, byte, short, ushort, int, uint, long, ulong, Half, float, double.</summary>
    /// <exception cref="ArgumentException">T is not one of them.</exception>
    public static NpyArray From<T>(Tensor<T> tensor) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return new NpyArray(NpyTypes.Of<T>(), tensor, tensor.ShapeArray);
    }

    /// <summary>The element type stored in the file.</summary>
    public NpyDataType DataType { get; }

    /// <summary>The dimensions, outermost first (C order).</summary>
    public IReadOnlyList<int> Shape => shape;

    /// <summary>Whether the elements are bool or integers, which <see cref="ToInt64"/> converts exactly.</summary>
    public bool IsInteger => DataType is not (NpyDataType.Float64 or NpyDataType.Float32 or NpyDataType.Float16);

    /// <summary>The stored tensor itself, when T is its element type.</summary>
    /// <exception cref="InvalidOperationException">T is not the element type.</exception>
    public Tensor<T> As<T>() => tensor as Tensor<T>
        ?? throw new InvalidOperationException($"the array holds {NpyTypes.Name(DataType)}, not {typeof(T).Name}");

    /// <summary>The data as float64: the stored tensor itself, or every other type converted (exactly, except 64-bit integers beyond 2^53, which round to nearest).</summary>
    public Tensor<double> ToDouble() => tensor as Tensor<double> ?? Convert(v => v, v => (double)v, v => (double)v);

    /// <summary>The data as float32: the stored tensor itself, or the others rounded to nearest (exact for bool, 8- and 16-bit integers and float16).</summary>
    public Tensor<float> ToSingle() => tensor as Tensor<float> ?? Convert(v => (float)v, v => (float)v, v => (float)v);

    /// <summary>The data as int64, exactly: bool (0, 1) and every integer type.</summary>
    /// <exception cref="InvalidOperationException">The data are floating-point, or a uint64 element exceeds <see cref="long.MaxValue"/> (the message gives its index and value).</exception>
    public Tensor<long> ToInt64()
    {
        if (tensor is Tensor<long> longs) return longs;
        if (!IsInteger)
            throw new InvalidOperationException($"the array holds {NpyTypes.Name(DataType)}, not integers; convert it with ToDouble or ToSingle");
        if (tensor is Tensor<ulong> unsigned)
        {
            int beyond = Array.FindIndex(unsigned.Data, v => v > long.MaxValue);
            if (beyond >= 0) throw new InvalidOperationException($"uint64 element {beyond} is {unsigned.Data[beyond]}, beyond int64");
        }
        return Convert(v => (long)v, v => (long)v, v => (long)v);
    }

    /// <summary>
    /// int64 values stored as <paramref name="type"/>, an integer type or bool, after checking every value fits: what a
    /// command writes when asked for a narrower output type than int64.
    /// </summary>
    /// <exception cref="ArgumentException">A value does not fit <paramref name="type"/> (the message gives the first one, its index and the type's range), or the type is floating-point.</exception>
    public static NpyArray Narrow(Tensor<long> values, NpyDataType type)
    {
        ArgumentNullException.ThrowIfNull(values);
        return type switch
        {
            NpyDataType.Int64 => From(values),
            NpyDataType.Bool => From(Narrowed(values, type, 0, 1, v => v != 0)),
            NpyDataType.Int8 => From(Narrowed(values, type, sbyte.MinValue, sbyte.MaxValue, v => (sbyte)v)),
            NpyDataType.UInt8 => From(Narrowed(values, type, byte.MinValue, byte.MaxValue, v => (byte)v)),
            NpyDataType.Int16 => From(Narrowed(values, type, short.MinValue, short.MaxValue, v => (short)v)),
            NpyDataType.UInt16 => From(Narrowed(values, type, ushort.MinValue, ushort.MaxValue, v => (ushort)v)),
            NpyDataType.Int32 => From(Narrowed(values, type, int.MinValue, int.MaxValue, v => (int)v)),
            NpyDataType.UInt32 => From(Narrowed(values, type, uint.MinValue, uint.MaxValue, v => (uint)v)),
            NpyDataType.UInt64 => From(Narrowed(values, type, 0, long.MaxValue, v => (ulong)v)),
            _ => throw new ArgumentException($"{NpyTypes.Name(type)} is not an integer type; exact integer results are written as int64 or narrower integers", nameof(type)),
        };
    }

    private static Tensor<T> Narrowed<T>(Tensor<long> values, NpyDataType type, long min, long max, Func<long, T> cast)
    {
        int bad = Array.FindIndex(values.Data, v => v < min || v > max);
        if (bad >= 0)
            throw new ArgumentException($"value {values.Data[bad]} at element {bad} does not fit {NpyTypes.Name(type)} [{min}, {max}]", nameof(type));
        return new Tensor<T>(Array.ConvertAll(values.Data, v => cast(v)), values.ShapeArray);
    }

    /// <summary>The elements as bytes, in the machine's byte order: what the writer stores.</summary>
    internal ReadOnlySpan<byte> Bytes() => DataType switch
    {
        NpyDataType.Float64 => MemoryMarshal.AsBytes(As<double>().Data.AsSpan()),
        NpyDataType.Float32 => MemoryMarshal.AsBytes(As<float>().Data.AsSpan()),
        NpyDataType.Float16 => MemoryMarshal.AsBytes(As<Half>().Data.AsSpan()),
        NpyDataType.Bool => MemoryMarshal.AsBytes(As<bool>().Data.AsSpan()),
        NpyDataType.Int8 => MemoryMarshal.AsBytes(As<sbyte>().Data.AsSpan()),
        NpyDataType.UInt8 => As<byte>().Data,
        NpyDataType.Int16 => MemoryMarshal.AsBytes(As<short>().Data.AsSpan()),
        NpyDataType.UInt16 => MemoryMarshal.AsBytes(As<ushort>().Data.AsSpan()),
        NpyDataType.Int32 => MemoryMarshal.AsBytes(As<int>().Data.AsSpan()),
        NpyDataType.UInt32 => MemoryMarshal.AsBytes(As<uint>().Data.AsSpan()),
        NpyDataType.Int64 => MemoryMarshal.AsBytes(As<long>().Data.AsSpan()),
        _ => MemoryMarshal.AsBytes(As<ulong>().Data.AsSpan()),
    };

    /// <summary>An array of <paramref name="type"/> over <paramref name="data"/>, a T[] of that type (as the reader makes it).</summary>
    internal static NpyArray Of(NpyDataType type, Array data, int[] shape) => new(type, Wrap(type, data, shape), shape);

    private static object Wrap(NpyDataType type, Array data, int[] shape) => type switch
    {
        NpyDataType.Float64 => new Tensor<double>((double[])data, shape),
        NpyDataType.Float32 => new Tensor<float>((float[])data, shape),
        NpyDataType.Float16 => new Tensor<Half>((Half[])data, shape),
        NpyDataType.Bool => new Tensor<bool>((bool[])data, shape),
        NpyDataType.Int8 => new Tensor<sbyte>((sbyte[])data, shape),
        NpyDataType.UInt8 => new Tensor<byte>((byte[])data, shape),
        NpyDataType.Int16 => new Tensor<short>((short[])data, shape),
        NpyDataType.UInt16 => new Tensor<ushort>((ushort[])data, shape),
        NpyDataType.Int32 => new Tensor<int>((int[])data, shape),
        NpyDataType.UInt32 => new Tensor<uint>((uint[])data, shape),
        NpyDataType.Int64 => new Tensor<long>((long[])data, shape),
        _ => new Tensor<ulong>((ulong[])data, shape),
    };

    /// <summary>
    /// Every element converted to TOut: integers through long (uint64 through ulong, checked by the callers that need it),
    /// floats through double, bool as 0 or 1; each exact where TOut holds the value.
    /// </summary>
    private Tensor<TOut> Convert<TOut>(Func<double, TOut> fromDouble, Func<long, TOut> fromLong, Func<ulong, TOut> fromULong)
    {
        TOut[] data = tensor switch
        {
            Tensor<double> t => Array.ConvertAll(t.Data, v => fromDouble(v)),
            Tensor<float> t => Array.ConvertAll(t.Data, v => fromDouble(v)),
            Tensor<Half> t => Array.ConvertAll(t.Data, v => fromDouble((double)v)),
            Tensor<bool> t => Array.ConvertAll(t.Data, v => fromLong(v ? 1 : 0)),
            Tensor<sbyte> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<byte> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<short> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<ushort> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<int> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<uint> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<long> t => Array.ConvertAll(t.Data, v => fromLong(v)),
            Tensor<ulong> t => Array.ConvertAll(t.Data, v => fromULong(v)),
            _ => throw new InvalidOperationException($"unexpected tensor {tensor.GetType()}"),
        };
        return new Tensor<TOut>(data, shape);
    }
}
