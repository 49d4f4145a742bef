namespace ConvAsMatrix.Tests.Cli;

/// <summary>What convmat writes, read back by the tools its users have: SciPy's mmread and NumPy's load (Debian's /usr/bin/python3, which CI installs).</summary>
public class InteropTests
{
    private static string RunPython(string script, params string[] args) =>
        Exchange.DebianTools.RunPython(script, "python3-scipy", args).Trim();

    [Fact]
    public void ScipyAndNumpyReadWhatConvmatWrites()
    {
        using var cli = new CliHarness();
        var weight = CliHarness.Fixture("conv2d_groups_w.npy");
        var mtx = cli.PathOf("v.mtx");
        Assert.Equal(0, cli.Run("compile", "--weight", weight, "--input-shape", "4,5,5", "--groups", "2", "--padding", "1:0,2:1", "--padding-mode", "circular", "--out", mtx).Code);
        var y32 = cli.PathOf("y32.npy");
        Assert.Equal(0, cli.Run("conv", "--input", CliHarness.Fixture("conv2d_float32_x.npy"), "--weight", CliHarness.Fixture("conv2d_float32_w.npy"), "--padding", "1", "--out", y32).Code);

        // SciPy turns V into a dense array and NumPy saves it; NumPy loads the float32 result and reports what it sees.
        var dense = cli.PathOf("dense.npy");
        var report = RunPython(
            "import sys, numpy as np, scipy.io\n" +
            "V = scipy.io.mmread(sys.argv[1])\n" +
            "np.save(sys.argv[2], V.toarray())\n" +
            "y = np.load(sys.argv[3])\n" +
            "print(V.shape[0], V.shape[1], V.nnz, y.dtype, y.shape, y.flags['C_CONTIGUOUS'])",
            mtx, dense, y32);

        var w = Npy.ReadFile(weight).ToDouble();
        var g = ConvGeometry.ForConv([1, 4, 5, 5], w.ShapeArray, new ConvOptions { Groups = 2, Padding = Padding.Parse("1:0,2:1"), PaddingMode = PaddingMode.Circular });
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var y = Npy.ReadFile(y32).ToSingle();
        var fields = report.Split(' ', 5);
        Assert.Equal([v.RowCount.ToString(), v.ColumnCount.ToString(), v.NonZerosCount.ToString(), "float32"], fields[..4]);
        Assert.Equal($"({string.Join(", ", y.Shape)}) True", fields[4]);

        var fromScipy = Npy.ReadFile(dense).ToDouble();
        Assert.Equal([v.RowCount, v.ColumnCount], fromScipy.Shape);
        var expected = v.ToDense();
        for (int r = 0; r < v.RowCount; r++)
            for (int c = 0; c < v.ColumnCount; c++)
                Assert.Equal(expected[r, c], fromScipy[r, c]);
    }
}
