namespace ConvAsMatrix;

/// <summary>
/// The register block of the micro-kernel: output channels per block × vectors per tile, and whether a tile's
/// vectors may lie anywhere (<see cref="Wide"/>) or follow one another along one run (<see cref="Single"/>).
/// </summary>
/// <remarks>
/// <para><see cref="Wide"/>, 4 channels × 6 vectors, for 4 or more output channels per group: 24 accumulators,
/// 6 loads and 4 broadcasts per 24 FMAs, vectors from any row or phase (narrow 14-wide rows fill a tile from
/// three rows).</para>
/// <para><see cref="Single"/>, 1 channel × 8 consecutive vectors, for 1 to 3 channels per group (image filtering,
/// depthwise): no lanes wasted on missing channels, and the 8 loads are one base address plus constant
/// displacements, which leaves the general-purpose registers free. A run's last tile may read up to 8 vectors past
/// the run (into the next row or the buffer's slack) and writes only the valid positions.</para>
/// <para>4 × 6 maximises FMAs per load (24 per 10) among the blocks whose accumulators, weights and one input fit
/// the 32 vector registers; 8 × 3 (24 per 11) and 2 × 12 (24 per 14) load more. An 8 × 3 kernel (half the input
/// loads per FMA, for inputs that live in L2 as W5's do) was measured against 4 × 6 on W2, W3 and W5 and was not
/// faster (within ±5%, the noise of that run). One channel on 4 × 6 would compute 3 zero channels (W1).</para>
/// </remarks>
internal readonly record struct TileShape(int Channels, int Slots, bool Consecutive)
{
    public static TileShape Wide { get; } = new(4, 6, false);

    public static TileShape Single { get; } = new(1, 8, true);

    /// <summary>The shape for a group of <paramref name="channels"/> output channels.</summary>
    public static TileShape For(int channels) => channels >= 4 ? Wide : Single;

    /// <summary>Vectors of slack a buffer needs past its last element: a Single tile at a run's end reads up to 8 vectors beyond it.</summary>
    public const int SlackVectors = 10;
}
