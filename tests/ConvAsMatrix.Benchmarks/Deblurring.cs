namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The deblurring problem of the solver benchmarks and tests (tests/ConvAsMatrix.Tests compiles this file too): a 5×5
/// Gaussian blur (σ = 1 pixel) per channel, zero padding 2, optionally with cross-talk between channels.
/// </summary>
internal static class Deblurring
{
    /// <summary>The weight (C, C, 5, 5): the normalised Gaussian on the diagonal channel pairs, <paramref name="crosstalk"/> times it off the diagonal.</summary>
    public static double[] Weight(int channels = 1, double crosstalk = 0)
    {
        var w = new double[channels * channels * 25];
        double total = 0;
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) total += Tap(i, j);
        for (int o = 0; o < channels; o++)
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < 5; i++)
                    for (int j = 0; j < 5; j++)
                        w[((o * channels + c) * 5 + i) * 5 + j] = (o == c ? 1 : crosstalk) * Tap(i, j) / total;
        return w;
    }

    /// <summary>The geometry of a batch of n×n images with <paramref name="channels"/> channels.</summary>
    public static ConvGeometry Geometry(int n, int channels = 1, int batch = 1) =>
        ConvGeometry.ForConv([batch, channels, n, n], [channels, channels, 5, 5], new ConvOptions { Padding = 2 });

    /// <summary>V of the blur of one n×n image with <paramref name="channels"/> channels.</summary>
    public static ConvolutionMatrix<double> Matrix(int n, int channels = 1, double crosstalk = 0) =>
        ConvolutionMatrix<double>.Compile(Weight(channels, crosstalk), Geometry(n, channels));

    private static double Tap(int i, int j) => Math.Exp(-((i - 2) * (i - 2) + (j - 2) * (j - 2)) / 2.0);
}
