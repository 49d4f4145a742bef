using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Spectrum;

/// <summary>‖V‖₂ of a convolution as a certified interval: Lower ≤ ‖V‖₂ ≤ Upper, and the best single value.</summary>
/// <param name="Value">The best estimate: the exact value when <see cref="Exact"/>, otherwise the largest Rayleigh
/// quotient ‖V·x‖/‖x‖ found (a lower bound up to round-off).</param>
/// <param name="Lower">A lower bound: the Rayleigh quotient of an explicit vector, less its round-off.</param>
/// <param name="Upper">A proven upper bound, round-off included (see <see cref="SpectralNorm.Bound(LinearOperator, ReadOnlySpan{double}, ConvGeometry, double, int, CancellationToken, double)"/>).</param>
/// <param name="Exact">Whether <see cref="Value"/> is ‖V‖₂ itself to round-off: from the closed form (circular padding, V a row
/// permutation of a circular convolution or of a strided one), or for a small V from the dense Gram certificate (the interval
/// is then about 1e-9 wide).</param>
/// <param name="Method">How the two ends were obtained, in words.</param>
/// <param name="Iterations">Power steps on the operator (each one product with V and, unless it stopped there, one with Vᵀ).</param>
/// <param name="Seconds">Wall time of the whole computation.</param>
/// <param name="Status">Converged when the interval's relative width or the eigen-residual met the tolerance, or the lower end settled at 1 % of a width the upper end sets (or the value is exact); otherwise why the power iteration stopped.</param>
/// <param name="Residual">The power iteration's last eigen-residual ‖VᵀV·x − σ²·x‖/σ² (0 when exact, ∞ before the first Vᵀ product).</param>
public sealed record NormBound(double Value, double Lower, double Upper, bool Exact, string Method, int Iterations, double Seconds,
    SolverStatus Status, double Residual)
{
    /// <summary>(Upper − Lower) / Upper: the relative width of the interval (0 for the zero operator).</summary>
    public double RelativeWidth => Upper > 0 ? (Upper - Lower) / Upper : 0;

    /// <summary>One line: value, interval, method.</summary>
    public override string ToString() =>
        $"{Value:R} in [{Lower:R}, {Upper:R}] (relative width {RelativeWidth:G3}{(Exact ? ", exact" : "")}; {Method}; {Iterations} iterations, {Seconds:G3} s)";
}
