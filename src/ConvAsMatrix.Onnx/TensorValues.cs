using System.Buffers.Binary;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// The values of an initializer, with its shape checked: float32 or float64 as doubles (float32 widens exactly), or
/// uint8, int8 and int32 as longs (exactly), each with its element type.
/// </summary>
internal static class TensorValues
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int UInt8 = (int)TensorProto.Types.DataType.Uint8;
    public const int Int8 = (int)TensorProto.Types.DataType.Int8;
    public const int Int32 = (int)TensorProto.Types.DataType.Int32;
    public const int Double = (int)TensorProto.Types.DataType.Double;

    /// <summary>The .npy element type of an ONNX element type the quantized layers use, or null.</summary>
    public static NpyDataType? IntegerType(int onnxType) => onnxType switch
    {
        UInt8 => NpyDataType.UInt8,
        Int8 => NpyDataType.Int8,
        Int32 => NpyDataType.Int32,
        _ => null,
    };

    /// <summary>ONNX's element type number of a .npy element type (float32, uint8, int8, int32).</summary>
    public static int OnnxType(NpyDataType type) => type switch
    {
        NpyDataType.Float32 => Float,
        NpyDataType.UInt8 => UInt8,
        NpyDataType.Int8 => Int8,
        NpyDataType.Int32 => Int32,
        NpyDataType.Float64 => Double,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no ONNX element type used here"),
    };

    /// <summary>ONNX's element type number of a .npy element type, or 0 (undefined) for the others.</summary>
    public static int OnnxTypeOrZero(NpyDataType type) => type is NpyDataType.Float32 or NpyDataType.UInt8 or NpyDataType.Int8 or NpyDataType.Int32 or NpyDataType.Float64 ? OnnxType(type) : 0;

    public static Tensor<double> Read(TensorProto tensor, string source, string what)
    {
        var (shape, n) = Shape(tensor, source, what);
        // Allocated only once the data is known to hold the n values the dims claim (a few bytes can claim 10^9).
        double[] values;
        switch (tensor.DataType)
        {
            case Float when !tensor.RawData.IsEmpty:
                CheckLength(tensor.RawData.Length, 4L * n, source, what);
                values = new double[n];
                var f = tensor.RawData.Span;
                for (int i = 0; i < n; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(f[(4 * i)..]);
                break;
            case Float:
                CheckLength(tensor.FloatData.Count, n, source, what, "float_data values");
                values = new double[n];
                for (int i = 0; i < n; i++) values[i] = tensor.FloatData[i];
                break;
            case Double when !tensor.RawData.IsEmpty:
                CheckLength(tensor.RawData.Length, 8L * n, source, what);
                values = new double[n];
                var b = tensor.RawData.Span;
                for (int i = 0; i < n; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(b[(8 * i)..]);
                break;
            case Double:
                CheckLength(tensor.DoubleData.Count, n, source, what, "double_data values");
                values = new double[n];
                for (int i = 0; i < n; i++) values[i] = tensor.DoubleData[i];
                break;
            default:
                throw OnnxFormat.Error(source, $"{what} has element type {tensor.DataType}; only float32 (1) and float64 (11) are supported");
        }
        return new Tensor<double>(values, shape);
    }

    /// <summary>
    /// A uint8 (2), int8 (3) or int32 (6) initializer, exactly, with its type: raw_data (little-endian) or int32_data
    /// (where ONNX stores every integer type up to 32 bits, one value each).
    /// </summary>
    /// <exception cref="FileFormatException">Another element type, or data that do not match the shape or the type's range.</exception>
    public static (NpyDataType Type, Tensor<long> Values) ReadIntegers(TensorProto tensor, string source, string what)
    {
        if (IntegerType(tensor.DataType) is not { } type)
            throw OnnxFormat.Error(source, $"{what} has element type {tensor.DataType}; only uint8 (2), int8 (3) and int32 (6) are supported");
        var (shape, n) = Shape(tensor, source, what);
        int size = type == NpyDataType.Int32 ? 4 : 1;
        long[] values;
        if (!tensor.RawData.IsEmpty)
        {
            CheckLength(tensor.RawData.Length, (long)size * n, source, what);
            values = new long[n];
            var raw = tensor.RawData.Span;
            for (int i = 0; i < n; i++)
                values[i] = type switch
                {
                    NpyDataType.UInt8 => raw[i],
                    NpyDataType.Int8 => (sbyte)raw[i],
                    _ => BinaryPrimitives.ReadInt32LittleEndian(raw[(4 * i)..]),
                };
            return (type, new Tensor<long>(values, shape));
        }
        CheckLength(tensor.Int32Data.Count, n, source, what, "int32_data values");
        values = new long[n];
        long min = type switch { NpyDataType.UInt8 => byte.MinValue, NpyDataType.Int8 => sbyte.MinValue, _ => int.MinValue };
        long max = type switch { NpyDataType.UInt8 => byte.MaxValue, NpyDataType.Int8 => sbyte.MaxValue, _ => int.MaxValue };
        for (int i = 0; i < n; i++)
        {
            values[i] = tensor.Int32Data[i];
            if (values[i] < min || values[i] > max)
                throw OnnxFormat.Error(source, $"{what}: int32_data[{i}] = {values[i]} is outside its element type's range [{min}, {max}]");
        }
        return (type, new Tensor<long>(values, shape));
    }

    /// <summary>A float32 initializer's values, exactly (scales are float32 in ONNX's quantized operators).</summary>
    public static float[] ReadFloat32(TensorProto tensor, string source, string what)
    {
        if (tensor.DataType != Float)
            throw OnnxFormat.Error(source, $"{what} has element type {tensor.DataType}; a scale must be float32 (1)");
        return Array.ConvertAll(Read(tensor, source, what).Data, v => (float)v);
    }

    private static (int[] Shape, int Count) Shape(TensorProto tensor, string source, string what)
    {
        var shape = new int[tensor.Dims.Count];
        long count = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            long d = tensor.Dims[i];
            if (d < 1 || d > int.MaxValue) throw OnnxFormat.Error(source, $"{what} has dimension {i} = {d}, not in [1, 2^31)");
            shape[i] = (int)d;
            count *= d;
            if (count > Array.MaxLength) throw OnnxFormat.Error(source, $"{what} has more elements than one array holds");
        }
        return (shape, (int)count);
    }

    private static void CheckLength(long actual, long expected, string source, string what, string unit = "raw_data bytes")
    {
        if (actual != expected)
            throw OnnxFormat.Error(source, $"{what} has {actual} {unit}, its shape needs {expected}");
    }
}
