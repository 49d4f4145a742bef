namespace ConvAsMatrix.Cli.Commands;

/// <summary>
/// <c>convmat</c> without arguments: the lecture's worked example (d2l lecture 37, "transposed convolution"),
/// with V produced by the library and both claims checked against independent direct loops, exactly.
/// </summary>
internal static class DemoCommand
{
    public static int Run(CommandContext context)
    {
        var o = context.Out;
        var x = Tensor.Arange<long>(1, 1, 3, 3);
        var k = Tensor.From(new long[] { 1, 2, 3, 4 }, 1, 1, 2, 2);
        var g = ConvGeometry.ForConv(x.ShapeArray, k.ShapeArray);
        var v = ConvolutionMatrix<long>.Compile(k, g);

        var y = new long[g.OutputLength];
        v.Convolve(x.Data, y);
        var z = new long[g.InputLength];
        v.ConvolveTranspose(y, z);

        // The independent side: the lecture's corr2d (sliding window) and trans_conv (scatter Y[i,j]·K) as plain loops.
        var corr2d = new long[g.OutputLength];
        DirectCorrelation.Apply<long>(g, x.Data, k.Data, corr2d);
        var transConv = new long[g.InputLength];
        DirectScatter.Apply<long>(g, y, k.Data, transConv);
        bool yOk = y.SequenceEqual(corr2d), zOk = z.SequenceEqual(transConv);

        o.WriteLine("convmat: a convolution is a matrix product (the example of d2l lecture 37)");
        o.WriteLine();
        o.WriteLine("X = arange(9).reshape(3, 3):");
        MatrixGrid.WriteDense(o, x.Data, 3, 3);
        o.WriteLine("K = [[1, 2], [3, 4]]:");
        MatrixGrid.WriteDense(o, k.Data, 2, 2);
        o.WriteLine();
        o.WriteLine($"V = kernel2matrix(K), {v.RowCount}×{v.ColumnCount}: row r is output element r, column c is input element c,");
        o.WriteLine($"both numbered row by row (vec). '{MatrixGrid.StructuralZero}' marks a structural zero: an input the output never reads.");
        MatrixGrid.WriteSparse(o, v);
        o.WriteLine();
        o.WriteLine("Y = V·vec(X), reshaped 2×2 (the convolution):");
        MatrixGrid.WriteDense(o, y, 2, 2);
        o.WriteLine("Z = Vᵀ·vec(Y), reshaped 3×3 (the transposed convolution):");
        MatrixGrid.WriteDense(o, z, 3, 3);
        o.WriteLine();
        o.WriteLine("Checks, against the lecture's loops, in exact integer arithmetic:");
        o.WriteLine($"  Y == corr2d(X, K)       {Verdict(yOk)}");
        o.WriteLine($"  Z == trans_conv(Y, K)   {Verdict(zOk)}");
        o.WriteLine();
        o.WriteLine("More: 'convmat --help'; V of your own kernel saved with numpy.save: 'convmat show --weight K.npy --input-shape 1,3,3'.");
        return yOk && zOk ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string Verdict(bool ok) => ok ? "true" : "FALSE";
}
