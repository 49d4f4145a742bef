using System.Text;
using ConvAsMatrix.Fuzz;
using ConvAsMatrix.Tests.Cli;

namespace ConvAsMatrix.Tests.Formats;

public class NpyTests
{
    private static readonly double[] Sample = Enumerable.Range(0, 12).Select(i => i / 8.0).ToArray();

    private static byte[] Bytes(Action<Stream> write)
    {
        var ms = new MemoryStream();
        write(ms);
        return ms.ToArray();
    }

    private static NpyArray ReadBytes(byte[] bytes, bool seekable = true) =>
        Npy.Read(seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes));

    [Theory]
    [InlineData("format_v1.npy")]
    [InlineData("format_v2.npy")]
    [InlineData("format_v3.npy")]
    public void ReadsEveryVersionNumpyWrites(string file)
    {
        var a = Npy.ReadFile(CliHarness.Fixture(file));
        Assert.Equal(NpyDataType.Float64, a.DataType);
        Assert.Equal([3, 4], a.Shape);
        Assert.Equal(Sample, a.ToDouble().Data);
    }

    [Fact]
    public void WritesExactlyTheBytesNumpySaves()
    {
        // numpy.save(arange(12)/8 reshaped (3, 4)): same header text, same padding to 64 bytes, same data.
        var ours = Bytes(s => Npy.Write(s, new Tensor<double>(Sample, 3, 4)));
        Assert.Equal(File.ReadAllBytes(CliHarness.Fixture("format_v1.npy")), ours);
        Assert.Equal(0, (ours.Length - Sample.Length * 8) % 64);
    }

    [Fact]
    public void ReadsScalarsAndEmptyArrays()
    {
        var scalar = Npy.ReadFile(CliHarness.Fixture("format_f4_scalar.npy"));
        Assert.Equal(NpyDataType.Float32, scalar.DataType);
        Assert.Empty(scalar.Shape);
        Assert.Equal([2.5f], scalar.ToSingle().Data);
        var empty = Npy.ReadFile(CliHarness.Fixture("format_empty.npy"));
        Assert.Equal([0, 3], empty.Shape);
        Assert.Empty(empty.ToDouble().Data);
    }

    [Fact]
    public void RoundTripsRandomArraysBitForBit()
    {
        var rng = new Random(11);
        double[] specials = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue, double.MinValue];
        for (int trial = 0; trial < 300; trial++)
        {
            var shape = Enumerable.Range(0, rng.Next(0, 5)).Select(_ => rng.Next(0, 5)).ToArray();
            int n = shape.Aggregate(1, (a, b) => a * b);
            var data = Enumerable.Range(0, n).Select(_ => rng.Next(5) == 0 ? specials[rng.Next(specials.Length)] : rng.NextDouble() * 1e6 - 5e5).ToArray();
            foreach (bool seekable in new[] { true, false })
            {
                var d = ReadBytes(Bytes(s => Npy.Write(s, new Tensor<double>(data, shape))), seekable);
                Assert.Equal(NpyDataType.Float64, d.DataType);
                Assert.Equal(shape, d.Shape);
                Assert.Equal(data.Select(BitConverter.DoubleToInt64Bits), d.ToDouble().Data.Select(BitConverter.DoubleToInt64Bits));

                var singles = data.Select(v => (float)v).ToArray();
                var f = ReadBytes(Bytes(s => Npy.Write(s, new Tensor<float>(singles, shape))), seekable);
                Assert.Equal(NpyDataType.Float32, f.DataType);
                Assert.Equal(shape, f.Shape);
                Assert.Equal(singles.Select(BitConverter.SingleToInt32Bits), f.ToSingle().Data.Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Fact]
    public void WritesVersion2WhenTheHeaderOutgrowsVersion1()
    {
        // 25,000 dimensions of size 1 ("1, " each) make a header beyond uint16.
        var shape = Enumerable.Repeat(1, 25_000).ToArray();
        var bytes = Bytes(s => Npy.Write(s, new Tensor<double>([4.5], shape)));
        Assert.Equal(2, bytes[6]);
        Assert.Equal(0, (bytes.Length - 8) % 64);
        var back = ReadBytes(bytes);
        Assert.Equal(shape, back.Shape);
        Assert.Equal([4.5], back.ToDouble().Data);
    }

    [Fact]
    public void ReadsFortranOrderBigEndianAndIntegersAsNumpyWroteThem()
    {
        // Once refused; now read into C order and this machine's byte order (every dtype: NpyDtypeTests).
        Assert.Equal(Sample, Npy.ReadFile(CliHarness.Fixture("reject_fortran.npy")).ToDouble().Data);
        Assert.Equal(Sample, Npy.ReadFile(CliHarness.Fixture("reject_bigendian.npy")).ToDouble().Data);
        var ints = Npy.ReadFile(CliHarness.Fixture("reject_int64.npy"));
        Assert.Equal(NpyDataType.Int64, ints.DataType);
        Assert.Equal([0L, 1, 2, 3, 4, 5], ints.ToInt64().Data);
    }

    [Fact]
    public void EveryTruncationIsRefused()
    {
        var whole = File.ReadAllBytes(CliHarness.Fixture("format_v1.npy"));
        for (int length = 0; length < whole.Length; length++)
            foreach (bool seekable in new[] { true, false })
            {
                var e = Assert.Throws<FileFormatException>(() => ReadBytes(whole[..length], seekable));
                Assert.Matches("truncated|empty|magic", e.Problem);
            }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void TrailingBytesAreRefused(bool seekable)
    {
        var whole = File.ReadAllBytes(CliHarness.Fixture("format_v1.npy"));
        var e = Assert.Throws<FileFormatException>(() => ReadBytes([.. whole, 0], seekable));
        Assert.Contains("trailing", e.Problem);
    }

    public static TheoryData<string, string> MalformedHeaders => new()
    {
        { "{'descr': '<f8', 'fortran_order': False}", "lacks 'shape'" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), 'extra': 1}", "unexpected key 'extra'" },
        { "{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", "repeats the key 'descr'" },
        { "{'descr': '<f8', 'fortran_order': Maybe, 'shape': (3,)}", "True or False" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (3, -1)}", "non-negative int32" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,)}", "non-negative int32" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': [3]}", "expects '('" },
        { "['descr', '<f8']", "expects '{'" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (3,)} x", "text after the dictionary" },
        { "{'descr: '<f8', 'fortran_order': False, 'shape': (3,)}", "expects ':'" },
        { "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000)}", "more elements than a .NET array holds" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void MalformedHeadersAreRefused(string header, string problem)
    {
        var e = Assert.Throws<FileFormatException>(() => ReadBytes(WithHeader(header, 1, 24)));
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void BadMagicAndVersionsAreRefused()
    {
        var good = File.ReadAllBytes(CliHarness.Fixture("format_v1.npy"));
        var badMagic = (byte[])good.Clone();
        badMagic[1] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<FileFormatException>(() => ReadBytes(badMagic)).Problem);
        var version4 = (byte[])good.Clone();
        version4[6] = 4;
        Assert.Contains("version 4.0", Assert.Throws<FileFormatException>(() => ReadBytes(version4)).Problem);
        Assert.Contains("magic", Assert.Throws<FileFormatException>(() => ReadBytes(Encoding.ASCII.GetBytes("hello, this is text"))).Problem);
    }

    [Fact]
    public void Version3HeadersMustBeUtf8()
    {
        var bytes = WithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", 3, 24);
        bytes[12] = 0xFF; // inside the header text
        Assert.Contains("UTF-8", Assert.Throws<FileFormatException>(() => ReadBytes(bytes)).Problem);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ClaimedLengthsDoNotBuyMemory(bool seekable)
    {
        // Fuzz crashes (npy): a 143-byte file claiming a 234 KB header, and a header claiming 10^7 doubles with no
        // data on a pipe, each made the reader allocate what was claimed before finding the file short.
        var hugeHeader = WithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (3,)}", 2, 0)[..20];
        hugeHeader[8] = 0xFF; hugeHeader[9] = 0xFF; hugeHeader[10] = 0x0F; // header length 0x0FFFFF: 1 MiB, at the limit
        var hugeShape = WithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,)}", 1, 0);
        foreach (var bytes in new[] { hugeHeader, hugeShape })
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Contains("truncated", Assert.Throws<FileFormatException>(() => ReadBytes(bytes, seekable)).Problem);
            Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 256 << 10);
        }
    }

    [Fact]
    public void ArraysLargerThanTheFirstChunkRoundTripThroughAPipe()
    {
        // The forward-only reader grows its array as bytes arrive (64 KiB, doubling): 100 000 doubles cross several doublings.
        var data = Enumerable.Range(0, 100_000).Select(i => i * 0.5 - 7).ToArray();
        var ms = new MemoryStream();
        Npy.Write(ms, new Tensor<double>(data, 100, 1000));
        var read = ReadBytes(ms.ToArray(), seekable: false);
        Assert.Equal([100, 1000], read.Shape);
        Assert.Equal(data, read.ToDouble().Data);
        Assert.Contains("truncated", Assert.Throws<FileFormatException>(() => ReadBytes(ms.ToArray()[..^1], seekable: false)).Problem);
    }

    [Fact]
    public void WriteFileNeverLeavesAPartialFile()
    {
        var dir = Directory.CreateTempSubdirectory("npy-").FullName;
        try
        {
            var path = Path.Combine(dir, "a.npy");
            File.WriteAllText(path, "precious");
            Assert.Throws<IOException>(() => AtomicFile.Write(path, s => { s.Write(new byte[1000]); throw new IOException("disk full"); }));
            Assert.Equal("precious", File.ReadAllText(path));
            Assert.Equal(["a.npy"], Directory.GetFiles(dir).Select(Path.GetFileName));

            Npy.WriteFile(path, new Tensor<double>(Sample, 3, 4));
            Assert.Equal(Sample, Npy.ReadFile(path).ToDouble().Data);
            Assert.Equal(["a.npy"], Directory.GetFiles(dir).Select(Path.GetFileName));
            Assert.Throws<DirectoryNotFoundException>(() => Npy.WriteFile(Path.Combine(dir, "no", "b.npy"), new Tensor<double>(Sample, 12)));
        }
        finally { Directory.Delete(dir, true); }
    }

    /// <summary>A version 1.0 .npy file with a hand-written header (padded like numpy's) and the given data bytes.</summary>
    internal static byte[] WithHeader(string header, byte[] data) => [.. WithHeader(header, 1, 0), .. data];

    /// <summary>A .npy file with a hand-written header (padded like numpy's) and <paramref name="dataBytes"/> zero bytes.</summary>
    private static byte[] WithHeader(string header, int major, int dataBytes)
    {
        int lengthField = major == 1 ? 2 : 4;
        var text = header;
        while ((8 + lengthField + text.Length + 1) % 64 != 0) text += " ";
        var h = Encoding.Latin1.GetBytes(text + "\n");
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        if (major == 1) ms.Write(BitConverter.GetBytes((ushort)h.Length));
        else ms.Write(BitConverter.GetBytes((uint)h.Length));
        ms.Write(h);
        ms.Write(new byte[dataBytes]);
        return ms.ToArray();
    }
}
