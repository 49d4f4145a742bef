namespace ConvAsMatrix.Onnx;

/// <summary>A graph input the caller feeds (initializers listed as inputs are not among them).</summary>
/// <param name="Name">The input's name in the graph.</param>
/// <param name="Dimensions">Its declared shape: a size, or null for a dynamic (symbolic or unknown) dimension. Null when the model declares no shape.</param>
/// <param name="ElementType">ONNX's element type number (1 = float32, 11 = float64).</param>
public sealed record OnnxInput(string Name, IReadOnlyList<long?>? Dimensions, int ElementType)
{
    /// <summary>True when every dimension has a size.</summary>
    public bool IsStatic => Dimensions is not null && Dimensions.All(d => d is not null);

    /// <summary>The shape as text, dynamic dimensions as '?', e.g. (?, 3, 224, 224).</summary>
    public string ShapeText => Dimensions is null ? "(unknown)" : $"({string.Join(", ", Dimensions.Select(d => d?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"))})";
}
