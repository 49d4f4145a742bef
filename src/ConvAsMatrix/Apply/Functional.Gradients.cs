using System.Numerics;

namespace ConvAsMatrix;

/// <summary>The backward passes of a convolution layer, with PyTorch's semantics: the gradients with respect to the input, the weight and the bias.</summary>
public static partial class Functional
{
    /// <summary>
    /// <c>torch.nn.grad.conv{1,2,3}d_weight(input, weight_size, grad_output, ...)</c>: the gradient with respect to the
    /// weight of ⟨conv(input, w), grad_output⟩, summed over the batch: <c>U(input)ᵀ·grad_output</c> (<see cref="PatchMatrix{T}"/>).
    /// </summary>
    /// <param name="input">(N, C_in, *spatial), or unbatched (C_in, *spatial).</param>
    /// <param name="weightShape">(C_out, C_in / groups, *kernel).</param>
    /// <param name="gradOutput">The gradient of the output: conv's output shape, (N, C_out, *out) (unbatched (C_out, *out)).</param>
    /// <param name="options">Stride, padding, dilation, groups, padding mode, as for <see cref="Conv{T}"/>.</param>
    /// <param name="method">Through the structured U (default) or the direct reference loops.</param>
    /// <returns>(C_out, C_in / groups, *kernel).</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid, or grad_output's shape is not the output's.</exception>
    public static Tensor<T> ConvWeightGrad<T>(Tensor<T> input, ReadOnlySpan<int> weightShape, Tensor<T> gradOutput, ConvOptions? options = null, ConvMethod method = ConvMethod.Matrix)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        bool unbatched = input.Rank == weightShape.Length - 1;
        var g = ConvGeometry.ForConv(BatchedShape(input, unbatched), weightShape, options);
        return WeightGrad(g, input, gradOutput, unbatched, transposed: false, method);
    }

    /// <summary>
    /// <c>torch.nn.grad.conv{1,2,3}d_input(input_size, weight, grad_output, ...)</c>: the gradient with respect to the
    /// input, <c>Vᵀ·grad_output</c> per sample, which is the transposed convolution.
    /// </summary>
    /// <param name="inputShape">(N, C_in, *spatial), or unbatched (C_in, *spatial): the shape of the input the gradient is for.</param>
    /// <param name="weight">(C_out, C_in / groups, *kernel).</param>
    /// <param name="gradOutput">(N, C_out, *out) (unbatched (C_out, *out)).</param>
    /// <param name="options">As for <see cref="Conv{T}"/>.</param>
    /// <param name="method">Through Vᵀ (default) or the direct scatter.</param>
    /// <returns>inputShape.</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid, or grad_output's shape is not the output's.</exception>
    public static Tensor<T> ConvInputGrad<T>(ReadOnlySpan<int> inputShape, Tensor<T> weight, Tensor<T> gradOutput, ConvOptions? options = null, ConvMethod method = ConvMethod.Matrix)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gradOutput);
        bool unbatched = inputShape.Length == weight.Rank - 1;
        var g = ConvGeometry.ForConv(unbatched ? [1, .. inputShape] : inputShape, weight.ShapeArray, options);
        return InputGrad(g, weight, gradOutput, unbatched, transposed: false, method);
    }

    /// <summary>
    /// The gradient with respect to the weight of ⟨conv_transpose(input, w), grad_output⟩, as PyTorch's autograd gives it
    /// for <c>conv_transpose{1,2,3}d</c>: <c>U(input)ᵀ·grad_output</c> in the ConvTranspose layout, which is the forward
    /// convolution's weight gradient with grad_output as its input and input as its output gradient.
    /// </summary>
    /// <param name="input">(N, C_in, *spatial), or unbatched (C_in, *spatial).</param>
    /// <param name="weightShape">(C_in, C_out / groups, *kernel).</param>
    /// <param name="gradOutput">The gradient of conv_transpose's output, (N, C_out, *out) (unbatched (C_out, *out)).</param>
    /// <param name="options">As for <see cref="ConvTranspose{T}"/>.</param>
    /// <param name="method">Through the structured U (default) or the direct reference loops.</param>
    /// <returns>(C_in, C_out / groups, *kernel).</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid, or grad_output's shape is not the output's.</exception>
    public static Tensor<T> ConvTransposeWeightGrad<T>(Tensor<T> input, ReadOnlySpan<int> weightShape, Tensor<T> gradOutput, ConvTransposeOptions? options = null, ConvMethod method = ConvMethod.Matrix)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        bool unbatched = input.Rank == weightShape.Length - 1;
        var g = ConvGeometry.ForConvTranspose(BatchedShape(input, unbatched), weightShape, options);
        return WeightGrad(g, input, gradOutput, unbatched, transposed: true, method);
    }

    /// <summary>
    /// The gradient with respect to the input of ⟨conv_transpose(input, w), grad_output⟩: <c>V·grad_output</c> per
    /// sample, the forward convolution that conv_transpose transposes.
    /// </summary>
    /// <param name="inputShape">(N, C_in, *spatial), or unbatched (C_in, *spatial).</param>
    /// <param name="weight">(C_in, C_out / groups, *kernel).</param>
    /// <param name="gradOutput">(N, C_out, *out) (unbatched (C_out, *out)).</param>
    /// <param name="options">As for <see cref="ConvTranspose{T}"/>.</param>
    /// <param name="method">Through V (default) or the direct correlation.</param>
    /// <returns>inputShape.</returns>
    /// <exception cref="ArgumentException">A shape or hyperparameter is invalid, or grad_output's shape is not the output's.</exception>
    public static Tensor<T> ConvTransposeInputGrad<T>(ReadOnlySpan<int> inputShape, Tensor<T> weight, Tensor<T> gradOutput, ConvTransposeOptions? options = null, ConvMethod method = ConvMethod.Matrix)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(gradOutput);
        bool unbatched = inputShape.Length == weight.Rank - 1;
        var g = ConvGeometry.ForConvTranspose(unbatched ? [1, .. inputShape] : inputShape, weight.ShapeArray, options);
        return InputGrad(g, weight, gradOutput, unbatched, transposed: true, method);
    }

    /// <summary>The gradient with respect to the bias, of conv or conv_transpose alike: grad_output summed over the batch and every position, per channel.</summary>
    /// <param name="gradOutput">(N, C, *spatial), at least three dimensions (an unbatched gradient is a batch of one: reshape it).</param>
    /// <returns>(C).</returns>
    /// <exception cref="ArgumentException">grad_output has fewer than three dimensions.</exception>
    public static Tensor<T> BiasGrad<T>(Tensor<T> gradOutput)
        where T : IAdditionOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (gradOutput.Rank < 3)
            throw new ArgumentException($"grad_output has shape {Check.List(gradOutput.Shape)}: expected (N, C, *spatial) with 1 to 3 spatial dimensions", nameof(gradOutput));
        int channels = gradOutput.Shape[1], plane = gradOutput.Length / (gradOutput.Shape[0] * channels);
        var result = Tensor.Zeros<T>(channels);
        // Summed sample by sample, channel by channel, position by position: one fixed order.
        for (int i = 0; i < gradOutput.Length; i++) result.Data[i / plane % channels] += gradOutput.Data[i];
        return result;
    }

    /// <summary>
    /// The weight gradient of a conv (<paramref name="transposed"/> false) or conv_transpose over geometry g, whose forward
    /// convolution is V: a conv's batch sits on V's column side and its output gradient on the row side; a
    /// conv_transpose's the other way round.
    /// </summary>
    private static Tensor<T> WeightGrad<T>(ConvGeometry g, Tensor<T> input, Tensor<T> gradOutput, bool unbatched, bool transposed, ConvMethod method)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        CheckGradOutput(gradOutput, transposed ? g.InputShape : g.OutputShape, unbatched, transposed ? "conv_transpose" : "conv");
        var (columnSide, rowSide) = transposed ? (gradOutput.Data, input.Data) : (input.Data, gradOutput.Data);
        var result = Tensor.Zeros<T>(g.WeightShape);
        if (method == ConvMethod.Direct) DirectWeightGradient.Apply<T>(g, columnSide, rowSide, result.Data);
        else WeightGradient.Compute<T>(g, columnSide, rowSide, result.Data);
        return result;
    }

    /// <summary>The input gradient: Vᵀ·g for a conv, V·g for a conv_transpose (the direct scatter or correlation with <see cref="ConvMethod.Direct"/>).</summary>
    private static Tensor<T> InputGrad<T>(ConvGeometry g, Tensor<T> weight, Tensor<T> gradOutput, bool unbatched, bool transposed, ConvMethod method)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        CheckGradOutput(gradOutput, transposed ? g.InputShape : g.OutputShape, unbatched, transposed ? "conv_transpose" : "conv");
        var result = Tensor.Zeros<T>(transposed ? g.OutputShape : g.InputShape);
        if (method == ConvMethod.Direct && transposed) DirectCorrelation.Apply(g, gradOutput.Data, weight.Data, result.Data);
        else if (method == ConvMethod.Direct) DirectScatter.Apply(g, gradOutput.Data, weight.Data, result.Data);
        else if (transposed) StructuredConvolution<T>.Compile(weight.Data, g).Convolve(gradOutput.Data, result.Data);
        else StructuredConvolution<T>.Compile(weight.Data, g).ConvolveTranspose(gradOutput.Data, result.Data);
        return unbatched ? result.Reshape(result.ShapeArray[1..]) : result;
    }

    /// <summary>grad_output must have the shape the forward pass produced, batched or not as the input was.</summary>
    private static void CheckGradOutput<T>(Tensor<T> gradOutput, int[] batchedShape, bool unbatched, string op)
    {
        var expected = unbatched ? batchedShape[1..] : batchedShape;
        if (!gradOutput.Shape.SequenceEqual(expected))
            throw new ArgumentException($"grad_output has shape {Check.List(gradOutput.Shape)} but the {op} output it is the gradient of has shape {Check.List(expected)}", nameof(gradOutput));
    }
}
