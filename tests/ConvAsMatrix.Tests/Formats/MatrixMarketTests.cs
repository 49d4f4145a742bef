using System.Text;
using ConvAsMatrix.Fuzz;

namespace ConvAsMatrix.Tests.Formats;

public class MatrixMarketTests
{
    private static string Text(CompressedRowStorage<double> m, string? comment = null)
    {
        var ms = new MemoryStream();
        MatrixMarket.Write(ms, m, comment);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static CompressedRowStorage<double> Parse(string text) => MatrixMarket.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static void AssertSame(CompressedRowStorage<double> expected, CompressedRowStorage<double> actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.ColumnCount, actual.ColumnCount);
        Assert.Equal(expected.RowPointers, actual.RowPointers);
        Assert.Equal(expected.ColumnIndices[..expected.NonZerosCount], actual.ColumnIndices[..actual.NonZerosCount]);
        Assert.Equal(expected.Values[..expected.NonZerosCount].Select(BitConverter.DoubleToInt64Bits), actual.Values[..actual.NonZerosCount].Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void WritesTheSeedsVAsScipyReadsIt()
    {
        var v = ConvolutionMatrix<double>.Compile(new Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2), ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]));
        var text = Text(v, "the seed");
        Assert.StartsWith("%%MatrixMarket matrix coordinate real general\n% the seed\n4 9 16\n1 1 1\n1 2 2\n1 4 3\n1 5 4\n2 2 1\n", text);
        AssertSame(v, Parse(text));
    }

    [Fact]
    public void RoundTripsRandomMatricesBitForBit()
    {
        var rng = new Random(5);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 0.0, double.Epsilon, double.MaxValue, 1e-310];
        for (int trial = 0; trial < 300; trial++)
        {
            int rows = rng.Next(0, 8), columns = rng.Next(0, 8);
            var pointers = new int[rows + 1];
            var cols = new List<int>();
            var vals = new List<double>();
            for (int r = 0; r < rows; r++)
            {
                foreach (var c in Enumerable.Range(0, columns).Where(_ => rng.Next(3) == 0))
                {
                    cols.Add(c);
                    vals.Add(rng.Next(4) == 0 ? specials[rng.Next(specials.Length)] : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-20, 20)));
                }
                pointers[r + 1] = cols.Count;
            }
            var m = new CompressedRowStorage<double>(rows, columns, pointers, [.. cols], [.. vals]);
            AssertSame(m, Parse(Text(m)));
        }
    }

    [Fact]
    public void SumsDuplicatesAndSortsColumns()
    {
        var m = Parse("%%MatrixMarket matrix coordinate real general\n% comment\n\n2 3 5\n2 3 1.5\n1 2 1\n2 1 -4\n1 2 2.5\n2 3 0.25\n");
        Assert.Equal([0, 1, 3], m.RowPointers);
        Assert.Equal([1, 0, 2], m.ColumnIndices);
        Assert.Equal([3.5, -4, 1.75], m.Values);
    }

    [Fact]
    public void AcceptsIntegerFieldsCommentsAndCase()
    {
        var m = Parse("%%MatrixMarket Matrix Coordinate Integer General\n%\n% more\n2 2 2\n1 1 7\n\n% between\n2 2 -3\n");
        Assert.Equal(new double[,] { { 7, 0 }, { 0, -3 } }, m.ToDense());
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "", "empty" },
        { "%%MatrixMarket matrix array real general\n2 2\n1\n2\n3\n4\n", "only 'matrix coordinate'" },
        { "%%MatrixMarket matrix coordinate complex general\n1 1 1\n1 1 1 0\n", "field 'complex'" },
        { "%%MatrixMarket matrix coordinate pattern general\n1 1 1\n1 1\n", "field 'pattern'" },
        { "%%MatrixMarket matrix coordinate real symmetric\n1 1 1\n1 1 1\n", "symmetry 'symmetric'" },
        { "%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1\n", "expected the banner" },
        { "%%MatrixMarket matrix coordinate real general\n% only comments\n", "no size line" },
        { "%%MatrixMarket matrix coordinate real general\n2 2\n", "size line" },
        { "%%MatrixMarket matrix coordinate real general\n2 -2 1\n1 1 1\n", "size line" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 3\n1 1 1\n2 2 2\n", "truncated: 2 entries where the size line declares 3" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 1\n2 2 2\n", "more entries than the 1" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n0 1 1\n", "outside the declared 2 x 2" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 3 1\n", "outside the declared 2 x 2" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1\n", "expected an entry" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 x\n", "expected an entry" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1.5 1\n", "expected an entry" },
        { "%%MatrixMarket matrix coordinate real general\n2 2 2000000000\n1 1 1\n", "more than the file can hold" },
        // int.MaxValue rows overflowed rows + 1 (OverflowException); Array.MaxLength rows asked for a pointer array no .NET array holds.
        { "%%MatrixMarket matrix coordinate real general\n2147483647 1 0\n", "more than the row pointers of a CSR matrix" },
        { "%%MatrixMarket matrix coordinate real general\n2147483591 1 0\n", "more than the row pointers of a CSR matrix" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedFilesAreRefused(string text, string problem)
    {
        var e = Assert.Throws<FileFormatException>(() => Parse(text));
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void APipeClaimingManyEntriesCostsWhatItHolds()
    {
        // Found with the mtx fuzz target's property: on a forward-only stream the reader allocated the declared 10^7 entries (160 MB) up front.
        var text = "%%MatrixMarket matrix coordinate real general\n1 1 10000000\n1 1 1\n";
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<FileFormatException>(() => MatrixMarket.Read(new ForwardOnlyStream(Encoding.UTF8.GetBytes(text))));
        Assert.Contains("truncated: 1 entries where the size line declares 10000000", e.Message);
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    [Fact]
    public void APipeDeliversMoreEntriesThanTheFirstCapacity()
    {
        // 3 x 5000 with 10 000 entries and duplicates: the forward-only reader's arrays grow past 4096 twice.
        var builder = new StringBuilder("%%MatrixMarket matrix coordinate real general\n3 5000 10000\n");
        for (int k = 0; k < 10_000; k++) builder.Append($"{k % 3 + 1} {k % 5000 + 1} {k * 0.25}\n");
        var bytes = Encoding.UTF8.GetBytes(builder.ToString());
        AssertSame(MatrixMarket.Read(new MemoryStream(bytes)), MatrixMarket.Read(new ForwardOnlyStream(bytes)));
    }

    [Fact]
    public void EveryTruncationAtALineOrInsideAnEntryIsRefused()
    {
        var v = ConvolutionMatrix<double>.Compile(new Tensor<double>([1, 2, 3, 4], 1, 1, 2, 2), ConvGeometry.ForConv([1, 1, 3, 3], [1, 1, 2, 2]));
        var text = Text(v);
        var sizeLineEnd = text.IndexOf("\n4 9 16\n", StringComparison.Ordinal) + 1;
        for (int length = 0; length < text.Length - 1; length++)
        {
            var prefix = text[..length];
            // A cut inside the last number of a line can leave a shorter valid number ("12" -> "1"); every other cut must fail.
            bool cutInsideAValue = length > sizeLineEnd + 7 && text[length] != '\n' && prefix.Split('\n')[^1].Split(' ').Length == 3 && prefix[^1] != ' ';
            if (cutInsideAValue) continue;
            Assert.Throws<FileFormatException>(() => Parse(prefix));
        }
    }

    [Fact]
    public void FileHelpersNameTheFileAndWriteAtomically()
    {
        var dir = Directory.CreateTempSubdirectory("mtx-").FullName;
        try
        {
            var path = Path.Combine(dir, "v.mtx");
            File.WriteAllText(path, "%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1\n");
            var e = Assert.Throws<FileFormatException>(() => MatrixMarket.ReadFile(path));
            Assert.StartsWith(path + ": not a valid Matrix Market file: line 3:", e.Message);
            var m = new CompressedRowStorage<double>(1, 2, [0, 1], [1], [0.1]);
            MatrixMarket.WriteFile(path, m);
            AssertSame(m, MatrixMarket.ReadFile(path));
            Assert.Equal(["v.mtx"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally { Directory.Delete(dir, true); }
    }
}
