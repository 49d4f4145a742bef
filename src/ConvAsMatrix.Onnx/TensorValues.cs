using System.Buffers.Binary;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>The values of a float32 or float64 initializer as doubles (float32 widens exactly), with its shape checked.</summary>
internal static class TensorValues
{
    public const int Float = (int)TensorProto.Types.DataType.Float;
    public const int Double = (int)TensorProto.Types.DataType.Double;

    public static Tensor<double> Read(TensorProto tensor, string source, string what)
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
        int n = (int)count;
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

    private static void CheckLength(long actual, long expected, string source, string what, string unit = "raw_data bytes")
    {
        if (actual != expected)
            throw OnnxFormat.Error(source, $"{what} has {actual} {unit}, its shape needs {expected}");
    }
}
