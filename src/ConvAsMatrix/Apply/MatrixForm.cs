namespace ConvAsMatrix;

/// <summary>Which form of V <see cref="Functional"/> builds when it computes through V (<see cref="ConvMethod.Matrix"/>).</summary>
public enum MatrixForm
{
    /// <summary><see cref="StructuredConvolution{T}"/>: the weight and the sampling maps only, whatever the size of V (the default).</summary>
    Structured,
    /// <summary><see cref="ConvolutionMatrix{T}"/>: every entry of V in compressed rows (and compressed columns for Vᵀ).</summary>
    Csr,
}
