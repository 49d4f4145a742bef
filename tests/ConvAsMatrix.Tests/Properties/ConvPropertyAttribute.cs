using FsCheck.Xunit;

namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// [Property] with this project's defaults: 300 cases per property (the minimum for CI) and the
/// generators of valid and invalid geometries and of sparse matrices. Pin a failing run with <c>Replay = "seed,gamma"</c>.
/// </summary>
public sealed class ConvPropertyAttribute : PropertyAttribute
{
    /// <summary>Cases each property runs.</summary>
    public const int Cases = 300;

    public ConvPropertyAttribute()
    {
        MaxTest = Cases;
        Arbitrary = [typeof(GeometryArbitraries), typeof(Validation.InvalidArbitraries), typeof(Storage.SparseArbitraries)];
        QuietOnSuccess = true;
    }
}
