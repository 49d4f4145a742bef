namespace ConvAsMatrix;

/// <summary>
/// The register block of the micro-kernel: output channels per block × vectors per tile, and whether a tile's
/// vectors may lie anywhere (the wide blocks) or follow one another along one run (<see cref="Single"/>).
/// </summary>
/// <remarks>
/// <para>Wide, 4 channels × S vectors, for 4 or more output channels per group: 4·S accumulators, S loads and 4
/// broadcasts per 4·S multiply-adds, vectors from any row or phase (narrow 14-wide rows fill a tile from several
/// rows). S is sized to the register file (<see cref="KernelPath.VectorRegisters"/>): the kernel keeps 5·S + 1
/// vectors live (<see cref="MicroKernel"/>), one more without FMA, so S = 6 for 32 registers (AVX-512, ARM64),
/// S = 3 for 16 with FMA (AVX2) and S = 2 for 16 without (SSE, scalar). Among the blocks that fit 32 registers 4 × 6 maximises multiply-adds per load (24 per 10; 8 × 3
/// needs 24 per 11, 2 × 12 24 per 14); an 8 × 3 kernel was measured against 4 × 6 on an AMD Zen 4 (W2, W3, W5)
/// and was not faster (±5%). With 16 registers 4 × 3 (12 per 7) beats 2 × 6 (12 per 8) and leaves none spare.</para>
/// <para><see cref="Single"/>, 1 channel × 8 consecutive vectors, for 1 to 3 channels per group (image filtering,
/// depthwise): no lanes wasted on missing channels, and the 8 loads are one base address plus constant
/// displacements, which leaves the general-purpose registers free; 8 accumulators + 1 weight fit every register
/// file. A run's last tile may read up to 8 vectors past the run (into the next row or the buffer's slack) and
/// writes only the valid positions.</para>
/// </remarks>
internal readonly record struct TileShape(int Channels, int Slots, bool Consecutive)
{
    /// <summary>4 × 6: 32 vector registers.</summary>
    public static TileShape Wide32 { get; } = new(4, 6, false);

    /// <summary>4 × 3: 16 vector registers with FMA.</summary>
    public static TileShape Wide16 { get; } = new(4, 3, false);

    /// <summary>4 × 2: 16 vector registers without FMA.</summary>
    public static TileShape Wide16NoFma { get; } = new(4, 2, false);

    public static TileShape Single { get; } = new(1, 8, true);

    /// <summary>The shape for a group of <paramref name="channels"/> output channels on <paramref name="path"/>.</summary>
    public static TileShape For(int channels, KernelPath path) => channels < 4 ? Single : Wide(path);

    /// <summary>The wide shape sized to <paramref name="path"/>'s register file (the weight gradient's only shape).</summary>
    public static TileShape Wide(KernelPath path) => path.VectorRegisters >= 32 ? Wide32 : path.FusedMultiplyAdd ? Wide16 : Wide16NoFma;

    /// <summary>Vectors of slack a buffer needs past its last element: a Single tile at a run's end reads up to 8 vectors beyond it.</summary>
    public const int SlackVectors = 10;
}
