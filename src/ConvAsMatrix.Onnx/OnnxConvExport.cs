using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// A convolution of the library as a one-node ONNX model, float32: <c>Conv</c> computing V·x or <c>ConvTranspose</c>
/// computing Vᵀ·y, the weight an initializer, so ONNX Runtime can run the same product as the library (the benchmark
/// suite times it against the structured V). The inverse of <see cref="OnnxGeometry"/>.
/// </summary>
/// <remarks>
/// ONNX's Conv pads with zeros only, so only <see cref="PaddingMode.Zeros"/> geometries are exported. The transposed
/// node takes the same weight tensor (ONNX's ConvTranspose layout (C, M/group, *k) is the forward Conv's (M, C/group, *k)
/// read with the roles of the channels swapped), the forward convolution's strides, dilations, pads and group, and the
/// output_padding that makes its output the forward input's shape: ONNX's out = s·(in − 1) + output_padding + (k − 1)·d
/// + 1 − pad_begin − pad_end solved for output_padding.
/// </remarks>
internal static class OnnxConvExport
{
    /// <summary>The graph input's name.</summary>
    public const string InputName = "x";

    /// <summary>The graph output's name.</summary>
    public const string OutputName = "y";

    /// <summary>
    /// The serialized model: input <see cref="InputName"/> → Conv (V·x, shape <see cref="ConvGeometry.InputShape"/> to
    /// <see cref="ConvGeometry.OutputShape"/>) or ConvTranspose (Vᵀ·y, the reverse) → output <see cref="OutputName"/>.
    /// </summary>
    /// <param name="geometry">The forward convolution, any batch; zero padding.</param>
    /// <param name="weight">(C_out, C_in / groups, *k), <see cref="ConvGeometry.WeightLength"/> values.</param>
    /// <param name="transpose">False for V·x (Conv), true for Vᵀ·y (ConvTranspose).</param>
    /// <exception cref="ArgumentException">The padding mode is not zeros, or the weight has the wrong length.</exception>
    public static byte[] Model(ConvGeometry geometry, ReadOnlySpan<float> weight, bool transpose)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.PaddingMode != PaddingMode.Zeros)
            throw new ArgumentException($"ONNX's Conv pads with zeros only; this geometry pads with {geometry.PaddingMode}", nameof(geometry));
        if (weight.Length != geometry.WeightLength)
            throw new ArgumentException($"the weight has {weight.Length} values; the geometry's ({string.Join(", ", geometry.WeightShape)}) needs {geometry.WeightLength}", nameof(weight));
        int rank = geometry.Rank;
        var node = new NodeProto { OpType = transpose ? "ConvTranspose" : "Conv", Name = "conv", Input = { InputName, "w" }, Output = { OutputName } };
        Ints(node, "kernel_shape", geometry.KernelSize);
        Ints(node, "strides", geometry.Stride);
        Ints(node, "dilations", geometry.Dilation);
        Ints(node, "pads", [.. geometry.PaddingBefore, .. geometry.PaddingAfter]);
        if (transpose)
            Ints(node, "output_padding", Enumerable.Range(0, rank).Select(d => geometry.InputSize[d] - (geometry.Stride[d] * (geometry.OutputSize[d] - 1)
                + (geometry.KernelSize[d] - 1) * geometry.Dilation[d] + 1 - geometry.PaddingBefore[d] - geometry.PaddingAfter[d])).ToArray());
        node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = geometry.Groups });
        var graph = new GraphProto
        {
            Name = transpose ? "vt_y" : "v_x",
            Node = { node },
            Initializer = { Floats("w", geometry.WeightShape, weight) },
            Input = { Value(InputName, transpose ? geometry.OutputShape : geometry.InputShape) },
            Output = { Value(OutputName, transpose ? geometry.InputShape : geometry.OutputShape) },
        };
        return new ModelProto
        {
            IrVersion = 8,
            ProducerName = "ConvAsMatrix",
            Graph = graph,
            OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 13 } },
        }.ToByteArray();
    }

    /// <summary>Adds the ints attribute <paramref name="name"/> to <paramref name="node"/> (also the test models' builder).</summary>
    internal static void Ints(NodeProto node, string name, IEnumerable<int> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values.Select(v => (long)v));
        node.Attribute.Add(attribute);
    }

    /// <summary>A float32 initializer, stored as raw_data.</summary>
    internal static TensorProto Floats(string name, int[] shape, ReadOnlySpan<float> values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float, RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values)) };
        tensor.Dims.Add(shape.Select(d => (long)d));
        return tensor;
    }

    private static ValueInfoProto Value(string name, int[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var d in shape) tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = tensorShape } },
        };
    }
}
