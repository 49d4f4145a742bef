using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// The values of a graph's constants, each converted once however many nodes read it, and the dequantized weight and
/// bias of each (weight, zero point, scale) combination once: layers that share an initializer share its values.
/// </summary>
/// <remarks>
/// ONNX lets any number of nodes read one initializer (tied weights; torch.onnx.export's Identity nodes). Converting it
/// per node would let a model of a few kilobytes — one weight and many small nodes reading it — make the reader
/// allocate the weight's size once per node: found by fuzzing the reader (a 19 KB model, 400 nodes, 9 MB allocated).
/// With the conversions shared, the reader allocates in proportion to the model's bytes.
/// </remarks>
internal sealed class ConstantValues(string source)
{
    // One cache per conversion: a node may read as integers a tensor another node read as floats (and be refused).
    private readonly Dictionary<TensorProto, Tensor<double>> floats = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TensorProto, (NpyDataType, Tensor<long>)> integers = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TensorProto, int[]> int32s = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<TensorProto, float[]> float32s = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Tensor<long>, int[], float[]?), Tensor<double>> dequantized = [];
    private readonly Dictionary<(int[], float, float[]), double[]> biases = [];

    /// <summary>A float32 or float64 constant as doubles (<see cref="TensorValues.Read"/>).</summary>
    public Tensor<double> Floats(TensorProto tensor, string what) => Once(floats, tensor, () => TensorValues.Read(tensor, source, what));

    /// <summary>A uint8, int8 or int32 constant, exactly, with its type (<see cref="TensorValues.ReadIntegers"/>).</summary>
    public (NpyDataType Type, Tensor<long> Values) Integers(TensorProto tensor, string what) => Once(integers, tensor, () => TensorValues.ReadIntegers(tensor, source, what));

    /// <summary>An integer constant's values as int (uint8, int8 and int32 all fit), the same array for every reader.</summary>
    public int[] Int32s(TensorProto tensor, string what) => Once(int32s, tensor, () => Array.ConvertAll(Integers(tensor, what).Values.Data, v => (int)v));

    /// <summary>A float32 constant's values (<see cref="TensorValues.ReadFloat32"/>).</summary>
    public float[] Float32(TensorProto tensor, string what) => Once(float32s, tensor, () => TensorValues.ReadFloat32(tensor, source, what));

    /// <summary>
    /// (w − w_zp[m])·w_scale[m] over output channels m (axis 0), or w − w_zp[m] without scales (ConvInteger). Equal
    /// arguments (the same arrays, as <see cref="Integers"/> returns them) give the same tensor.
    /// </summary>
    public Tensor<double> Dequantized(Tensor<long> weight, int[] zeroPoint, float[]? scale)
    {
        if (dequantized.TryGetValue((weight, zeroPoint, scale), out var known)) return known;
        int channels = weight.Shape[0], perChannel = weight.Length / channels;
        var real = new double[weight.Length];
        for (int i = 0; i < real.Length; i++)
        {
            int m = i / perChannel;
            double s = scale is null ? 1 : scale[scale.Length == 1 ? 0 : m];
            real[i] = (weight.Data[i] - zeroPoint[zeroPoint.Length == 1 ? 0 : m]) * s;
        }
        return dequantized[(weight, zeroPoint, scale)] = new Tensor<double>(real, weight.ShapeArray);
    }

    /// <summary>B[m]·x_scale·w_scale[m] over the <paramref name="bias"/>'s channels, once per (bias, x_scale, w_scale).</summary>
    public double[] DequantizedBias(int[] bias, float inputScale, float[] weightScale)
    {
        if (biases.TryGetValue((bias, inputScale, weightScale), out var known)) return known;
        var real = new double[bias.Length];
        for (int m = 0; m < real.Length; m++) real[m] = bias[m] * (double)inputScale * weightScale[weightScale.Length == 1 ? 0 : m];
        return biases[(bias, inputScale, weightScale)] = real;
    }

    private static T Once<T>(Dictionary<TensorProto, T> cache, TensorProto tensor, Func<T> convert)
    {
        if (cache.TryGetValue(tensor, out var known)) return known;
        return cache[tensor] = convert();
    }
}
