namespace ConvAsMatrix.Proofs;

/// <summary>
/// Runs proofs and prints them: all of them, the ones named, or just their list. The exit code is 0 when every
/// proof run PASSed, 1 when any FAILed (the last line names them), 2 for a usage error.
/// </summary>
public sealed class ProofRunner
{
    /// <summary>Exit code when every proof run passed.</summary>
    public const int Success = 0;

    /// <summary>Exit code when at least one proof failed.</summary>
    public const int Failure = 1;

    /// <summary>Exit code for a usage error (unknown option or proof name).</summary>
    public const int UsageError = 2;

    private const string Usage = "usage: dotnet run --project proofs [-- --list | --html DIR | <name>...]";
    private readonly IReadOnlyList<Proof> proofs;
    private readonly TextWriter output, error;

    /// <summary>A runner over <paramref name="proofs"/>, in the order given.</summary>
    /// <exception cref="ArgumentException">Two proofs share a name.</exception>
    public ProofRunner(IReadOnlyList<Proof> proofs, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(proofs);
        var duplicate = proofs.GroupBy(p => p.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"two proofs are named '{duplicate.Key}'", nameof(proofs));
        this.proofs = proofs;
        this.output = output;
        this.error = error;
    }

    /// <summary>The command line: no argument runs every proof; <c>--list</c> lists them; names run those proofs.</summary>
    public int Main(IReadOnlyList<string> args)
    {
        if (args.Count == 1 && args[0] is "--list" or "-l") return List();
        if (args.Count > 0 && args[0] == "--html") return Html(args);
        if (args.Count == 1 && args[0] is "--help" or "-h")
        {
            output.WriteLine(Usage);
            return Success;
        }
        var selected = new List<Proof>();
        foreach (var name in args)
        {
            var proof = proofs.FirstOrDefault(p => p.Name == name);
            if (proof is null)
            {
                error.WriteLine(name.StartsWith('-')
                    ? $"unknown option '{name}'; {Usage}"
                    : $"no proof named '{name}'; run with --list to see the {proofs.Count} proofs");
                return UsageError;
            }
            selected.Add(proof);
        }
        return RunAll(selected.Count == 0 ? proofs : selected);
    }

    /// <summary>Runs each proof in turn, prints it, then a summary; returns <see cref="Failure"/> if any failed.</summary>
    public int RunAll(IReadOnlyList<Proof> toRun)
    {
        var results = toRun.Select(Run).ToList();
        output.WriteLine();
        output.WriteLine(new string('═', 72));
        foreach (var r in results) output.WriteLine($"  {r.Verdict}  {r.Proof.Name,-32} {r.Summary}");
        output.WriteLine(Tally(results));
        return results.All(r => r.Passed) ? Success : Failure;
    }

    /// <summary>Runs one proof: prints its header, its page and its computed verdict. An exception is a FAIL, not a crash.</summary>
    public ProofResult Run(Proof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        int number = IndexOf(proof);
        output.WriteLine(new string('═', 72));
        output.WriteLine(number > 0 ? $"Proof {number} of {proofs.Count} · {proof.Name}" : $"Proof · {proof.Name}");
        foreach (var line in Wrap.Lines(proof.Claim)) output.WriteLine(line);
        output.WriteLine(new string('─', 72));
        var result = Execute(proof, new ProofPage(output));
        if (result.Error is { } e) output.WriteLine($"  ✗ stopped by {e.GetType().Name}: {e.Message}");
        output.WriteLine();
        output.WriteLine($"  Verdict: {result.Verdict} ({result.Summary})");
        output.WriteLine();
        return result;
    }

    /// <summary>Runs one proof without printing: its page's blocks are kept in the result, for the web site.</summary>
    public static ProofResult Collect(Proof proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return Execute(proof, new ProofPage());
    }

    /// <summary>Runs <paramref name="proof"/> on <paramref name="page"/>; an exception stops it and is kept as the result's error.</summary>
    private static ProofResult Execute(Proof proof, ProofPage page)
    {
        Exception? thrown = null;
        try { proof.Run(page); }
        catch (Exception e) { thrown = e; }
        return new ProofResult(proof, page.Checks.ToList(), thrown) { Blocks = page.Blocks.ToList() };
    }

    /// <summary><c>--html DIR</c>: runs every proof quietly and writes the web site; the exit code is the proofs' verdict.</summary>
    private int Html(IReadOnlyList<string> args)
    {
        if (args.Count != 2 || args[1].StartsWith('-'))
        {
            error.WriteLine($"--html needs exactly one directory; {Usage}");
            return UsageError;
        }
        if (File.Exists(args[1]))
        {
            error.WriteLine($"cannot write the site to '{args[1]}': it is a file, not a directory");
            return UsageError;
        }
        var results = proofs.Select(Collect).ToList();
        SiteSummary site;
        try { site = SiteWriter.Write(args[1], results); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            error.WriteLine($"cannot write the site to '{args[1]}': {e.Message}");
            return UsageError;
        }
        output.WriteLine($"wrote {site.Index} and {site.Pages} proof pages with {site.Figures} figures");
        output.WriteLine(Tally(results));
        return results.All(r => r.Passed) ? Success : Failure;
    }

    /// <summary>"13 of 13 proofs PASS." or "1 of 13 proofs FAIL: name, …".</summary>
    private static string Tally(IReadOnlyList<ProofResult> results)
    {
        var failed = results.Where(r => !r.Passed).Select(r => r.Proof.Name).ToList();
        return failed.Count == 0
            ? $"{results.Count} of {results.Count} proofs PASS."
            : $"{failed.Count} of {results.Count} proofs FAIL: {string.Join(", ", failed)}";
    }

    private int List()
    {
        int width = proofs.Count == 0 ? 0 : proofs.Max(p => p.Name.Length);
        for (int i = 0; i < proofs.Count; i++)
            output.WriteLine($"{i + 1,2}. {proofs[i].Name.PadRight(width)}  {proofs[i].Claim}");
        return Success;
    }

    private int IndexOf(Proof proof)
    {
        for (int i = 0; i < proofs.Count; i++) if (ReferenceEquals(proofs[i], proof)) return i + 1;
        return 0;
    }
}
