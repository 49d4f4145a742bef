namespace ConvAsMatrix.Proofs;

/// <summary>One recorded check: what was claimed and whether the computation bore it out.</summary>
/// <param name="Statement">The check in words.</param>
/// <param name="Holds">The computed outcome.</param>
public sealed record ProofCheck(string Statement, bool Holds);

/// <summary>What running one proof produced: its checks, any exception, and the computed verdict.</summary>
/// <param name="Proof">The proof that ran.</param>
/// <param name="Checks">Every check it recorded, in order.</param>
/// <param name="Error">The exception that stopped it, if any.</param>
public sealed record ProofResult(Proof Proof, IReadOnlyList<ProofCheck> Checks, Exception? Error)
{
    /// <summary>Everything the proof wrote on its page, in order (for rendering it again, e.g. as a web page).</summary>
    public IReadOnlyList<PageBlock> Blocks { get; init; } = [];

    /// <summary>PASS only if the proof ran to the end, recorded at least one check, and every check held: an empty proof proves nothing.</summary>
    public bool Passed => Error is null && Checks.Count > 0 && Checks.All(c => c.Holds);

    /// <summary>"PASS" or "FAIL".</summary>
    public string Verdict => Passed ? "PASS" : "FAIL";

    /// <summary>Why the verdict is what it is, in one line.</summary>
    public string Summary
    {
        get
        {
            int held = Checks.Count(c => c.Holds);
            if (Error is not null) return $"stopped by {Error.GetType().Name}: {Error.Message} ({held} of {Checks.Count} checks held before)";
            if (Checks.Count == 0) return "no check was recorded, so nothing was proved";
            return $"{held} of {Checks.Count} checks hold";
        }
    }
}
