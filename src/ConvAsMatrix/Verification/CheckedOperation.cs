namespace ConvAsMatrix.Verification;

/// <summary>
/// The pass of a convolution layer whose result <see cref="ConvolutionCheck"/> checks: the forward pass of a
/// convolution or transposed convolution, or one of their two gradients (PyTorch's autograd semantics).
/// </summary>
public enum CheckedOperation
{
    /// <summary><c>conv{1,2,3}d(x, w, b)</c> = V·x + b.</summary>
    Conv,

    /// <summary><c>conv_transpose{1,2,3}d(y, w, b)</c> = Vᵀ·y + b.</summary>
    ConvTranspose,

    /// <summary>The gradient of conv's input: Vᵀ·g (<see cref="Functional.ConvInputGrad{T}"/>).</summary>
    ConvGradInput,

    /// <summary>The gradient of conv's weight: U(x)ᵀ·g summed over the batch (<see cref="Functional.ConvWeightGrad{T}"/>).</summary>
    ConvGradWeight,

    /// <summary>The gradient of conv_transpose's input: V·g (<see cref="Functional.ConvTransposeInputGrad{T}"/>).</summary>
    ConvTransposeGradInput,

    /// <summary>The gradient of conv_transpose's weight, in its (C_in, C_out/groups, *k) layout (<see cref="Functional.ConvTransposeWeightGrad{T}"/>).</summary>
    ConvTransposeGradWeight,
}

/// <summary>Which kind of pass a <see cref="CheckedOperation"/> is: what a mistake can apply to.</summary>
[Flags]
internal enum CheckedPass
{
    Forward = 1,
    InputGradient = 2,
    WeightGradient = 4,
    Gradients = InputGradient | WeightGradient,
    All = Forward | Gradients,
}

internal static class CheckedOperations
{
    /// <summary>True for the passes of a transposed convolution (their geometry is <see cref="ConvGeometry.ForConvTranspose"/>'s).</summary>
    public static bool IsTransposed(this CheckedOperation op) =>
        op is CheckedOperation.ConvTranspose or CheckedOperation.ConvTransposeGradInput or CheckedOperation.ConvTransposeGradWeight;

    public static CheckedPass Pass(this CheckedOperation op) => op switch
    {
        CheckedOperation.Conv or CheckedOperation.ConvTranspose => CheckedPass.Forward,
        CheckedOperation.ConvGradInput or CheckedOperation.ConvTransposeGradInput => CheckedPass.InputGradient,
        CheckedOperation.ConvGradWeight or CheckedOperation.ConvTransposeGradWeight => CheckedPass.WeightGradient,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, $"unknown operation {op}"),
    };

    /// <summary>
    /// True when the operation multiplies by V (conv, and conv_transpose's input gradient), false for Vᵀ (conv_transpose,
    /// conv's input gradient): which weight axis holds the channels one output element sums over.
    /// </summary>
    public static bool AppliesV(this CheckedOperation op) => op is CheckedOperation.Conv or CheckedOperation.ConvTransposeGradInput;

    /// <summary>How the check's report names the result it compares with.</summary>
    public static string ReferenceName(this CheckedOperation op) => op switch
    {
        CheckedOperation.ConvGradInput => "Vᵀ·g",
        CheckedOperation.ConvGradWeight => "U(x)ᵀ·g",
        CheckedOperation.ConvTransposeGradInput => "V·g",
        CheckedOperation.ConvTransposeGradWeight => "U(g)ᵀ·x",
        _ => "V",
    };
}
