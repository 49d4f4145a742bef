using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The blocked kernels against the direct references over random valid geometries (every rank, padding style and
/// mode, groups, stride, dilation, output_padding, conv and conv_transpose; 1–9 channels per group, so both the
/// single-channel and the 4-channel tiles run, <see cref="GeometryArbitraries.KernelSpec"/>), on every path this process runs
/// natively (<see cref="KernelChecks.Native"/>: each accelerated width and scalar, both tile shapes). The data are
/// small integers, so every product and partial sum is exact in double and float: the kernels must agree with the
/// long references exactly.
/// </summary>
[Trait("Category", "Kernel")]
public class BlockedProperties
{
    /// <summary>Cases for the emulated widths: .NET runs them as two halves (or element by element), 10–100× slower.</summary>
    private const int EmulatedCases = 12;

    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) })]
    public void ForwardEqualsDirectCorrelationExactly(GeometrySpec s) => KernelAssert.Passes(KernelChecks.ExactForward(s, KernelChecks.Native));

    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) })]
    public void AdjointEqualsDirectScatterExactly(GeometrySpec s) => KernelAssert.Passes(KernelChecks.ExactAdjoint(s, KernelChecks.Native));

    /// <summary>
    /// The widths this process does not accelerate (AVX-512 on an AVX2 machine; every width under
    /// <c>DOTNET_EnableHWIntrinsic=0</c>): never chosen by a compile, but the same kernel source, so a few cases each.
    /// </summary>
    [ConvProperty(Arbitrary = new[] { typeof(KernelArbitraries) }, MaxTest = EmulatedCases)]
    public void EmulatedWidthsEqualTheDirectLoopsExactly(GeometrySpec s)
    {
        KernelAssert.Passes(KernelChecks.ExactForward(s, KernelChecks.Emulated));
        KernelAssert.Passes(KernelChecks.ExactAdjoint(s, KernelChecks.Emulated));
    }
}
