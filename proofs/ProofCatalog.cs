namespace ConvAsMatrix.Proofs;

/// <summary>
/// Every proof, in the order a student should read them. <c>dotnet run --project proofs</c> runs them in this order.
/// </summary>
/// <remarks>
/// HOW TO ADD A PROOF (one file + one line):
/// 1. Create <c>proofs/Claims/&lt;TheClaimInPascalCase&gt;.cs</c> with <c>public sealed class TheClaimInPascalCase : Proof</c>.
///    Override <see cref="Proof.Claim"/> (one English line) and <see cref="Proof.Run"/>: quote the seed with
///    <c>page.Seed(original, english)</c> where it makes the claim, compute with exact numbers (long, BigInteger or
///    <see cref="Symbolic"/>), print with <c>page.Show</c> / <c>page.Table</c>, draw with <c>page.Figure</c> (a
///    <see cref="Figure"/> computed from the library), and record every comparison with <c>page.Check</c> /
///    <c>page.CheckEqual</c> against an independent path (<see cref="SeedCode"/>, <see cref="Probe"/>, the direct
///    references, a hand-built matrix, PyTorch's numbers). Never print a verdict yourself: the runner computes it.
///    Its command-line name is the class name in kebab-case (override <see cref="Proof.Name"/> to change it).
/// 2. Add <c>new TheClaimInPascalCase(),</c> to <see cref="All"/> below, where it belongs in the reading order.
/// The test suite runs every proof listed here and fails if a <see cref="Proof"/> in this assembly is not listed.
/// The proof appears in the terminal and, with <c>--html DIR</c>, on the web site (<see cref="SiteWriter"/>) with no
/// other change: both render the blocks its page recorded.
/// </remarks>
public static class ProofCatalog
{
    /// <summary>The proofs, in reading order.</summary>
    public static IReadOnlyList<Proof> All { get; } =
    [
        new TransposedConvolutionScatters(),
        new TransposedOutputSize(),
        new Kernel2MatrixIsV(),
        new ShapeRoundTrip(),
        new VWithSymbolicKernel(),
        new TransposeIsTheGradient(),
        new TransposeIsNotInverse(),
        new DoublyBlockToeplitz(),
        new ChannelsAreBlocks(),
        new GroupsAreBlockDiagonal(),
        new DilationSpreadsTaps(),
        new PaddingModesAsMatrices(),
        new DeconvolutionDeblurs(),
        new ChoosingLambda(),
        new WeightGradientIsACorrelation(),
    ];
}
