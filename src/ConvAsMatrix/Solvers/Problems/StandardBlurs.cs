namespace ConvAsMatrix.Solvers;

/// <summary>A blur of the standard test set: its name as tables print it, and its kernel.</summary>
/// <param name="Name">For example "Gaussian 9×9 σ1.6".</param>
/// <param name="Kernel">(1, 1, k, k), non-negative, summing to 1.</param>
public sealed record NamedBlur(string Name, Tensor<double> Kernel);

/// <summary>
/// The four blurs of the deblurring test set that the tests, the lambda-rules benchmark, docs/solvers.md's table and the
/// proof page "choosing λ" share (IR Tools' PRblur kinds): Gaussian, linear motion at an angle, defocus, and an anisotropic
/// separable blur. Each is combined with <see cref="BlurBoundary"/> zero/reflect/periodic, <see cref="Phantoms"/> and
/// noise of 0.1 %, 1 %, 5 % by <see cref="BlurProblem.Create"/>.
/// </summary>
public static class StandardBlurs
{
    /// <summary>Gaussian 9×9, σ 1.6 pixels.</summary>
    public static NamedBlur Gaussian { get; } = new("Gaussian 9×9 σ1.6", BlurKernels.Gaussian(9, 1.6));

    /// <summary>Linear motion over 11 pixels at 30° (counter-clockwise from a row).</summary>
    public static NamedBlur Motion { get; } = new("motion 11 px 30°", BlurKernels.Motion(11, 30));

    /// <summary>Defocus: the disc of radius 3 pixels.</summary>
    public static NamedBlur Defocus { get; } = new("disc r3", BlurKernels.Defocus(3));

    /// <summary>Separable and anisotropic: a Gaussian profile of σ 2.2 pixels down the columns times one of σ 0.8 along the rows, 9×9.</summary>
    public static NamedBlur Separable { get; } = new("separable 9×9 σ2.2×0.8", BlurKernels.Separable(Profile(9, 2.2), Profile(9, 0.8)));

    /// <summary>The four, in table order.</summary>
    public static IReadOnlyList<NamedBlur> All { get; } = [Gaussian, Motion, Defocus, Separable];

    private static double[] Profile(int size, double sigma)
    {
        var p = new double[size];
        for (int i = 0; i < size; i++) p[i] = Math.Exp(-(i - size / 2) * (i - size / 2) / (2 * sigma * sigma));
        return p;
    }
}
