namespace ConvAsMatrix.Spectrum;

/// <summary>
/// A family of Hermitian matrices H(f), one per frequency of a grid, whose largest eigenvalue over the grid
/// <see cref="CirculantSpectrum"/> certifies: the stride-1 symbol's Gram (<see cref="FrequencyGram"/>) or the polyphase
/// one of a strided convolution (<see cref="PolyphaseGram"/>). H(−f) must have the eigenvalues of H(f) (a real
/// weight), so that one frequency of each pair f, −f is visited.
/// </summary>
internal interface IFrequencyGram
{
    /// <summary>The order of H.</summary>
    int Size { get; }

    /// <summary>A scale s with ‖fl(H) − H‖₂ ≤ γ_{4·<see cref="Accumulation"/>}·s for the computed fl(H).</summary>
    double AbsoluteFrobenius2 { get; }

    /// <summary>The longest sum of rounded products behind one entry of fl(H), phases included.</summary>
    int Accumulation { get; }

    /// <summary>Writes Re H(f) and Im H(f) (Size × Size row-major) for the frequency (f0, f1, f2) of the grid.</summary>
    void Build(int f0, int f1, int f2, Span<double> real, Span<double> imaginary);
}
