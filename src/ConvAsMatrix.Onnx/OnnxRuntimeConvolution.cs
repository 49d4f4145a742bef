using Microsoft.ML.OnnxRuntime;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// V·x or Vᵀ·y of one geometry run by ONNX Runtime (CPU, float32, its MLAS kernels) on one thread, over arrays bound
/// once: <see cref="Run"/> is only <c>session.Run</c>, no allocation, no copy, so it can be timed beside the library.
/// </summary>
/// <remarks>
/// The model is <see cref="OnnxConvExport.Model"/>. The session runs sequentially with one intra-op and one inter-op
/// thread, at ONNX Runtime's default optimisation level (which on x86 rewrites Conv to its NCHWc kernels, reorders
/// included, as it would for any user). Input and output are OrtValues over the caller's arrays, pinned for this
/// object's lifetime.
/// </remarks>
internal sealed class OnnxRuntimeConvolution : IDisposable
{
    private readonly InferenceSession session;
    private readonly RunOptions runOptions = new();
    private readonly OrtValue[] inputs, outputs;
    private readonly string[] inputNames = [OnnxConvExport.InputName], outputNames = [OnnxConvExport.OutputName];

    /// <param name="geometry">The forward convolution (its batch is the run's), zero padding.</param>
    /// <param name="weight">(C_out, C_in / groups, *k).</param>
    /// <param name="transpose">False: <paramref name="output"/> = V·<paramref name="input"/> (Conv); true: Vᵀ·input (ConvTranspose).</param>
    /// <param name="input">N × InputLength (conv) or N × OutputLength (transpose); read on each <see cref="Run"/>.</param>
    /// <param name="output">The other length; written on each <see cref="Run"/>.</param>
    /// <exception cref="ArgumentException">A length does not fit the geometry, or the padding mode is not zeros.</exception>
    public OnnxRuntimeConvolution(ConvGeometry geometry, float[] weight, bool transpose, float[] input, float[] output)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        int[] inShape = transpose ? geometry.OutputShape : geometry.InputShape, outShape = transpose ? geometry.InputShape : geometry.OutputShape;
        Require(input, inShape, nameof(input));
        Require(output, outShape, nameof(output));
        var model = OnnxConvExport.Model(geometry, weight, transpose);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
        };
        session = new InferenceSession(model, options);
        inputs = [OrtValue.CreateTensorValueFromMemory(input, inShape.Select(d => (long)d).ToArray())];
        outputs = [OrtValue.CreateTensorValueFromMemory(output, outShape.Select(d => (long)d).ToArray())];
    }

    /// <summary>One product: the output array now holds V·input (or Vᵀ·input).</summary>
    public void Run() => session.Run(runOptions, inputNames, inputs, outputNames, outputs);

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var v in inputs.Concat(outputs)) v.Dispose();
        runOptions.Dispose();
        session.Dispose();
    }

    private static void Require(float[] data, int[] shape, string name)
    {
        long length = shape.Aggregate(1L, (p, d) => p * d);
        if (data.Length != length)
            throw new ArgumentException($"{name} has {data.Length} values; shape ({string.Join(", ", shape)}) needs {length}", name);
    }
}
