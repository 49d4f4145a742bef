namespace ConvAsMatrix.Tests;

/// <summary>The README's usage example, verbatim, so the README cannot drift from the API.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void StridedTwoDimensionalExample()
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

        Assert.Equal((27, 50, 294), (V.RowCount, V.ColumnCount, V.NonZerosCount));
        Assert.True(same);
        Assert.Equal(y, yt.Data);
        Assert.Equal(z, zt.Data);
        Assert.Equal(new[] { 1, 2, 5, 5 }, zt.Shape);
        Assert.Same(V.RowPointers, V.Transpose().ColumnPointers);
    }
}
