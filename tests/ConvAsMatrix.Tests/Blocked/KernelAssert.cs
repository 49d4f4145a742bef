namespace ConvAsMatrix.Tests.Blocked;

/// <summary>xunit's side of <see cref="KernelChecks"/>: a failure's whole text (every failing path) becomes the assertion's message.</summary>
internal static class KernelAssert
{
    public static void Passes(string? failure) => Assert.True(failure is null, failure);
}
