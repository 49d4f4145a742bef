using ConvAsMatrix.Benchmarks;
using System.Globalization;
using System.Text.Json;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Tests.Cli;
using ConvAsMatrix.Tests.Exchange;
using Xunit.Abstractions;

namespace ConvAsMatrix.Tests.Solvers;

/// <summary>
/// PETSc's binary format against PETSc itself (Debian's python3-petsc4py, and openmpi-bin for the distributed run;
/// .ci/run installs them — without them these tests FAIL): petsc4py reads what the library writes and the library
/// reads what PETSc writes, bit for bit; and V compiled block by block with <c>convmat compile --rows</c>, loaded one
/// block per MPI rank, solved with KSPLSQR, gives the library's LSQR answer to 1e-8.
/// </summary>
public class PetscTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, string> PetscEnvironment = new()
    {
        ["PETSC_DIR"] = DebianTools.PetscDir,
        ["OMPI_ALLOW_RUN_AS_ROOT"] = "1",
        ["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1",
        // No cross-memory attach in containers; shared memory copies are fast enough for a test.
        ["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none",
    };

    private const string RoundTrip =
        "import sys, json, petsc4py\n" +
        "petsc4py.init(sys.argv[:1])\n" +
        "from petsc4py import PETSc\n" +
        "A = PETSc.Mat().load(PETSc.Viewer().createBinary(sys.argv[1], 'r', comm=PETSc.COMM_SELF))\n" +
        "v = PETSc.Vec().load(PETSc.Viewer().createBinary(sys.argv[2], 'r', comm=PETSc.COMM_SELF))\n" +
        "A.view(PETSc.Viewer().createBinary(sys.argv[3], 'w', comm=PETSc.COMM_SELF))\n" +
        "v.view(PETSc.Viewer().createBinary(sys.argv[4], 'w', comm=PETSc.COMM_SELF))\n" +
        "p, i, x = A.getValuesCSR()\n" +
        "print(json.dumps({'shape': list(A.getSize()), 'indptr': p.tolist(), 'indices': i.tolist(), 'data': x.tolist(), 'vec': v.getArray().tolist()}))\n";

    [Theory]
    [InlineData(PaddingMode.Zeros)]
    [InlineData(PaddingMode.Reflect)]   // stored zeros and sums of taps
    [InlineData(PaddingMode.Circular)]
    public void PetscReadsTheLibrarysFilesAndTheLibraryReadsPetscs(PaddingMode mode)
    {
        using var cli = new CliHarness();
        var random = new Random((int)mode);
        var g = ConvGeometry.ForConv([1, 4, 7, 6], [6, 2, 3, 3], new ConvOptions { Padding = 1, Stride = [2, 1], Groups = 2, PaddingMode = mode });
        var w = Problems.Gaussian(random, g.WeightLength);
        w[0] = 1e-300;
        w[1] = -123456.78901234567;
        var v = ConvolutionMatrix<double>.Compile(w, g);
        var vector = Problems.Gaussian(random, 37);
        PetscBinary.WriteMatrixFile(cli.PathOf("V.petsc"), v);
        PetscBinary.WriteVectorFile(cli.PathOf("y.petsc"), vector);

        var stdout = DebianTools.RunPython(RoundTrip, "python3-petsc4py", [cli.PathOf("V.petsc"), cli.PathOf("y.petsc"), cli.PathOf("V2.petsc"), cli.PathOf("y2.petsc")], PetscEnvironment);
        var petsc = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal([v.RowCount, v.ColumnCount], petsc.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(v.RowPointers, petsc.GetProperty("indptr").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(v.ColumnIndices, petsc.GetProperty("indices").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(v.Values, petsc.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(vector, petsc.GetProperty("vec").EnumerateArray().Select(e => e.GetDouble()));

        // What PETSc's own MatView/VecView wrote reads back as the same matrix and vector, bit for bit.
        var back = PetscBinary.ReadMatrixFile(cli.PathOf("V2.petsc"));
        Assert.Equal(v.RowPointers, back.RowPointers);
        Assert.Equal(v.ColumnIndices, back.ColumnIndices);
        Assert.Equal(v.Values, back.Values);
        Assert.Equal(vector, PetscBinary.ReadVectorFile(cli.PathOf("y2.petsc")));
        // and the files are byte for byte what the library writes.
        Assert.Equal(File.ReadAllBytes(cli.PathOf("V.petsc")), File.ReadAllBytes(cli.PathOf("V2.petsc")));
        Assert.Equal(File.ReadAllBytes(cli.PathOf("y.petsc")), File.ReadAllBytes(cli.PathOf("y2.petsc")));
    }

    [Fact]
    public void KspLsqrOnTwoRanksLoadingTheirOwnRowBlocksMatchesTheLibrarysLsqr()
    {
        using var cli = new CliHarness();
        const int n = 16;
        const double lambda = 1e-3;
        var v = Deblurring.Matrix(n);
        var weight = new Tensor<double>(Deblurring.Weight(), 1, 1, 5, 5);
        Npy.WriteFile(cli.PathOf("w.npy"), weight);
        var y = Problems.Gaussian(new Random(9), v.RowCount);
        int half = v.RowCount / 2 + 3;   // unequal blocks: nothing assumes PETSc's own row split
        (int Start, int End)[] blocks = [(0, half), (half, v.RowCount)];
        var files = new List<string>();
        for (int b = 0; b < blocks.Length; b++)
        {
            var (start, end) = blocks[b];
            var (code, _, err) = cli.Run("compile", "--weight", cli.PathOf("w.npy"), "--input-shape", $"1,{n},{n}", "--padding", "2",
                "--format", "petsc", "--rows", $"{start}:{end}", "--out", cli.PathOf($"V{b}.petsc"));
            Assert.True(code == 0, err);
            PetscBinary.WriteVectorFile(cli.PathOf($"y{b}.petsc"), y.AsMemory(start, end - start));
            files.AddRange([cli.PathOf($"V{b}.petsc"), cli.PathOf($"y{b}.petsc")]);
        }

        var script = Path.Combine(AppContext.BaseDirectory, "petsc", "lsqr_blocks.py");
        var stdout = DebianTools.Run("mpiexec", ["--allow-run-as-root", "--oversubscribe", "-n", "2", DebianTools.Python, script,
            lambda.ToString("R", CultureInfo.InvariantCulture), "1e-13", cli.PathOf("x.petsc"), .. files], "openmpi-bin and python3-petsc4py", PetscEnvironment, TimeSpan.FromSeconds(60));
        var report = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(2, report.GetProperty("ranks").GetInt32());
        Assert.True(report.GetProperty("reason").GetInt32() > 0, $"KSPLSQR did not converge: {stdout}");
        var x = PetscBinary.ReadVectorFile(cli.PathOf("x.petsc"));

        var ours = new double[v.ColumnCount];
        var result = Lsqr.Solve(LinearOperator.From(v), y, ours, lambda, new SolverOptions { Tolerance = 1e-13, MaxIterations = 10000 });
        double difference = Problems.Distance(x, ours) / Problems.Norm(ours);
        output.WriteLine($"KSPLSQR on 2 ranks: {report.GetProperty("iterations").GetInt32()} iterations (reason {report.GetProperty("reason").GetInt32()}); " +
            $"library LSQR: {result.Iterations} iterations; relative difference {difference:E2}");
        Assert.True(result.Converged, result.ToString());
        Assert.True(difference <= 1e-8, $"PETSc's x differs from the library's by {difference:E3} relative");
    }

    [Fact]
    public void MalformedFilesAreFileFormatErrors()
    {
        var v = Deblurring.Matrix(4);
        using var good = new MemoryStream();
        PetscBinary.WriteMatrix(good, v);
        var bytes = good.ToArray();

        FileFormatException Read(byte[] data) => Assert.Throws<FileFormatException>(() => PetscBinary.ReadMatrix(new MemoryStream(data)));
        Assert.Contains("class id 1211214", Read([.. bytes[..0], 0, 0x12, 0x7B, 0x4E, .. bytes[4..]]).Message);   // a vector's id
        Assert.Contains("truncated", Read(bytes[..^3]).Message);
        Assert.Contains("trailing data", Read([.. bytes, 0]).Message);
        var wrongLength = (byte[])bytes.Clone();
        wrongLength[19] += 1;   // first row length (bytes 16..19) one more: the lengths no longer add up
        Assert.Contains("add up", Read(wrongLength).Message);
        var outside = (byte[])bytes.Clone();
        int firstIndex = 16 + 4 * v.RowCount;
        outside[firstIndex] = 0x7F;   // a column index of ~2^31
        Assert.Contains("outside", Read(outside).Message);
        Assert.Contains("negative", Read([.. bytes[..4], 0xFF, 0xFF, 0xFF, 0xFF, .. bytes[8..]]).Message);
        Assert.Contains("not a valid PETSc binary file", Assert.Throws<FileFormatException>(() => PetscBinary.ReadVector(new MemoryStream(bytes))).Message);
        Assert.Contains("stream", Assert.Throws<FileFormatException>(() => PetscBinary.ReadVector(new MemoryStream([0, 0]))).Message);
    }

    [Fact]
    public void UnwritablePathsAndBadRowRangesWriteNothing()
    {
        using var cli = new CliHarness();
        var v = Deblurring.Matrix(4);
        var missing = Path.Combine(cli.Directory, "no-such-dir", "V.petsc");
        Assert.Throws<DirectoryNotFoundException>(() => PetscBinary.WriteMatrixFile(missing, v));
        Assert.Throws<DirectoryNotFoundException>(() => PetscBinary.WriteVectorFile(missing, new double[3]));
        Assert.Equal("path", Assert.Throws<ArgumentException>(() => PetscBinary.WriteMatrixFile(cli.Directory, v)).ParamName);
        Assert.Equal("rowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => PetscBinary.WriteMatrixFile(cli.PathOf("V.petsc"), v, 3, 3)).ParamName);
        Assert.Equal("rowStart", Assert.Throws<ArgumentOutOfRangeException>(() => PetscBinary.WriteMatrixFile(cli.PathOf("V.petsc"), v, -1, 3)).ParamName);
        Assert.Equal("rowEnd", Assert.Throws<ArgumentOutOfRangeException>(() => PetscBinary.WriteMatrixFile(cli.PathOf("V.petsc"), v, 0, 17)).ParamName);
        Assert.Empty(cli.Files());
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }
}
