using System.Text.Json;
using ConvAsMatrix.Tests.Cli;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Exchange;

/// <summary>
/// V written as Matrix Market (by the library and by <c>convmat compile</c>) reads back in SciPy as the same
/// matrix. Needs Debian's python3-scipy for /usr/bin/python3 (.ci/run installs it); without it these tests
/// FAIL, they do not skip.
/// </summary>
public class ScipyMatrixMarketTests : IDisposable
{
    // SciPy reads the file, converts to CSR (summing duplicates, sorting indices) and prints its arrays as JSON;
    // Python's float repr is the shortest string that round-trips, so the values arrive bit for bit.
    private const string Script =
        "import sys, json, scipy.io\n" +
        "m = scipy.io.mmread(sys.argv[1]).tocsr()\n" +
        "m.sort_indices()\n" +
        "print(json.dumps({'shape': list(m.shape), 'nnz': int(m.nnz), 'indptr': m.indptr.tolist(), 'indices': m.indices.tolist(), 'data': m.data.tolist()}))\n";

    private readonly string directory = Directory.CreateTempSubdirectory("convmat-scipy-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    public static TheoryData<int, PaddingMode> Cases => new()
    {
        { 1, PaddingMode.Zeros },
        { 2, PaddingMode.Reflect },      // border entries are sums of taps
        { 2, PaddingMode.Circular },
        { 3, PaddingMode.Replicate },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void LibraryWriterReadsBackInScipy(int rank, PaddingMode mode)
    {
        var random = new Random(rank * 10 + (int)mode);
        int[] size = [.. Enumerable.Repeat(rank == 3 ? 4 : 6, rank)];
        int[] kernel = [.. Enumerable.Repeat(3, rank)];
        var g = ConvGeometry.ForConv([1, 4, .. size], [6, 2, .. kernel], new ConvOptions { Padding = 1, Stride = [2], Groups = 2, PaddingMode = mode });
        var w = Problems.Gaussian(random, g.WeightLength);
        w[0] = 1e-300; // extremes of the double range survive the text format
        w[1] = 0.1;
        w[2] = -123456.78901234567;
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var path = Path.Combine(directory, "V.mtx");
        MatrixMarket.WriteFile(path, v, "test");
        AssertSameMatrix(v, ReadWithScipy(path));
    }

    [Fact]
    public void CompileCommandOutputReadsBackInScipy()
    {
        var w = new Tensor<double>(Problems.Gaussian(new Random(3), 2 * 3 * 3 * 3), 2, 3, 3, 3);
        var weightPath = Path.Combine(directory, "W.npy");
        var matrixPath = Path.Combine(directory, "V.mtx");
        Npy.WriteFile(weightPath, w);
        using var cli = new CliHarness();
        var (code, _, err) = cli.Run("compile", "--weight", weightPath, "--input-shape", "3,5,4", "--padding", "same", "--padding-mode", "reflect", "--out", matrixPath);
        Assert.True(code == 0, err);
        var g = ConvGeometry.ForConv([1, 3, 5, 4], [2, 3, 3, 3], new ConvOptions { Padding = Padding.Same, PaddingMode = PaddingMode.Reflect });
        AssertSameMatrix(ConvolutionMatrix<double>.Compile(w, g), ReadWithScipy(matrixPath));
    }

    private static void AssertSameMatrix(CompressedRowStorage<double> v, JsonElement scipy)
    {
        Assert.Equal([v.RowCount, v.ColumnCount], scipy.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(v.NonZerosCount, scipy.GetProperty("nnz").GetInt32());
        Assert.Equal(v.RowPointers, scipy.GetProperty("indptr").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(v.ColumnIndices, scipy.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()));
        var data = scipy.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(v.NonZerosCount, data.Length);
        for (int k = 0; k < data.Length; k++)
            Assert.True(Math.Abs(data[k] - v.Values[k]) <= 1e-15 * Math.Abs(v.Values[k]), $"entry {k}: scipy {data[k]:R}, library {v.Values[k]:R}");
    }

    private static JsonElement ReadWithScipy(string path) => ScipyProcess.Run(Script, $"read {path} with scipy.io.mmread", path);
}
