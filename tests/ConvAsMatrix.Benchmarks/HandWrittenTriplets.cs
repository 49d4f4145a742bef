namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// What a user writes by hand to get V without this library: loop over outputs, input channels and taps,
/// emit (row, column, weight) for every tap inside the input, and hand the triplets to MathNet's
/// <c>SparseMatrix.OfIndexed</c>. Zero padding only (all workloads use it); independent of the library's
/// sampling maps, so it also cross-checks the compiled V (<see cref="CompileBenchmarks"/> asserts equal nnz).
/// </summary>
public static class HandWrittenTriplets
{
    public static IEnumerable<(int Row, int Column, double Value)> Of(ConvGeometry g, double[] weight)
    {
        int[] input = Pad(g.InputSize), output = Pad(g.OutputSize), kernel = Pad(g.KernelSize);
        int[] stride = Pad(g.Stride), dilation = Pad(g.Dilation), before = [0, 0, 0];
        for (int d = 0; d < g.Rank; d++) before[3 - g.Rank + d] = g.PaddingBefore[d];
        int cig = g.InChannels / g.Groups, cog = g.OutChannels / g.Groups;
        int row = 0;
        for (int co = 0; co < g.OutChannels; co++)
            for (int o0 = 0; o0 < output[0]; o0++)
                for (int o1 = 0; o1 < output[1]; o1++)
                    for (int o2 = 0; o2 < output[2]; o2++, row++)
                        for (int c = 0; c < cig; c++)
                        {
                            int ci = co / cog * cig + c;
                            for (int t0 = 0; t0 < kernel[0]; t0++)
                            {
                                int i0 = o0 * stride[0] - before[0] + t0 * dilation[0];
                                if (i0 < 0 || i0 >= input[0]) continue;
                                for (int t1 = 0; t1 < kernel[1]; t1++)
                                {
                                    int i1 = o1 * stride[1] - before[1] + t1 * dilation[1];
                                    if (i1 < 0 || i1 >= input[1]) continue;
                                    for (int t2 = 0; t2 < kernel[2]; t2++)
                                    {
                                        int i2 = o2 * stride[2] - before[2] + t2 * dilation[2];
                                        if (i2 < 0 || i2 >= input[2]) continue;
                                        int column = ((ci * input[0] + i0) * input[1] + i1) * input[2] + i2;
                                        int tap = (((co * cig + c) * kernel[0] + t0) * kernel[1] + t1) * kernel[2] + t2;
                                        yield return (row, column, weight[tap]);
                                    }
                                }
                            }
                        }
    }

    private static int[] Pad(IReadOnlyList<int> values) => [.. Enumerable.Repeat(1, 3 - values.Count), .. values];
}
