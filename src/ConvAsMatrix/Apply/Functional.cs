using System.Numerics;

namespace ConvAsMatrix;

/// <summary>
/// Tensor-level convolutions with the signatures and semantics of <c>torch.nn.functional.conv{1,2,3}d</c> and
/// <c>conv_transpose{1,2,3}d</c>, computed through V (or by the direct references, for comparison).
/// </summary>
/// <remarks>
/// Through V, the structured form (<see cref="StructuredConvolution{T}"/>, <see cref="MatrixForm.Structured"/>) is the
/// default: it holds only the weight, so layers whose explicit V would not fit in memory run too. The explicit
/// compressed rows (<see cref="MatrixForm.Csr"/>) give the same result exactly in integer types.
/// </remarks>
public static partial class Functional
{
    /// <summary>
    /// <c>conv(input, weight, bias)</c>: vec(output[n]) = V·vec(input[n]) + bias per output channel.
    /// </summary>
    /// <param name="input">(N, C_in, *spatial), 1 to 3 spatial dimensions; or unbatched (C_in, *spatial), as PyTorch accepts.</param>
    /// <param name="weight">(C_out, C_in / groups, *kernel).</param>
    /// <param name="bias">(C_out) or null.</param>
    /// <param name="options">Stride, padding, dilation, groups, padding mode.</param>
    /// <param name="method">Through V (default) or the direct correlation.</param>
    /// <param name="progress">Receives the fraction of V compiled (0 to 1) when <paramref name="method"/> is Matrix; null for none.</param>
    /// <param name="form">Which form of V: structured (default) or the explicit compressed rows.</param>
    /// <returns>(N, C_out, *out); (C_out, *out) for an unbatched input.</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid.</exception>
    public static Tensor<T> Conv<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias = null, ConvOptions? options = null, ConvMethod method = ConvMethod.Matrix, IProgress<double>? progress = null, MatrixForm form = MatrixForm.Structured)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = IsUnbatched(input, weight);
        var g = ConvGeometry.ForConv(BatchedShape(input, unbatched), weight.ShapeArray, options);
        CheckBias(bias, g.OutChannels);
        var output = Tensor.Zeros<T>(g.OutputShape);
        if (method == ConvMethod.Direct) DirectCorrelation.Apply(g, input.Data, weight.Data, output.Data);
        else Operator(weight, g, form, progress, transposed: false).Convolve(input.Data, output.Data);
        AddBias(output, bias);
        return unbatched ? output.Reshape(output.ShapeArray[1..]) : output;
    }

    /// <summary>
    /// <c>conv_transpose(input, weight, bias)</c>: vec(output[n]) = Vᵀ·vec(input[n]) + bias per output channel, with V
    /// the forward convolution of <see cref="ConvGeometry.ForConvTranspose"/>.
    /// </summary>
    /// <param name="input">(N, C_in, *spatial), 1 to 3 spatial dimensions; or unbatched (C_in, *spatial), as PyTorch accepts.</param>
    /// <param name="weight">(C_in, C_out / groups, *kernel), PyTorch's ConvTranspose layout.</param>
    /// <param name="bias">(C_out) or null.</param>
    /// <param name="options">Stride, padding, output_padding, dilation, groups, and the forward padding mode.</param>
    /// <param name="method">Through Vᵀ (default) or the direct scatter.</param>
    /// <param name="progress">Receives the fraction of V compiled (0 to 1) when <paramref name="method"/> is Matrix; null for none.</param>
    /// <param name="form">Which form of V: structured (default) or the explicit compressed rows (with their compressed-column copy for Vᵀ).</param>
    /// <returns>(N, C_out, *out) with out = (in − 1)·stride − before − after + dilation·(k − 1) + output_padding + 1; (C_out, *out) for an unbatched input.</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid.</exception>
    public static Tensor<T> ConvTranspose<T>(Tensor<T> input, Tensor<T> weight, Tensor<T>? bias = null, ConvTransposeOptions? options = null, ConvMethod method = ConvMethod.Matrix, IProgress<double>? progress = null, MatrixForm form = MatrixForm.Structured)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        bool unbatched = IsUnbatched(input, weight);
        var g = ConvGeometry.ForConvTranspose(BatchedShape(input, unbatched), weight.ShapeArray, options);
        CheckBias(bias, g.InChannels);
        var output = Tensor.Zeros<T>(g.InputShape);
        if (method == ConvMethod.Direct) DirectScatter.Apply(g, input.Data, weight.Data, output.Data);
        else Operator(weight, g, form, progress, transposed: true).ConvolveTranspose(input.Data, output.Data);
        AddBias(output, bias);
        return unbatched ? output.Reshape(output.ShapeArray[1..]) : output;
    }

    /// <summary>PyTorch's unbatched input: one dimension fewer than the weight, (C, *spatial), computed as a batch of one.</summary>
    private static bool IsUnbatched<T>(Tensor<T> input, Tensor<T> weight) => input.Rank == weight.Rank - 1;

    private static int[] BatchedShape<T>(Tensor<T> input, bool unbatched) => unbatched ? [1, .. input.ShapeArray] : input.ShapeArray;

    /// <summary>V in the requested form; the explicit one's memory check counts the compressed-column copy Vᵀ will build.</summary>
    private static IConvolutionOperator<T> Operator<T>(Tensor<T> weight, ConvGeometry g, MatrixForm form, IProgress<double>? progress, bool transposed)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        switch (form)
        {
            case MatrixForm.Structured:
                var structured = StructuredConvolution<T>.Compile(weight.Data, g);
                progress?.Report(1);
                return structured;
            case MatrixForm.Csr:
                // The geometry was made from the weight's shape, so its length is right; a copy is kept as Compile keeps one.
                return ConvolutionMatrix<T>.CompileUnchecked(weight.Data.ToArray(), g, withColumns: transposed, progress);
            default:
                throw new ArgumentOutOfRangeException(nameof(form), form, $"form {(int)form} is not one of Structured, Csr");
        }
    }

    private static void CheckBias<T>(Tensor<T>? bias, int channels)
    {
        if (bias is not null) Check.Shape(bias.Shape, [channels], nameof(bias));
    }

    /// <summary>output[n, c, ...] += bias[c].</summary>
    private static void AddBias<T>(Tensor<T> output, Tensor<T>? bias) where T : IAdditionOperators<T, T, T>
    {
        if (bias is null) return;
        int channels = output.Shape[1], plane = output.Length / (output.Shape[0] * channels);
        for (int i = 0; i < output.Length; i++) output.Data[i] += bias.Data[i / plane % channels];
    }
}
