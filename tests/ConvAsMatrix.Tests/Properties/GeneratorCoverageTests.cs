using FsCheck.Fluent;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// The generator reaches every hyperparameter the properties are about, often enough that 300 cases cover
/// each many times; and its shrinker only yields valid, smaller geometries.
/// </summary>
public class GeneratorCoverageTests(ITestOutputHelper output)
{
    private static readonly GeometrySpec[] Sample = Gen.Sample(GeometryArbitraries.AnySpec, 1000, new FsCheck.Rnd(2026UL), 50);

    [Fact]
    public void EveryHyperparameterAppearsInAFewPercentOfCases()
    {
        var checks = new (string What, Func<GeometrySpec, bool> Has)[]
        {
            ("conv", s => s.Kind == SpecKind.Conv), ("conv_transpose", s => s.Kind == SpecKind.ConvTranspose),
            ("rank 1", s => s.Rank == 1), ("rank 2", s => s.Rank == 2), ("rank 3", s => s.Rank == 3),
            ("batch 2", s => s.Batch == 2), ("groups > 1", s => s.Groups > 1),
            ("zeros", s => s.Mode == PaddingMode.Zeros), ("reflect", s => s.Mode == PaddingMode.Reflect),
            ("replicate", s => s.Mode == PaddingMode.Replicate), ("circular", s => s.Mode == PaddingMode.Circular),
            ("symmetric", s => s.Style == PaddingStyle.Symmetric), ("asymmetric", s => s.Style == PaddingStyle.Asymmetric && s.PaddingBefore.Zip(s.PaddingAfter).Any(p => p.First != p.Second)),
            ("same", s => s.Style == PaddingStyle.Same), ("same, even kernel", s => s.Style == PaddingStyle.Same && s.Kernel.Any(k => k % 2 == 0)),
            ("valid", s => s.Style == PaddingStyle.Valid),
            ("stride > 1", s => s.Strides.Any(x => x > 1)), ("dilation > 1", s => s.Dilations.Any(x => x > 1)),
            ("output_padding > 0", s => s.OutputPaddings.Any(x => x > 0)),
            ("output_padding >= stride (cropped)", s => s.IsCropped),
            ("reflect pad = input - 1", s => s.Mode == PaddingMode.Reflect && Enumerable.Range(0, s.Rank).Any(d => Math.Max(s.Pad(d).Before, s.Pad(d).After) == s.InputSize(d) - 1)),
            ("circular pad = input", s => s.Mode == PaddingMode.Circular && Enumerable.Range(0, s.Rank).Any(d => Math.Max(s.Pad(d).Before, s.Pad(d).After) == s.InputSize(d))),
            ("output size 1", s => s.OutputSizes.Contains(1)),
        };
        foreach (var (what, has) in checks)
        {
            int count = Sample.Count(has);
            output.WriteLine($"{what}: {count} of {Sample.Length}");
            Assert.True(count >= 30, $"only {count} of {Sample.Length} cases have {what}");
        }
        output.WriteLine($"InputLength median {Median(s => s.Build().InputLength)}, max {Sample.Max(s => s.Build().InputLength)}; " +
                         $"nnz median {Median(s => s.Build().NonZeroCount)}, max {Sample.Max(s => s.Build().NonZeroCount)}");
    }

    [Fact]
    public void ShrinkingKeepsGeometriesValidAndMakesThemSmaller()
    {
        foreach (var s in Sample.Take(60))
            foreach (var smaller in GeometryArbitraries.Shrink(s))
            {
                Assert.NotEqual(s, smaller);
                var g = smaller.Build(); // throws if the shrunk spec were invalid
                Assert.Equal(smaller.OutputSizes, g.OutputSize);
            }
    }

    private static long Median(Func<GeometrySpec, long> f) => Sample.Select(f).Order().ElementAt(Sample.Length / 2);
}
