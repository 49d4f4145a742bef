using System.Diagnostics;
using System.Text.Json;
using ConvAsMatrix.Tests.Solvers;

namespace ConvAsMatrix.Tests.Structured;

/// <summary>
/// The BSR arrays of the structured V, handed to <c>scipy.sparse.bsr_matrix</c> as they are and permuted back with
/// <see cref="BlockSparseRows{T}.RowPermutation"/> and <see cref="BlockSparseRows{T}.ColumnPermutation"/>, are V.
/// Needs Debian's python3-scipy (.ci/run installs it); without it the test FAILS, it does not skip.
/// </summary>
public class ScipyBlockSparseTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    // Arrays arrive as float64 .npy (the library writes float32/float64); indices are exact in double.
    private const string Script =
        "import sys, json, numpy as np, scipy.sparse\n" +
        "d = sys.argv[1]\n" +
        "load = lambda name: np.load(d + '/' + name + '.npy')\n" +
        "shape = tuple(int(s) for s in sys.argv[2:4])\n" +
        "b = scipy.sparse.bsr_matrix((load('data'), load('indices').astype(np.int32), load('indptr').astype(np.int32)), shape=shape)\n" +
        "v = np.zeros(shape)\n" +
        "v[np.ix_(load('rowperm').astype(np.int64), load('colperm').astype(np.int64))] = b.toarray()\n" +
        "print(json.dumps({'blocksize': list(b.blocksize), 'nblocks': int(b.indices.size), 'v': v.ravel().tolist()}))\n";

    private readonly string directory = Directory.CreateTempSubdirectory("convmat-bsr-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData(1, PaddingMode.Zeros)]
    [InlineData(2, PaddingMode.Reflect)]
    [InlineData(2, PaddingMode.Circular)]
    [InlineData(3, PaddingMode.Replicate)]
    public void ScipyReadsTheBlocksAsPermutedV(int rank, PaddingMode mode)
    {
        int[] size = [.. Enumerable.Repeat(rank == 3 ? 4 : 6, rank)];
        int[] kernel = [.. Enumerable.Repeat(3, rank)];
        var g = ConvGeometry.ForConv([1, 4, .. size], [6, 2, .. kernel], new ConvOptions { Padding = 1, Stride = [2], Groups = 2, PaddingMode = mode });
        var w = Problems.Gaussian(new Random(rank * 10 + (int)mode), g.WeightLength);
        var bsr = StructuredConvolution<double>.Compile(w, g).ToBlockSparseRows();
        Write("data", bsr.Data, bsr.BlockCount, bsr.BlockRows, bsr.BlockColumns);
        Write("indices", bsr.Indices.Select(i => (double)i).ToArray(), bsr.Indices.Length);
        Write("indptr", bsr.Indptr.Select(i => (double)i).ToArray(), bsr.Indptr.Length);
        Write("rowperm", bsr.RowPermutation.Select(i => (double)i).ToArray(), bsr.RowCount);
        Write("colperm", bsr.ColumnPermutation.Select(i => (double)i).ToArray(), bsr.ColumnCount);

        var scipy = RunScipy(bsr.RowCount, bsr.ColumnCount);
        Assert.Equal([g.OutChannels, g.InChannels], scipy.GetProperty("blocksize").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(bsr.BlockCount, scipy.GetProperty("nblocks").GetInt32());
        var dense = ConvolutionMatrix<double>.Compile(w, g).ToDense();
        var fromScipy = scipy.GetProperty("v").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(dense.Cast<double>(), fromScipy);
    }

    private void Write(string name, double[] data, params int[] shape) =>
        Npy.WriteFile(Path.Combine(directory, name + ".npy"), new Tensor<double>(data, shape));

    private JsonElement RunScipy(int rows, int columns)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: install Debian's python3-scipy (.ci/run does) — this test must not be skipped");
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", Script, directory, rows.ToString(), columns.ToString() }) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{Python} could not build the BSR matrix (is python3-scipy installed?): {stderr}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
