namespace ConvAsMatrix.Tests.Solvers;

/// <summary>The deblurring problem of the solver tests and benchmarks: a 5×5 Gaussian blur (σ = 1 pixel) per channel, zero padding 2.</summary>
internal static class Deblurring
{
    /// <summary>The weight (C, C, 5, 5): the normalised Gaussian on the diagonal channel pairs, zero elsewhere.</summary>
    public static double[] Weight(int channels = 1)
    {
        var w = new double[channels * channels * 25];
        double total = 0;
        for (int i = 0; i < 5; i++) for (int j = 0; j < 5; j++) total += Math.Exp(-((i - 2) * (i - 2) + (j - 2) * (j - 2)) / 2.0);
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 5; j++)
                    w[((c * channels + c) * 5 + i) * 5 + j] = Math.Exp(-((i - 2) * (i - 2) + (j - 2) * (j - 2)) / 2.0) / total;
        return w;
    }

    /// <summary>V of the blur of one n×n image with <paramref name="channels"/> channels.</summary>
    public static ConvolutionMatrix<double> Matrix(int n, int channels = 1) =>
        ConvolutionMatrix<double>.Compile(Weight(channels), ConvGeometry.ForConv([1, channels, n, n], [channels, channels, 5, 5], new ConvOptions { Padding = 2 }));
}
