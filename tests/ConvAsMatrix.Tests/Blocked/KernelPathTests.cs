namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// Which path this process compiles. tests/kernel-paths.sh reruns the kernel tests under each of the runtime's knobs
/// (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0, DOTNET_EnableHWIntrinsic=0, and on ARM64) with
/// <see cref="KernelChecks.ExpectVariable"/> set to the path that knob must give, so a knob that silently stops working, or a path
/// chosen wrongly, fails here rather than leaving the other kernel tests to pass on an unexpected path.
/// </summary>
[Trait("Category", "Kernel")]
public class KernelPathTests
{
    private static readonly string[] Names = ["avx512+fma", "avx512", "avx2+fma", "avx2", "vector128+fma", "vector128", "scalar+fma", "scalar"];

    /// <summary>
    /// With <see cref="KernelChecks.ExpectVariable"/> set: <see cref="KernelPath.Best"/> and the paths a compiled StructuredConvolution of
    /// double and of float report are that one. Unset: Best follows the runtime's own IsHardwareAccelerated flags.
    /// </summary>
    [Fact]
    public void CompiledPathIsTheExpectedOne()
    {
        string? expected = Environment.GetEnvironmentVariable(KernelChecks.ExpectVariable);
        KernelAssert.Passes(string.IsNullOrEmpty(expected) ? KernelChecks.PathInconsistencies() : KernelChecks.PathMismatches(expected));
    }

    /// <summary>The check above can fail: every other name, and a misspelt one, is a mismatch.</summary>
    [Fact]
    public void AWrongExpectationFails()
    {
        KernelAssert.Passes(KernelChecks.PathMismatches(KernelPath.Best.Name));
        foreach (var name in Names.Where(n => n != KernelPath.Best.Name).Append("avx2-fma"))
            Assert.NotNull(KernelChecks.PathMismatches(name));
    }

    /// <summary>The paths the kernel tests sweep: every supported width with both tile shapes, and the emulated rest.</summary>
    [Fact]
    public void TheSweepCoversEveryWidthAndBothTiles()
    {
        var native = KernelChecks.Native;
        Assert.Equal(KernelPath.Supported().Length * 2, native.Length);
        Assert.Equal(KernelPath.Supported().Select(p => p.VectorBits), native.Select(p => p.VectorBits).Distinct());
        Assert.All(native.GroupBy(p => p.VectorBits), width => Assert.Equal([16, 32], width.Select(p => p.VectorRegisters).Order()));
        Assert.Contains(KernelPath.Best.VectorBits, native.Select(p => p.VectorBits));
        Assert.Equal([0, 128, 256, 512], native.Concat(KernelChecks.Emulated).Select(p => p.VectorBits).Distinct().Order());
    }
}
