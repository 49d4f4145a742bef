namespace ConvAsMatrix.Proofs;

/// <summary>Proof 9: with several channels, V is a block matrix with one single-channel V per (output, input) channel pair.</summary>
public sealed class ChannelsAreBlocks : Proof
{
    /// <inheritdoc/>
    /// <inheritdoc/>
    public override ExplorerQuery Explore => new() { Input = [4], Kernel = [2], InChannels = 2, OutChannels = 3 };

    public override string Claim => "Channels: V is a C_out × C_in grid of blocks; block (co, ci) is the single-channel V of w[co, ci].";

    /// <inheritdoc/>
    public override void Run(ProofPage page)
    {
        page.Seed(
            "X = torch.rand(size=(1, 10, 16, 16))\nconv = nn.Conv2d(10, 20, kernel_size=5, padding=2, stride=3)",
            "The seed's shape example has 10 input and 20 output channels. Output channel co sums, over the input\n" +
            "channels ci, the correlation of channel ci with the kernel w[co, ci]: so V, with rows ordered (co, position)\n" +
            "and columns (ci, position) like reshape(-1), is a grid of blocks, one single-channel V per pair.");

        page.Heading("2 → 3 channels, 1-d: input 4, kernel 2 → output 3 per channel");
        var weight = Symbolic.Kernels(6, 2);
        page.Say("w[0,0] = a, w[0,1] = b, w[1,0] = c, w[1,1] = d, w[2,0] = e, w[2,1] = f (each with taps ₀ ₁)");
        var g = ConvGeometry.ForConv([1, 2, 4], [3, 2, 2]);
        var v = ConvolutionMatrix<Symbolic>.Compile(weight, g).ToDense();
        page.Show("V =", v, rowBlock: 3, columnBlock: 4);
        page.Figure(new TapGridFigure(
            "V coloured by kernel: one colour per (output, input) channel pair. Block (co, ci) holds only the kernel w[co, ci].",
            [TapGridFigure.Compile("V (9×8)", weight, g) with { RowBlock = 3, ColumnBlock = 4 }], showEntries: true, TapGridFigure.Colouring.Kernel));
        page.CheckEqual("V equals V probed from the direct correlation", Probe.Matrix(g, weight), v);
        bool blocksHold = true;
        for (int co = 0; co < 3; co++)
            for (int ci = 0; ci < 2; ci++)
                blocksHold &= Dense.Equal(Banded(weight.AsSpan((co * 2 + ci) * 2, 2), 3, 4), Dense.Block(v, co * 3, ci * 4, 3, 4));
        page.Check("block (co, ci) is the banded matrix B[o, i] = w[co, ci, i − o], written from the kernel alone, for all 6 pairs", blocksHold);

        page.Heading("The seed's Conv2d(10, 20, kernel_size=5, padding=2, stride=3) on 16×16");
        var seedGeometry = ConvGeometry.ForConv([1, 10, 16, 16], [20, 10, 5, 5], new ConvOptions { Stride = [3], Padding = 2 });
        var w = Samples.Integers(seedGeometry.WeightShape, seed: 21);
        var big = ConvolutionMatrix<long>.Compile(w, seedGeometry);
        var single = ConvGeometry.ForConv([1, 1, 16, 16], [1, 1, 5, 5], new ConvOptions { Stride = [3], Padding = 2 });
        page.Say($"V is {big.RowCount}×{big.ColumnCount} with {big.NonZerosCount} stored entries; a single-channel V is " +
                 $"{single.OutputLength}×{single.InputLength} with {single.NonZeroCount}; 20·10 = 200 blocks of it.");
        var dense = big.ToDense();
        int matching = 0;
        for (int co = 0; co < 20; co++)
            for (int ci = 0; ci < 10; ci++)
            {
                var kernel = w.Data.AsSpan((co * 10 + ci) * 25, 25);
                var block = ConvolutionMatrix<long>.Compile(kernel, single).ToDense();
                if (Dense.Equal(block, Dense.Block(dense, co * 36, ci * 256, 36, 256))) matching++;
            }
        page.Check($"each of the 200 blocks is the single-channel V of its kernel w[co, ci] ({matching} of 200)", matching == 200);
        page.Check("and the stored entries add up: 200 × single-channel nnz", big.NonZerosCount == 200 * single.NonZeroCount);
        var x = Samples.Integers(seedGeometry.InputShape, seed: 22);
        var vx = new long[big.RowCount];
        var direct = new long[big.RowCount];
        big.Multiply(x.Data, vx);
        DirectCorrelation.Apply<long>(seedGeometry, x.Data, w.Data, direct);
        page.CheckEqual("V·vec(X) equals the direct correlation on a (1, 10, 16, 16) integer input", direct, vx);
    }

    /// <summary>The rows×cols matrix of a stride-1 unpadded 1-d correlation with <paramref name="kernel"/>: B[o, i] = kernel[i − o].</summary>
    public static Symbolic[,] Banded(ReadOnlySpan<Symbolic> kernel, int rows, int cols)
    {
        var b = new Symbolic[rows, cols];
        for (int o = 0; o < rows; o++)
            for (int t = 0; t < kernel.Length && o + t < cols; t++)
                b[o, o + t] = kernel[t];
        return b;
    }
}
