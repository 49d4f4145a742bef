namespace ConvAsMatrix;

/// <summary>How <see cref="Functional"/> computes a convolution.</summary>
public enum ConvMethod
{
    /// <summary>Compile V and multiply: V·x for conv, Vᵀ·y for conv_transpose.</summary>
    Matrix,
    /// <summary>The direct references: <see cref="DirectCorrelation"/> and <see cref="DirectScatter"/>.</summary>
    Direct,
}
