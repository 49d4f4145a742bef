namespace ConvAsMatrix.Tests.Solvers;

/// <summary>Two doubles are equal when they differ by at most <paramref name="epsilon"/>: for Assert.Equal on whole arrays.</summary>
public sealed class AbsoluteTolerance(double epsilon) : IEqualityComparer<double>
{
    public bool Equals(double a, double b) => Math.Abs(a - b) <= epsilon;

    public int GetHashCode(double v) => 0;
}
