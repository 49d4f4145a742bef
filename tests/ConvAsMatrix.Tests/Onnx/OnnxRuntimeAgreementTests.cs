using ConvAsMatrix.Onnx;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Onnx;

/// <summary>
/// ONNX Runtime's Conv and ConvTranspose against V, for every attribute combination (<see cref="AttributeCombinations"/>),
/// 1-D to 3-D: each (rank, op) is one model of independent branches, run once; each branch's output must equal
/// V·x + b (Vᵀ·x + b) within <see cref="OnnxVerification"/>'s tolerance, except the pinned cases where ONNX Runtime
/// departs from ONNX's reference semantics (which the library follows).
/// </summary>
public class OnnxRuntimeAgreementTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> Cases() => new() { { "Conv", 1 }, { "Conv", 2 }, { "Conv", 3 }, { "ConvTranspose", 1 }, { "ConvTranspose", 2 }, { "ConvTranspose", 3 } };

    /// <summary>
    /// Every branch agrees with V except where ONNX Runtime 1.31.1 departs from ONNX's semantics (which the library
    /// follows); those are classified by <see cref="OnnxRuntimeDifferences"/>, and each classified branch must differ
    /// with that class's message — so the list of differences is exact in both directions.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryAttributeCombinationAgreesWithVExceptTheKnownDifferences(string op, int rank)
    {
        var specs = op == "Conv" ? AttributeCombinations.Conv(rank) : AttributeCombinations.ConvTranspose(rank);
        var results = Check(specs, seed: 100 * rank + op.Length);
        var agreeing = results.Where(r => r.Comparison is { Agrees: true }).ToArray();
        output.WriteLine($"{op} {rank}-D: {specs.Count} combinations, {agreeing.Length} agree with V; largest abs error {agreeing.Max(r => r.Comparison!.MaxAbsError):G3}, worst {agreeing.Max(r => r.Comparison!.WorstRatio):G3} of tolerance");
        foreach (var group in results.GroupBy(r => OnnxRuntimeDifferences.Classify(r.Spec)?.Id ?? "agrees"))
            output.WriteLine($"  {group.Key}: {group.Count()}");
        Assert.All(results, r =>
        {
            var known = OnnxRuntimeDifferences.Classify(r.Spec);
            // DifferingElements counts the elements beyond their tolerance: none exactly when the layer agrees.
            if (r.Comparison is { ShapeProblem: null } c) Assert.Equal(c.Agrees, c.DifferingElements == 0);
            var what = r.Refusal ?? r.Comparison!.ShapeProblem ?? $"max abs err {r.Comparison.MaxAbsError:G3}, {r.Comparison.WorstRatio:G3} of tolerance";
            if (known is null) Assert.True(r.Comparison is { Agrees: true }, $"{r.Spec}: {what}");
            else Assert.True(r.Comparison is not { Agrees: true } && known.Matches(what), $"{r.Spec}: expected '{string.Join("' or '", known.Messages)}' ({known.Id}), got: {what}");
        });
    }

    /// <summary>
    /// Runs all specs as one model; when ONNX Runtime refuses it, each spec alone, to find the ones it refuses
    /// (their <c>Refusal</c> is ONNX Runtime's status message, and no comparison is made).
    /// </summary>
    internal static IReadOnlyList<(ConvSpec Spec, LayerComparison? Comparison, string? Refusal)> Check(IReadOnlyList<ConvSpec> specs, int seed)
    {
        try
        {
            return Run(specs, seed).Select((c, i) => (specs[i], (LayerComparison?)c, (string?)null)).ToArray();
        }
        catch (ArgumentException) when (specs.Count > 1)
        {
            return specs.Select((s, i) =>
            {
                try { return (s, (LayerComparison?)Run([s], seed + i)[0], (string?)null); }
                catch (ArgumentException e) { return (s, null, "ONNX Runtime refuses it: " + e.Message.Split("Status Message: ").Last().Split(" (Parameter")[0]); }
            }).ToArray();
        }
    }

    private static LayerComparison[] Run(IReadOnlyList<ConvSpec> specs, int seed)
    {
        var model = OnnxBuilder.Load(OnnxBuilder.Branches(specs, seed));
        var random = new Random(seed);
        var inputs = specs.Select(s => OnnxBuilder.RandomTensor(s.InputShape, random)).ToArray();
        var activations = OnnxRuntimeProbe.Run(model, inputs);
        Assert.Equal(specs.Count, activations.Count);
        return activations.Select(OnnxVerification.Compare).ToArray();
    }
}
