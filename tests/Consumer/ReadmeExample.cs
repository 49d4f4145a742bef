using ConvAsMatrix;

namespace Consumer;

/// <summary>
/// The library example of README.md and of the ConvAsMatrix package's README, between the markers, verbatim
/// (ConvAsMatrix.Tests compiles this file too, and PackageReadmeTests compares both READMEs with it).
/// </summary>
public static class ReadmeExample
{
    /// <summary>Runs the example and returns what it computed.</summary>
    public static (ConvolutionMatrix<long> V, bool Same, long[] Y, Tensor<long> Yt, long[] Z, Tensor<long> Zt) Run()
    {
        // --- README example begins ---
        // A 2-D strided convolution: 1 sample, 2 -> 3 channels, 5x5 input, 3x3 kernel, stride 2, padding 1.
        var geometry = ConvGeometry.ForConv(inputShape: [1, 2, 5, 5], weightShape: [3, 2, 3, 3],
            new ConvOptions { Stride = [2], Padding = 1 });
        var weight = Tensor.Arange<long>(geometry.WeightShape);       // any kernel values
        var V = ConvolutionMatrix<long>.Compile(weight, geometry);    // 27 x 50, compressed rows

        var x = Tensor.Arange<long>(geometry.InputShape);
        var y = new long[V.RowCount];
        V.Multiply(x.Data, y);                                        // conv:           y = V·x
        var z = new long[V.ColumnCount];
        V.TransposeMultiply(y, z);                                    // conv_transpose: z = Vᵀ·y

        var scatter = new long[z.Length];
        DirectScatter.Apply<long>(geometry, y, weight.Data, scatter); // the seed's trans_conv, generalised
        bool same = z.SequenceEqual(scatter);                         // true, exactly

        // The same through the torch.nn.functional-style API (ConvTranspose weight layout (Cin, Cout/groups, *k)):
        var yt = Functional.Conv(x, weight, options: new ConvOptions { Stride = [2], Padding = 1 });
        var zt = Functional.ConvTranspose(yt, weight, options: new ConvTransposeOptions { Stride = [2], Padding = 1 });
        // --- README example ends ---
        return (V, same, y, yt, z, zt);
    }
}
