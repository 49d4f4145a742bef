using ConvAsMatrix.Tests.Solvers;
using FsCheck;
using FsCheck.Fluent;

namespace ConvAsMatrix.Tests.Spectrum;

/// <summary>A random circular, stride-1, same-size convolution (1-D to 3-D, channels, groups, dilation, uneven padding split).</summary>
public sealed record CircularCase(int Cin, int Cout, int Groups, int[] Size, int[] Kernel, int[] Dilation, int[] Before, int Seed)
{
    public ConvGeometry Geometry => ConvGeometry.ForConv([1, Cin, .. Size], [Cout, Cin / Groups, .. Kernel], new ConvOptions
    {
        Dilation = Dilation,
        Groups = Groups,
        PaddingMode = PaddingMode.Circular,
        Padding = Padding.Asymmetric([.. Before.Select((b, d) => (b, Dilation[d] * (Kernel[d] - 1) - b))]),
    });

    public double[] Weight => Problems.Gaussian(new Random(Seed), Geometry.WeightLength);

    public override string ToString() =>
        $"cin {Cin}, cout {Cout}, groups {Groups}, size ({string.Join(",", Size)}), k ({string.Join(",", Kernel)}), d ({string.Join(",", Dilation)}), before ({string.Join(",", Before)}), seed {Seed}";

    /// <summary>Every case drawn from one seed, so a failing case is reproduced from the seed it prints. Sizes stay
    /// small enough for a dense SVD of V in milliseconds (at most 4·3³ = 108 columns).</summary>
    public static CircularCase FromSeed(int seed)
    {
        var random = new Random(seed);
        int rank = random.Next(1, 4), groups = random.Next(1, 3);
        int cin = groups * random.Next(1, groups == 1 ? 4 : 3), cout = groups * random.Next(1, groups == 1 ? 4 : 3);
        int maxSize = rank == 3 ? 3 : rank == 2 ? 5 : 8;
        var size = new int[rank];
        var kernel = new int[rank];
        var dilation = new int[rank];
        var before = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            size[d] = random.Next(2, maxSize + 1);
            dilation[d] = random.Next(1, 3);
            kernel[d] = random.Next(1, 4);
            // PyTorch's circular limit: each side's padding ≤ the size, so before + after = d·(k − 1) ≤ 2·size.
            while (dilation[d] * (kernel[d] - 1) > 2 * size[d]) kernel[d]--;
            int total = dilation[d] * (kernel[d] - 1);
            before[d] = random.Next(Math.Max(0, total - size[d]), Math.Min(total, size[d]) + 1);
        }
        return new CircularCase(cin, cout, groups, size, kernel, dilation, before, seed);
    }

    public static Gen<CircularCase> Generator => Gen.Choose(0, int.MaxValue - 1).Select(FromSeed);

    public static Arbitrary<CircularCase> Arbitrary => Arb.From(Generator);
}
