using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The blocked kernels against the direct references over random valid geometries (every rank, padding style and
/// mode, groups, stride, dilation, output_padding, conv and conv_transpose). The data are small integers, so every
/// product and partial sum is exact in double and float: the kernels must agree with the long references exactly.
/// </summary>
public class BlockedProperties
{
    [ConvProperty]
    public void ForwardEqualsDirectCorrelationExactly(GeometrySpec s)
    {
        var (g, x, w, _) = Data(s);
        var expected = new long[g.Batch * g.OutputLength];
        DirectCorrelation.Apply<long>(g, x, w, expected);
        Assert.Equal(expected, Forward<double>(g, x, w));
        Assert.Equal(expected, Forward<float>(g, x, w));
    }

    [ConvProperty]
    public void AdjointEqualsDirectScatterExactly(GeometrySpec s)
    {
        var (g, _, w, y) = Data(s);
        var expected = new long[g.Batch * g.InputLength];
        DirectScatter.Apply<long>(g, y, w, expected);
        Assert.Equal(expected, Adjoint<double>(g, y, w));
        Assert.Equal(expected, Adjoint<float>(g, y, w));
    }

    private static (ConvGeometry G, long[] X, long[] W, long[] Y) Data(GeometrySpec s)
    {
        var (x, w, y) = s.Data();
        return (s.Build(), x, w, y);
    }

    /// <summary>V·x through the kernel of element type T, into an output pre-filled with garbage, back as long.</summary>
    internal static long[] Forward<T>(ConvGeometry g, long[] x, long[] w) where T : struct, System.Numerics.INumber<T>
    {
        var kernel = BlockedConvolution<T>.TryCreate(g, Convert<T>(w))!;
        var output = Garbage<T>(g.Batch * g.OutputLength);
        kernel.Forward(Convert<T>(x), output, g.Batch);
        return output.Select(long.CreateChecked).ToArray();
    }

    /// <summary>Vᵀ·y through the kernel of element type T, into an output pre-filled with garbage, back as long.</summary>
    internal static long[] Adjoint<T>(ConvGeometry g, long[] y, long[] w) where T : struct, System.Numerics.INumber<T>
    {
        var kernel = BlockedConvolution<T>.TryCreate(g, Convert<T>(w))!;
        var output = Garbage<T>(g.Batch * g.InputLength);
        kernel.Adjoint(Convert<T>(y), output, g.Batch);
        return output.Select(long.CreateChecked).ToArray();
    }

    internal static T[] Convert<T>(long[] values) where T : System.Numerics.INumber<T> => values.Select(T.CreateChecked).ToArray();

    internal static T[] Garbage<T>(int length) where T : System.Numerics.INumber<T> => Enumerable.Repeat(T.CreateChecked(12345), length).ToArray();
}
