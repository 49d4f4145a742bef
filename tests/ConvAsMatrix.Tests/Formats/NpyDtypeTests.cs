using System.Numerics;
using ConvAsMatrix.Fuzz;
using ConvAsMatrix.Tests.Cli;

namespace ConvAsMatrix.Tests.Formats;

/// <summary>
/// .npy files of every dtype, byte order and element order: the files NumPy wrote (tests/cli-fixtures/npy,
/// make_npy_fixtures.py) read back to the values written out again here, and every kind round-trips through the writer.
/// </summary>
public class NpyDtypeTests
{
    public static TheoryData<string, NpyDataType, string> NumpyFiles()
    {
        var data = new TheoryData<string, NpyDataType, string>();
        foreach (var (name, type) in Types)
            foreach (var layout in new[] { "C", "F" })
                foreach (var order in OneByte(type) ? new[] { "" } : ["_little", "_big"])
                    data.Add($"{name}_{layout}{order}.npy", type, name);
        return data;
    }

    private static readonly (string Name, NpyDataType Type)[] Types =
    [
        ("bool", NpyDataType.Bool), ("int8", NpyDataType.Int8), ("uint8", NpyDataType.UInt8), ("int16", NpyDataType.Int16),
        ("uint16", NpyDataType.UInt16), ("int32", NpyDataType.Int32), ("uint32", NpyDataType.UInt32), ("int64", NpyDataType.Int64),
        ("uint64", NpyDataType.UInt64), ("float16", NpyDataType.Float16), ("float32", NpyDataType.Float32), ("float64", NpyDataType.Float64),
    ];

    private static bool OneByte(NpyDataType t) => t is NpyDataType.Bool or NpyDataType.Int8 or NpyDataType.UInt8;

    private static string Path(string file) => System.IO.Path.Combine(CliHarness.Fixture("npy"), file);

    [Theory]
    [MemberData(nameof(NumpyFiles))]
    public void FilesNumpyWroteReadBackEqual(string file, NpyDataType type, string name)
    {
        foreach (var seekable in new[] { true, false })
        {
            var bytes = File.ReadAllBytes(Path(file));
            var a = Npy.Read(seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes));
            Assert.Equal(type, a.DataType);
            Assert.Equal([2, 3, 4], a.Shape);
            // Elements in C order whatever the file's order; their values as make_npy_fixtures.py defines them.
            switch (type)
            {
                case NpyDataType.Bool: Assert.Equal(Enumerable.Range(0, 24).Select(i => i % 3 == 0), a.As<bool>().Data); break;
                case NpyDataType.Int8: Assert.Equal(Integers<sbyte>(signed: true), a.As<sbyte>().Data); break;
                case NpyDataType.UInt8: Assert.Equal(Integers<byte>(signed: false), a.As<byte>().Data); break;
                case NpyDataType.Int16: Assert.Equal(Integers<short>(signed: true), a.As<short>().Data); break;
                case NpyDataType.UInt16: Assert.Equal(Integers<ushort>(signed: false), a.As<ushort>().Data); break;
                case NpyDataType.Int32: Assert.Equal(Integers<int>(signed: true), a.As<int>().Data); break;
                case NpyDataType.UInt32: Assert.Equal(Integers<uint>(signed: false), a.As<uint>().Data); break;
                case NpyDataType.Int64: Assert.Equal(Integers<long>(signed: true), a.As<long>().Data); break;
                case NpyDataType.UInt64: Assert.Equal(Integers<ulong>(signed: false), a.As<ulong>().Data); break;
                case NpyDataType.Float16: Assert.Equal(Floats(Half.MinValue, Half.MaxValue), a.As<Half>().Data); break;
                case NpyDataType.Float32: Assert.Equal(Floats(float.MinValue, float.MaxValue), a.As<float>().Data); break;
                default: Assert.Equal(Floats(double.MinValue, double.MaxValue), a.As<double>().Data); break;
            }
            Assert.Equal(name, type.ToString().ToLowerInvariant());
        }
    }

    /// <summary>i − 12 (signed) or i (unsigned) for i &lt; 24, with the type's minimum first and its maximum last.</summary>
    private static T[] Integers<T>(bool signed) where T : IBinaryInteger<T>, IMinMaxValue<T>
    {
        var v = Enumerable.Range(0, 24).Select(i => T.CreateChecked(signed ? i - 12 : i)).ToArray();
        (v[0], v[23]) = (T.MinValue, T.MaxValue);
        return v;
    }

    /// <summary>(i − 12) / 4, with the type's most negative and largest finite values first and last.</summary>
    private static T[] Floats<T>(T min, T max) where T : IFloatingPoint<T>
    {
        var v = Enumerable.Range(0, 24).Select(i => T.CreateChecked((i - 12) / 4.0)).ToArray();
        (v[0], v[23]) = (min, max);
        return v;
    }

    [Theory]
    [MemberData(nameof(NumpyFiles))]
    public void WritingInTheFilesOwnOrdersGivesNumpysBytes(string file, NpyDataType type, string name)
    {
        // NumPy's header and data, byte for byte, from the array read back: the writer's orders are NumPy's.
        _ = type; _ = name;
        var numpy = File.ReadAllBytes(Path(file));
        var a = Npy.Read(new MemoryStream(numpy));
        var options = new NpyWriteOptions { FortranOrder = file.Contains("_F"), BigEndian = file.EndsWith("_big.npy") };
        var ms = new MemoryStream();
        Npy.Write(ms, a, options);
        Assert.Equal(numpy, ms.ToArray());
    }

    [Fact]
    public void EveryDtypeAndOrderRoundTrips()
    {
        var rng = new Random(5);
        foreach (var (_, type) in Types)
            for (int trial = 0; trial < 20; trial++)
            {
                var shape = Enumerable.Range(0, rng.Next(0, 5)).Select(_ => rng.Next(0, 5)).ToArray();
                int n = shape.Aggregate(1, (p, s) => p * s);
                var longs = Enumerable.Range(0, n).Select(_ => (long)rng.Next(type == NpyDataType.Bool ? 2 : 100)).ToArray();
                var array = type switch
                {
                    NpyDataType.Float64 => new NpyArray(new Tensor<double>(longs.Select(v => v / 3.0).ToArray(), shape)),
                    NpyDataType.Float32 => new NpyArray(new Tensor<float>(longs.Select(v => v / 3f).ToArray(), shape)),
                    NpyDataType.Float16 => NpyArray.From(new Tensor<Half>(longs.Select(v => (Half)(v / 3.0)).ToArray(), shape)),
                    _ => NpyArray.Narrow(new Tensor<long>(longs, shape), type),
                };
                foreach (var options in new[] { new NpyWriteOptions(), new() { FortranOrder = true }, new() { BigEndian = true }, new() { FortranOrder = true, BigEndian = true } })
                    foreach (var seekable in new[] { true, false })
                    {
                        var ms = new MemoryStream();
                        Npy.Write(ms, array, options);
                        var bytes = ms.ToArray();
                        var back = Npy.Read(seekable ? new MemoryStream(bytes) : new ForwardOnlyStream(bytes));
                        Assert.Equal(type, back.DataType);
                        Assert.Equal(shape, back.Shape);
                        Assert.Equal(array.ToDouble().Data.Select(BitConverter.DoubleToInt64Bits), back.ToDouble().Data.Select(BitConverter.DoubleToInt64Bits));
                        if (array.IsInteger) Assert.Equal(longs, back.ToInt64().Data);
                    }
            }
    }

    [Theory]
    [InlineData("unsupported_complex128.npy", "'<c16' is not supported")]
    [InlineData("unsupported_unicode.npy", "'<U2' is not supported")]
    [InlineData("unsupported_structured.npy", "quoted string")]
    public void DtypesItDoesNotKnowAreRefusedByName(string file, string problem)
    {
        var path = Path(file);
        var e = Assert.Throws<FileFormatException>(() => Npy.ReadFile(path));
        Assert.Contains(problem, e.Message);
        Assert.StartsWith(path, e.Message);
    }

    [Theory]
    [InlineData("{'descr': '|i2', 'fortran_order': False, 'shape': (1,), }", "'|i2' is not supported")]
    [InlineData("{'descr': '<i3', 'fortran_order': False, 'shape': (1,), }", "'<i3' is not supported")]
    [InlineData("{'descr': '<b2', 'fortran_order': False, 'shape': (1,), }", "'<b2' is not supported")]
    [InlineData("{'descr': '<f16', 'fortran_order': False, 'shape': (1,), }", "'<f16' is not supported")]
    [InlineData("{'descr': 'i4', 'fortran_order': False, 'shape': (1,), }", "'i4' is not supported")]
    public void MalformedTypeStringsAreRefused(string header, string problem)
    {
        var e = Assert.Throws<FileFormatException>(() => Npy.Read(new MemoryStream(NpyTests.WithHeader(header, new byte[16]))));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void BoolBytesOtherThanZeroOrOneAreRefused()
    {
        var bytes = NpyTests.WithHeader("{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }", [1, 0, 2]);
        var e = Assert.Throws<FileFormatException>(() => Npy.Read(new MemoryStream(bytes)));
        Assert.Contains("bool element 2 is the byte 2", e.Message);
    }

    [Fact]
    public void EveryTruncationOfEveryDtypeIsRefused()
    {
        foreach (var file in new[] { "int8_F.npy", "uint16_C_big.npy", "int64_F_little.npy", "float16_F_big.npy", "bool_C.npy" })
        {
            var whole = File.ReadAllBytes(Path(file));
            for (int length = 0; length < whole.Length; length++)
                foreach (var seekable in new[] { true, false })
                {
                    var cut = whole[..length];
                    Assert.Throws<FileFormatException>(() => Npy.Read(seekable ? new MemoryStream(cut) : new ForwardOnlyStream(cut)));
                }
            Assert.Throws<FileFormatException>(() => Npy.Read(new MemoryStream([.. whole, 0])));
        }
    }

    [Fact]
    public void ConversionsAreExactOrRefused()
    {
        var u64 = Npy.ReadFile(Path("uint64_C_little.npy"));
        var e = Assert.Throws<InvalidOperationException>(() => u64.ToInt64());
        Assert.Contains("uint64 element 23 is 18446744073709551615", e.Message);
        var i64 = Npy.ReadFile(Path("int64_C_big.npy")).ToInt64().Data;
        Assert.Equal(long.MinValue, i64[0]);
        Assert.Equal(long.MaxValue, i64[23]);
        var floats = Npy.ReadFile(Path("float32_F_big.npy"));
        Assert.False(floats.IsInteger);
        Assert.Throws<InvalidOperationException>(() => floats.ToInt64());
        Assert.Throws<InvalidOperationException>(() => floats.As<double>());
        Assert.Equal(Floats(double.MinValue, double.MaxValue)[1..23], Npy.ReadFile(Path("float16_C_big.npy")).ToDouble().Data[1..23]);
        Assert.Equal([1L, 0, 0, 1], Npy.ReadFile(Path("bool_F.npy")).ToInt64().Data[..4]);
    }

    [Theory]
    [InlineData(NpyDataType.Int8, 128L, "value 128 at element 1 does not fit int8 [-128, 127]")]
    [InlineData(NpyDataType.UInt8, -1L, "value -1 at element 1 does not fit uint8 [0, 255]")]
    [InlineData(NpyDataType.Int32, 2147483648L, "does not fit int32")]
    [InlineData(NpyDataType.Bool, 2L, "does not fit bool [0, 1]")]
    public void NarrowingRefusesValuesThatDoNotFit(NpyDataType type, long value, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => NpyArray.Narrow(new Tensor<long>([0, value, 1], 3), type));
        Assert.Contains(message, e.Message);
        Assert.Equal("type", e.ParamName);
        Assert.Throws<ArgumentException>(() => NpyArray.Narrow(new Tensor<long>([0], 1), NpyDataType.Float32));
        Assert.Throws<ArgumentException>(() => NpyArray.From(new Tensor<decimal>([1m], 1)));
    }
}
