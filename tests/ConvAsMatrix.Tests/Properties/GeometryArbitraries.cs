using FsCheck;
using FsCheck.Fluent;

namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// FsCheck generators and shrinkers of valid geometries (<see cref="GeometrySpec"/>). Ranges are small so that
/// 300 cases of a 3-D, multi-channel, batched convolution run in well under a second each.
/// </summary>
public static class GeometryArbitraries
{
    private static readonly PaddingMode[] Modes = Enum.GetValues<PaddingMode>();

    /// <summary>One dimension; a 3-D kernel stays at most 3 wide to keep the direct references fast.</summary>
    /// <param name="rank">Spatial rank of the geometry.</param>
    /// <param name="large">Inputs well above the minimum, so that V is big enough to be compiled on several threads.</param>
    public static Gen<DimSpec> Dim(int rank, bool large = false) =>
        from kernel in Gen.Choose(1, rank == 3 ? 3 : 4)
        from stride in Gen.Choose(1, 3)
        from dilation in Gen.Choose(1, 3)
        from before in Gen.Choose(0, 3)
        from after in Gen.Choose(0, 3)
        from extra in large ? Gen.Choose(rank switch { 1 => 200, 2 => 12, _ => 5 }, rank switch { 1 => 400, 2 => 24, _ => 8 }) : Gen.Choose(0, rank == 3 ? 2 : 4)
        from opSeed in Gen.Choose(0, 2)
        select new DimSpec(kernel, stride, dilation, before, after, extra, opSeed);

    /// <param name="kind">conv or conv_transpose.</param>
    /// <param name="large">See <see cref="Dim"/>; also up to 4 channels per group.</param>
    /// <param name="perGroup">The most channels per group, in and out (default 2, or 4 when <paramref name="large"/>).</param>
    public static Gen<GeometrySpec> SpecOf(SpecKind kind, bool large = false, int? perGroup = null) =>
        from rank in Gen.Choose(1, 3)
        from dims in Gen.ArrayOf(Dim(rank, large), rank)
        from batch in Gen.Choose(1, 2)
        from groups in Gen.Choose(1, 3)
        from inPerGroup in Gen.Choose(1, perGroup ?? (large ? 4 : 2))
        from outPerGroup in Gen.Choose(1, perGroup ?? (large ? 4 : 2))
        from mode in Gen.Elements(Modes)
        from style in Gen.Elements(kind == SpecKind.Conv
            ? [PaddingStyle.Symmetric, PaddingStyle.Asymmetric, PaddingStyle.Same, PaddingStyle.Valid]
            : new[] { PaddingStyle.Symmetric, PaddingStyle.Asymmetric, PaddingStyle.Valid })
        from seed in Gen.Choose(0, int.MaxValue)
        select new GeometrySpec(kind, batch, groups, inPerGroup, outPerGroup, mode, style, dims, seed);

    /// <summary>Half conv, half conv_transpose geometries.</summary>
    public static Gen<GeometrySpec> AnySpec { get; } = Gen.OneOf(SpecOf(SpecKind.Conv), SpecOf(SpecKind.ConvTranspose));

    /// <summary>The Arbitrary the <see cref="ConvPropertyAttribute"/> registers for <see cref="GeometrySpec"/> parameters.</summary>
    public static Arbitrary<GeometrySpec> Geometry() => Arb.From(AnySpec, Shrink);

    /// <summary>
    /// Geometries with 1 to 9 channels per group, in and out, for the SIMD kernels' properties: the kernels tile output
    /// channels in blocks of 4 (4 × 3 or 4 × 6 vectors, by the register file) and fewer than 4 as single channels, the
    /// forward by output and the adjoint by input channels per group, so both tiles run, with their last, partial blocks.
    /// </summary>
    public static Gen<GeometrySpec> KernelSpec { get; } = Gen.OneOf(SpecOf(SpecKind.Conv, perGroup: 9), SpecOf(SpecKind.ConvTranspose, perGroup: 9));

    /// <summary>Geometries whose V has at least 2^16 entries: ParallelRows compiles those on several threads.</summary>
    public static Gen<GeometrySpec> LargeSpec { get; } =
        Gen.OneOf(SpecOf(SpecKind.Conv, large: true), SpecOf(SpecKind.ConvTranspose, large: true)).Where(s => s.Build().NonZeroCount >= 1 << 16);

    /// <summary>
    /// Smaller specs: one dimension fewer, or one parameter lowered (to its minimum, or by one). Every candidate is
    /// valid by construction, because sizes are derived from the parameters rather than stored.
    /// </summary>
    public static IEnumerable<GeometrySpec> Shrink(GeometrySpec s)
    {
        if (s.Rank > 1)
            for (int drop = 0; drop < s.Rank; drop++)
                yield return s with { Dims = s.Dims.Where((_, i) => i != drop).ToArray() };
        if (s.Batch > 1) yield return s with { Batch = 1 };
        if (s.Groups > 1) yield return s with { Groups = 1 };
        if (s.InPerGroup > 1) yield return s with { InPerGroup = 1 };
        if (s.OutPerGroup > 1) yield return s with { OutPerGroup = 1 };
        // One channel fewer too: a kernel failure on a partial block of 4 shrinks to the smallest such block.
        if (s.InPerGroup > 2) yield return s with { InPerGroup = s.InPerGroup - 1 };
        if (s.OutPerGroup > 2) yield return s with { OutPerGroup = s.OutPerGroup - 1 };
        if (s.Mode != PaddingMode.Zeros) yield return s with { Mode = PaddingMode.Zeros };
        if (s.Style is not PaddingStyle.Valid) yield return s with { Style = PaddingStyle.Valid };
        if (s.Style is PaddingStyle.Asymmetric or PaddingStyle.Same) yield return s with { Style = PaddingStyle.Symmetric };
        for (int d = 0; d < s.Rank; d++)
            foreach (var smaller in Shrink(s.Dims[d]))
            {
                var dims = (DimSpec[])s.Dims.Clone();
                dims[d] = smaller;
                yield return s with { Dims = dims };
            }
    }

    private static IEnumerable<DimSpec> Shrink(DimSpec d)
    {
        foreach (var (value, min, with) in new (int, int, Func<int, DimSpec>)[]
        {
            (d.Kernel, 1, v => d with { Kernel = v }),
            (d.Stride, 1, v => d with { Stride = v }),
            (d.Dilation, 1, v => d with { Dilation = v }),
            (d.Before, 0, v => d with { Before = v }),
            (d.After, 0, v => d with { After = v }),
            (d.Extra, 0, v => d with { Extra = v }),
            (d.OutputPaddingSeed, 0, v => d with { OutputPaddingSeed = v }),
        })
        {
            if (value > min) yield return with(min);
            if (value > min + 1) yield return with(value - 1);
        }
    }
}

/// <summary>The Arbitrary of <see cref="GeometrySpec"/> for the kernels' properties: <see cref="GeometryArbitraries.KernelSpec"/>, the same shrinker.</summary>
public static class KernelArbitraries
{
    public static Arbitrary<GeometrySpec> Geometry() => Arb.From(GeometryArbitraries.KernelSpec, GeometryArbitraries.Shrink);
}
