using System.Text;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// One claim of the lecture note, proved by computation. A proof is read top to bottom by a student:
/// <see cref="Run"/> states the claim (quoting the seed), computes, shows the matrices, tensors and figures, and
/// records each check on the <see cref="ProofPage"/>, which the terminal and the web site both render. The verdict is never written by hand: a proof PASSes
/// only when it recorded at least one check and every check held (and nothing threw).
/// </summary>
/// <remarks>
/// To add a proof: write one file in <c>proofs/Claims/</c> named after its claim, with a class deriving from
/// <see cref="Proof"/>, and add one line to <see cref="ProofCatalog.All"/>. Every check must compare the
/// library against an independent path (the seed's own code ported in <see cref="SeedCode"/>, the direct
/// loops, probing with unit vectors, a hand-built matrix, PyTorch's printed numbers), so that a wrong library
/// makes the proof FAIL.
/// </remarks>
public abstract class Proof
{
    /// <summary>
    /// The command-line name, kebab-case; by default derived from the class name
    /// (<c>TransposeIsNotInverse</c> → <c>transpose-is-not-inverse</c>).
    /// </summary>
    public virtual string Name => KebabCase(GetType().Name);

    /// <summary>The claim in one English line.</summary>
    public abstract string Claim { get; }

    /// <summary>
    /// The proof's geometry in the explorer (src/ConvAsMatrix.Explorer): its page links there, so a reader can change the
    /// settings the proof fixes. Within the explorer's limits (rank 1 or 2, at most 26 channel pairs).
    /// </summary>
    public abstract ExplorerQuery Explore { get; }

    /// <summary>States, computes, prints and checks: the body of the proof.</summary>
    /// <param name="page">Where the proof writes its text and records its checks.</param>
    public abstract void Run(ProofPage page);

    /// <summary>"TransposeIsNotInverse" → "transpose-is-not-inverse"; digits stay with the word before them.</summary>
    public static string KebabCase(string pascal)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0) sb.Append('-');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
