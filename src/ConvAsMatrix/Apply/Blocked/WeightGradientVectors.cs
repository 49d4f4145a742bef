namespace ConvAsMatrix;

/// <summary>What the weight gradient's SIMD vectors run along (<see cref="BlockedWeightGradient{T}.TryCreate"/>).</summary>
internal enum WeightGradientVectors
{
    /// <summary>Output positions (<see cref="BlockedWeightGradientOf{TNum}"/>): lanes added up at the end; long reductions.</summary>
    Positions,

    /// <summary>(input channel, tap) columns (<see cref="ColumnWeightGradientOf{TNum}"/>): no lane sums; for few positions a sample.</summary>
    Columns,
}
