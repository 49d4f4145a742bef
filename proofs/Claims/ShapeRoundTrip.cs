namespace ConvAsMatrix.Proofs;

/// <summary>Proof 4: a transposed convolution with the same hyperparameters gives back the convolution's input shape, and when it does not.</summary>
public sealed class ShapeRoundTrip : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Transposed = true, Input = [5, 5], Kernel = [5, 5], Stride = [3], Padding = "2" };

    public override string Claim => "conv 10→20 (k5, p2, s3) then tconv returns (1, 10, 16, 16); output_padding fixes sizes that do not.";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "如果卷积将输入从 (h, w) 变成了 (h′, w′)\n  同样超参数的转置卷积则从 (h′, w′) 变回 (h, w)\n" +
            "X = torch.rand(size=(1, 10, 16, 16))\nconv = nn.Conv2d(10, 20, kernel_size=5, padding=2, stride=3)\n" +
            "tconv = nn.ConvTranspose2d(20, 10, kernel_size=5, padding=2, stride=3)\ntconv(conv(X)).shape == X.shape",
            "If a convolution takes the input from (h, w) to (h′, w′), the transposed convolution with the same\n" +
            "hyperparameters takes (h′, w′) back to (h, w).");

        var options = new ConvOptions { Stride = [3], Padding = 2 };
        var tOptions = new ConvTransposeOptions { Stride = [3], Padding = 2 };
        var x = Samples.Integers([1, 10, 16, 16], seed: 1);
        var convWeight = Samples.Integers([20, 10, 5, 5], seed: 2);   // nn.Conv2d(10, 20, 5).weight: (C_out, C_in, 5, 5)
        var tconvWeight = Samples.Integers([20, 10, 5, 5], seed: 3);  // nn.ConvTranspose2d(20, 10, 5).weight: (C_in, C_out, 5, 5)

        page.Heading("The shapes, through V and Vᵀ");
        var y = Functional.Conv(x, convWeight, options: options);
        var z = Functional.ConvTranspose(y, tconvWeight, options: tOptions);
        page.Say($"X: {Shape(x)}  →  conv(X): {Shape(y)}  →  tconv(conv(X)): {Shape(z)}");
        page.Say("conv:  h′ = ⌊(16 + 2·2 − 5) / 3⌋ + 1 = ⌊15 / 3⌋ + 1 = 6");
        page.Say("tconv: h  = 5 + (6 − 1)·3 − 2·2 = 16");
        page.CheckEqual("conv(X) has shape (1, 20, 6, 6), as torch prints", [1, 20, 6, 6], y.Shape);
        page.CheckEqual("tconv(conv(X)).shape == X.shape == (1, 10, 16, 16), as torch prints", x.Shape, z.Shape);
        page.CheckEqual("conv through V equals the direct correlation (integer data, exact)",
            Functional.Conv(x, convWeight, options: options, method: ConvMethod.Direct).Data, y.Data);
        page.CheckEqual("tconv through Vᵀ equals the direct scatter",
            Functional.ConvTranspose(y, tconvWeight, options: tOptions, method: ConvMethod.Direct).Data, z.Data);

        page.Heading("Why it round-trips here, and where it does not");
        page.Say("The convolution's floor drops r = (h + 2p − k) mod s input rows that no output reads; the transposed\n" +
                 "convolution cannot know them and returns h − r. output_padding = r adds them back (PyTorch allows r < stride).");
        var rows = new List<(int H, int Back, int WithR)>();
        var table = new List<IReadOnlyList<string>>();
        for (int h = 14; h <= 19; h++)
        {
            int hPrime = ConvGeometry.ForConv([1, 10, h, h], [20, 10, 5, 5], options).OutputSize[0];
            int back = TransposedSize(hPrime, 0);
            int r = (h + 2 * 2 - 5) % 3;
            int withR = TransposedSize(hPrime, r);
            table.Add([.. new[] { h, hPrime, back, r, withR }.Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            rows.Add((h, back + r, withR));
        }
        page.Table(["h", "conv h′", "tconv, output_padding 0", "r = (h + 4 − 5) mod 3", "tconv, output_padding r"], table);
        page.Check("for every h, tconv without output_padding returns h − r", rows.All(t => t.Back == t.H));
        page.Check("and with output_padding = r it returns h", rows.All(t => t.WithR == t.H));

        var x17 = Samples.Integers([1, 10, 17, 17], seed: 4);
        var y17 = Functional.Conv(x17, convWeight, options: options);
        var z17 = Functional.ConvTranspose(y17, tconvWeight, options: tOptions);
        var z17op = Functional.ConvTranspose(y17, tconvWeight, options: tOptions with { OutputPadding = [1] });
        page.Say($"\nX: {Shape(x17)} → conv: {Shape(y17)} → tconv: {Shape(z17)}\n  with output_padding=1, tconv: {Shape(z17op)}");
        page.CheckEqual("on 17×17 the round trip fails: torch also returns (1, 10, 16, 16)", [1, 10, 16, 16], z17.Shape);
        page.CheckEqual("output_padding=1 restores (1, 10, 17, 17)", x17.Shape, z17op.Shape);
        var vtvx = Functional.ConvTranspose(y, convWeight, options: tOptions);
        page.Check("the shape comes back, the values do not: even with the conv's own weight, Vᵀ·V·vec(X) ≠ vec(X) (see transpose-is-not-inverse)",
            vtvx.Shape.SequenceEqual(x.Shape) && !vtvx.Data.SequenceEqual(x.Data));
    }

    private static int TransposedSize(int input, int outputPadding) =>
        ConvGeometry.ForConvTranspose([1, 20, input, input], [20, 10, 5, 5],
            new ConvTransposeOptions { Stride = [3], Padding = 2, OutputPadding = [outputPadding] }).InputSize[0];

    private static string Shape<T>(Tensor<T> t) => "(" + string.Join(", ", t.Shape) + ")";
}
