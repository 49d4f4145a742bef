using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;
using ConvAsMatrix.Cli.Commands;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The options that make <c>convmat conv</c> ONNX's quantized convolution: with zero points only, <c>ConvInteger</c>
/// (the exact int32 accumulation Σ(x − x_zp)(w − w_zp), plus the bias if given); with the three scales too,
/// <c>QLinearConv</c> (that accumulation requantized to uint8/int8, <see cref="QuantizedConvolution"/>).
/// </summary>
internal sealed class QuantizationOptions
{
    private readonly Option<int[]> xZeroPoint = ValueParsers.IntList("--x-zero-point", "x_zero_point: quantized (uint8/int8) input and weight; alone (with --w-zero-point) this is ONNX ConvInteger, int32 output. Default 0.", int.MinValue, "Z");
    private readonly Option<int[]> wZeroPoint = ValueParsers.IntList("--w-zero-point", "w_zero_point: one value, or one per output channel. Default 0.", int.MinValue, "Z|Z1,Z2,...");
    private readonly Option<float[]> xScale = ScaleList("--x-scale", "x_scale; with --w-scale and --y-scale this is ONNX QLinearConv: the accumulation requantized to uint8/int8 (--out-dtype; default the input's type).");
    private readonly Option<float[]> wScale = ScaleList("--w-scale", "w_scale: one value, or one per output channel.");
    private readonly Option<float[]> yScale = ScaleList("--y-scale", "y_scale.");
    private readonly Option<int[]> yZeroPoint = ValueParsers.IntList("--y-zero-point", "y_zero_point (QLinearConv). Default 0.", int.MinValue, "Z");
    private readonly Option<string?> accumulation = PathOptions.OptionalPath("--accumulation", "ACC.npy", "QLinearConv: also write the int32 accumulation before requantization, to place a mismatch before or after it.");

    public QuantizationOptions(Command command)
    {
        foreach (var option in new Option[] { xZeroPoint, wZeroPoint, xScale, wScale, yScale, yZeroPoint, accumulation }) command.Add(option);
    }

    /// <summary>A list option's values, or null when it was not given (the parser leaves an empty list then).</summary>
    private static T[]? Given<T>(CommandContext context, Option<T[]> option) => context.Get(option) is { Length: > 0 } values ? values : null;

    /// <summary>Whether any quantization option was given: then conv is quantized.</summary>
    public bool IsGiven(CommandContext context) =>
        Given(context, xZeroPoint) is not null || Given(context, wZeroPoint) is not null || Given(context, xScale) is not null || Given(context, wScale) is not null
        || Given(context, yScale) is not null || Given(context, yZeroPoint) is not null || context.Get(accumulation) is not null;

    /// <summary>Runs ConvInteger or QLinearConv on the command's files and writes the result.</summary>
    public int Run(CommandContext context, TensorCommand files, ConvOptions options)
    {
        var (x, w, b, outPath) = files.ReadOperands(context);
        if (x.DataType is not (NpyDataType.UInt8 or NpyDataType.Int8) || w.DataType is not (NpyDataType.UInt8 or NpyDataType.Int8))
            throw new UsageException($"quantized conv needs uint8 or int8 --input and --weight; they hold {Name(x)} and {Name(w)}");
        bool requantize = Given(context, xScale) is not null || Given(context, wScale) is not null || Given(context, yScale) is not null;
        string? accumulationPath = context.Get(accumulation);
        if (requantize)
        {
            foreach (var (option, given) in new[] { ("--x-scale", Given(context, xScale)), ("--w-scale", Given(context, wScale)), ("--y-scale", Given(context, yScale)) })
                if (given is null) throw new UsageException($"QLinearConv needs --x-scale, --w-scale and --y-scale; {option} is missing");
            if (accumulationPath is not null) PathOptions.CheckOutput("--accumulation", accumulationPath);
        }
        else if (accumulationPath is not null || Given(context, yZeroPoint) is not null)
            throw new UsageException($"{(accumulationPath is not null ? "--accumulation" : "--y-zero-point")} belongs to QLinearConv: give --x-scale, --w-scale and --y-scale too");

        bool unbatched = x.Shape.Count == w.Shape.Count - 1;
        int[] batched = TensorCommand.BatchedShape(x.Shape, w.Shape);
        Tensor<int>? bias = b is null ? null : Int32Bias(b);
        int[] xZero = Single(Given(context, xZeroPoint), "--x-zero-point"), wZero = Given(context, wZeroPoint) ?? [0];
        var type = files.OutDtype(context);
        var (result, acc) = (x.DataType, w.DataType) switch
        {
            (NpyDataType.UInt8, NpyDataType.UInt8) => Compute<byte, byte>(context, x, w, batched, xZero, wZero, bias, options, requantize, type),
            (NpyDataType.UInt8, _) => Compute<byte, sbyte>(context, x, w, batched, xZero, wZero, bias, options, requantize, type),
            (_, NpyDataType.UInt8) => Compute<sbyte, byte>(context, x, w, batched, xZero, wZero, bias, options, requantize, type),
            _ => Compute<sbyte, sbyte>(context, x, w, batched, xZero, wZero, bias, options, requantize, type),
        };
        if (unbatched) result = Unbatched(result);
        if (accumulationPath is not null && acc is not null)
            TensorCommand.Write(context, accumulationPath, ExactIntegers.Narrow(unbatched ? acc.Reshape(acc.ShapeArray[1..]) : acc, NpyDataType.Int32));
        return TensorCommand.Write(context, outPath, result);
    }

    /// <summary>The output (ConvInteger: int32 or --out-dtype; QLinearConv: uint8/int8) and, for QLinearConv, the accumulation.</summary>
    private (NpyArray Result, Tensor<long>? Accumulation) Compute<TX, TW>(CommandContext context, NpyArray x, NpyArray w, int[] batched, int[] xZero, int[] wZero,
        Tensor<int>? bias, ConvOptions options, bool requantize, NpyDataType? type)
        where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        var input = x.As<TX>().Reshape(batched);
        var weight = w.As<TW>();
        if (!requantize)
            return (ExactIntegers.Narrow(QuantizedConvolution.Accumulate(input, weight, xZero, wZero, bias, options), type ?? NpyDataType.Int32), null);
        float xs = Single(Given(context, xScale), "--x-scale")[0], ys = Single(Given(context, yScale), "--y-scale")[0];
        float[] ws = Given(context, wScale)!;
        int yZero = Single(Given(context, yZeroPoint), "--y-zero-point")[0];
        var yType = type ?? x.DataType;
        if (yType == NpyDataType.UInt8)
        {
            var r = QuantizedConvolution.QLinearConv<TX, TW, byte>(input, xs, xZero[0], weight, ws, wZero, ys, yZero, bias, options);
            return (NpyArray.From(r.Output), r.Accumulation);
        }
        if (yType == NpyDataType.Int8)
        {
            var r = QuantizedConvolution.QLinearConv<TX, TW, sbyte>(input, xs, xZero[0], weight, ws, wZero, ys, yZero, bias, options);
            return (NpyArray.From(r.Output), r.Accumulation);
        }
        throw new UsageException($"--out-dtype {yType.ToString().ToLowerInvariant()}: QLinearConv writes uint8 or int8");
    }

    /// <summary>The bias as int32, as QLinearConv's B is: any integer dtype whose values fit.</summary>
    private static Tensor<int> Int32Bias(NpyArray b)
    {
        if (!b.IsInteger) throw new UsageException($"--bias holds {Name(b)}; a quantized convolution's bias is int32 (quantized with scale x_scale·w_scale)");
        var values = ExactIntegers.Read("--bias", b);
        int beyond = Array.FindIndex(values.Data, v => v < int.MinValue || v > int.MaxValue);
        if (beyond >= 0) throw new UsageException($"--bias element {beyond} is {values.Data[beyond]}, beyond int32");
        return new Tensor<int>(Array.ConvertAll(values.Data, v => (int)v), values.ShapeArray);
    }

    private static NpyArray Unbatched(NpyArray batched) => batched.DataType switch
    {
        NpyDataType.UInt8 => NpyArray.From(batched.As<byte>().Reshape(batched.Shape.Skip(1).ToArray())),
        NpyDataType.Int8 => NpyArray.From(batched.As<sbyte>().Reshape(batched.Shape.Skip(1).ToArray())),
        _ => ExactIntegers.Narrow(batched.ToInt64().Reshape(batched.Shape.Skip(1).ToArray()), batched.DataType),
    };

    private static string Name(NpyArray a) => a.DataType.ToString().ToLowerInvariant();

    /// <summary>A per-tensor value: absent means 0 (1 for nothing: scales are required where used).</summary>
    private static T[] Single<T>(T[]? values, string option) where T : INumberBase<T>
    {
        if (values is null) return [T.Zero];
        if (values.Length != 1) throw new UsageException($"{option} takes one value (per tensor), got {values.Length}");
        return values;
    }

    /// <summary>A comma list of float32 scales.</summary>
    private static Option<float[]> ScaleList(string name, string description) =>
        new(name)
        {
            Description = description,
            HelpName = name == "--w-scale" ? "S|S1,S2,..." : "S",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                var parts = text.Split(',');
                var values = new float[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                    if (!float.TryParse(parts[i].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                    {
                        r.AddError($"{name} '{text}' must be a number or a comma list of numbers");
                        return null;
                    }
                return values;
            },
        };
}
