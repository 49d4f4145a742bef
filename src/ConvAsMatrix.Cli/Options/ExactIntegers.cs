using System.Numerics;

namespace ConvAsMatrix.Cli;

/// <summary>
/// Integer arrays computed exactly: in long when no sum can leave it, else in BigInteger, and written as int64 or the
/// narrower type <c>--out-dtype</c> asks for, refused (exit 2) where a value does not fit.
/// </summary>
internal static class ExactIntegers
{
    /// <summary>The array's values as int64.</summary>
    /// <exception cref="UsageException">A uint64 value beyond int64.</exception>
    public static Tensor<long> Read(string option, NpyArray array)
    {
        try { return array.ToInt64(); }
        catch (InvalidOperationException e) { throw new UsageException($"{option}: {e.Message}"); }
    }

    /// <summary>
    /// Whether every output of a convolution of these operands fits long on the way: at most <paramref name="terms"/>
    /// products of |x| ≤ max|x| and |w| ≤ max|w| plus the bias, bounded in double with room to spare below 2^63.
    /// </summary>
    public static bool FitsLong(Tensor<long> x, Tensor<long> w, Tensor<long>? b, double terms)
    {
        static double MaxAbs(Tensor<long> t) => t.Length == 0 ? 0 : t.Data.Max(v => Math.Abs((double)v));
        double bound = terms * MaxAbs(x) * MaxAbs(w) + (b is null ? 0 : MaxAbs(b));
        return bound < (double)(1L << 62);
    }

    /// <summary>BigInteger results as long, each checked.</summary>
    /// <exception cref="UsageException">A value is beyond int64 (the message gives the first, its index).</exception>
    public static Tensor<long> ToLong(Tensor<BigInteger> values)
    {
        var result = new long[values.Length];
        for (int i = 0; i < result.Length; i++)
        {
            var v = values.Data[i];
            if (v < long.MinValue || v > long.MaxValue)
                throw new UsageException($"output element {i} is {v}, beyond int64: the exact result has no .npy integer type");
            result[i] = (long)v;
        }
        return new Tensor<long>(result, values.ShapeArray);
    }

    /// <summary>The int64 result stored as <paramref name="type"/> (int64 when null).</summary>
    /// <exception cref="UsageException">The type is not an integer type, or a value does not fit it.</exception>
    public static NpyArray Narrow(Tensor<long> values, NpyDataType? type)
    {
        try { return NpyArray.Narrow(values, type ?? NpyDataType.Int64); }
        catch (ArgumentException e) { throw new UsageException($"--out-dtype {ValueParsers.DtypeName(type ?? NpyDataType.Int64)}: {CommandRunner.OneLine(e)}"); }
    }
}
