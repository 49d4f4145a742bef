using ConvAsMatrix.Fuzz;

namespace ConvAsMatrix.Tests.Fuzz;

/// <summary>
/// Every committed fuzz input — the seed corpus of each target and every input afl-fuzz found that broke a
/// target's property (tests/ConvAsMatrix.Fuzz/regressions/TARGET/, one file per fixed crash) — replayed through the
/// target's property in-process: parses or throws the documented exception, within the allocation bound.
/// </summary>
public class FuzzRegressionTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "fuzz");

    /// <summary>(target, folder, file) for every committed input.</summary>
    public static TheoryData<string, string, string> Inputs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var folder in new[] { "corpus", "regressions" })
            foreach (var target in FuzzTargets.All)
            {
                var dir = Path.Combine(Root, folder, target.Name);
                if (!Directory.Exists(dir)) continue;
                foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
                    data.Add(target.Name, folder, Path.GetFileName(file));
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Inputs))]
    public void InputKeepsTheProperty(string target, string folder, string file) =>
        FuzzTargets.Get(target).Check(File.ReadAllBytes(Path.Combine(Root, folder, target, file)));

    [Fact]
    public void EveryTargetHasASeedCorpus()
    {
        foreach (var target in FuzzTargets.All)
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(Root, "corpus", target.Name)));
    }
}
