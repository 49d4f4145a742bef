using System.CommandLine;
using System.Globalization;
using System.Numerics;
using ConvAsMatrix.Cli.Commands;
using ConvAsMatrix.Verification;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The options that make <c>convmat conv</c> (and <c>convmat check --op conv</c>) ONNX's quantized convolution: with zero
/// points only, <c>ConvInteger</c> (the exact int32 accumulation Σ(x − x_zp)(w − w_zp), plus the bias if given); with the
/// three scales too, <c>QLinearConv</c> (that accumulation requantized to uint8/int8, <see cref="QuantizedConvolution"/>).
/// </summary>
internal sealed class QuantizationOptions
{
    private readonly Option<int[]> xZeroPoint = ValueParsers.IntList("--x-zero-point", "x_zero_point: quantized (uint8/int8) input and weight; alone (with --w-zero-point) this is ONNX ConvInteger, int32 output. Default 0.", int.MinValue, "Z");
    private readonly Option<int[]> wZeroPoint = ValueParsers.IntList("--w-zero-point", "w_zero_point: one value, or one per output channel. Default 0.", int.MinValue, "Z|Z1,Z2,...");
    private readonly Option<float[]> xScale = ScaleList("--x-scale", "x_scale; with --w-scale and --y-scale this is ONNX QLinearConv: the accumulation requantized to uint8/int8.");
    private readonly Option<float[]> wScale = ScaleList("--w-scale", "w_scale: one value, or one per output channel.");
    private readonly Option<float[]> yScale = ScaleList("--y-scale", "y_scale.");
    private readonly Option<int[]> yZeroPoint = ValueParsers.IntList("--y-zero-point", "y_zero_point (QLinearConv). Default 0.", int.MinValue, "Z");
    private readonly Option<string?>? accumulation;

    /// <param name="command">The command to add the options to.</param>
    /// <param name="withAccumulation">Whether --accumulation (write the int32 accumulation beside QLinearConv's output) is offered.</param>
    public QuantizationOptions(Command command, bool withAccumulation)
    {
        if (withAccumulation) accumulation = PathOptions.OptionalPath("--accumulation", "ACC.npy", "QLinearConv: also write the int32 accumulation before requantization, to place a mismatch before or after it.");
        foreach (var option in new Option?[] { xZeroPoint, wZeroPoint, xScale, wScale, yScale, yZeroPoint, accumulation }.OfType<Option>()) command.Add(option);
    }

    /// <summary>A list option's values, or null when it was not given (the parser leaves an empty list then).</summary>
    private static T[]? Given<T>(CommandContext context, Option<T[]> option) => context.Get(option) is { Length: > 0 } values ? values : null;

    /// <summary>Whether any quantization option was given: then the convolution is quantized.</summary>
    public bool IsGiven(CommandContext context) =>
        Given(context, xZeroPoint) is not null || Given(context, wZeroPoint) is not null || Given(context, xScale) is not null || Given(context, wScale) is not null
        || Given(context, yScale) is not null || Given(context, yZeroPoint) is not null || (accumulation is not null && context.Get(accumulation) is not null);

    /// <summary>The quantization as given: zero points (0 when absent) and, for QLinearConv, the three scales.</summary>
    private sealed record Parameters(int XZero, int[] WZero, float XScale, float[]? WScale, float YScale, int YZero)
    {
        public bool Requantize => WScale is not null;
    }

    /// <summary>Reads and cross-checks the options: all three scales or none, --y-zero-point and --accumulation only with them.</summary>
    private Parameters Read(CommandContext context)
    {
        var scales = new[] { ("--x-scale", Given(context, xScale)), ("--w-scale", Given(context, wScale)), ("--y-scale", Given(context, yScale)) };
        bool requantize = scales.Any(s => s.Item2 is not null);
        if (requantize)
            foreach (var (option, given) in scales)
                if (given is null) throw new UsageException($"QLinearConv needs --x-scale, --w-scale and --y-scale; {option} is missing");
        string? accumulationPath = accumulation is null ? null : context.Get(accumulation);
        if (!requantize && (accumulationPath is not null || Given(context, yZeroPoint) is not null))
            throw new UsageException($"{(accumulationPath is not null ? "--accumulation" : "--y-zero-point")} belongs to QLinearConv: give --x-scale, --w-scale and --y-scale too");
        return new Parameters(Single(Given(context, xZeroPoint), "--x-zero-point", 0), Given(context, wZeroPoint) ?? [0],
            requantize ? Single(Given(context, xScale), "--x-scale", 0f) : 0, Given(context, wScale),
            requantize ? Single(Given(context, yScale), "--y-scale", 0f) : 0, Single(Given(context, yZeroPoint), "--y-zero-point", 0));
    }

    /// <summary>Runs ConvInteger or QLinearConv on conv's files and writes the result (and --accumulation).</summary>
    public int Run(CommandContext context, TensorCommand files, ConvOptions options)
    {
        var (x, w, b, outPath) = files.ReadOperands(context);
        var p = Read(context);
        string? accumulationPath = accumulation is null ? null : context.Get(accumulation);
        if (accumulationPath is not null) PathOptions.CheckOutput("--accumulation", accumulationPath);
        bool unbatched = x.Shape.Count == w.Shape.Count - 1;
        var type = files.OutDtype(context);
        var (result, acc) = Visit(x, w, new Compute(p, Int32Bias(b), options, type ?? (p.Requantize ? x.DataType : NpyDataType.Int32)));
        if (accumulationPath is not null && acc is not null)
            TensorCommand.Write(context, accumulationPath, ExactIntegers.Narrow(unbatched ? acc.Reshape(acc.ShapeArray[1..]) : acc, NpyDataType.Int32));
        return TensorCommand.Write(context, outPath, unbatched ? Unbatched(result) : result);
    }

    /// <summary>Checks a claimed ConvInteger or QLinearConv output exactly (<see cref="QuantizedCheck"/>).</summary>
    public ConvolutionCheckResult Check(CommandContext context, NpyArray x, NpyArray w, NpyArray? b, NpyArray claimed, ConvOptions options)
    {
        var p = Read(context);
        if (!claimed.IsInteger) throw new UsageException($"--output holds {ValueParsers.DtypeName(claimed.DataType)}; a quantized convolution's output is integer");
        if (p.Requantize && claimed.DataType is not (NpyDataType.UInt8 or NpyDataType.Int8))
            throw new UsageException($"--output holds {ValueParsers.DtypeName(claimed.DataType)}; QLinearConv's output is uint8 or int8");
        bool unbatched = x.Shape.Count == w.Shape.Count - 1;
        var y = unbatched ? Batched(claimed) : claimed;
        return Visit(x, w, new Checking(p, Int32Bias(b), options, y));
    }

    /// <summary>A computation over the two operand types, so one switch serves every uint8/int8 pairing.</summary>
    private interface IOperands<TResult>
    {
        TResult Apply<TX, TW>(Tensor<TX> x, Tensor<TW> w)
            where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
            where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>;
    }

    /// <summary>Runs <paramref name="operation"/> on --input (batched) and --weight in their own types.</summary>
    private static TResult Visit<TResult>(NpyArray x, NpyArray w, IOperands<TResult> operation)
    {
        if (x.DataType is not (NpyDataType.UInt8 or NpyDataType.Int8) || w.DataType is not (NpyDataType.UInt8 or NpyDataType.Int8))
            throw new UsageException($"a quantized convolution needs uint8 or int8 --input and --weight; they hold {ValueParsers.DtypeName(x.DataType)} and {ValueParsers.DtypeName(w.DataType)}");
        int[] batched = TensorCommand.BatchedShape(x.Shape, w.Shape);
        return (x.DataType, w.DataType) switch
        {
            (NpyDataType.UInt8, NpyDataType.UInt8) => operation.Apply(x.As<byte>().Reshape(batched), w.As<byte>()),
            (NpyDataType.UInt8, _) => operation.Apply(x.As<byte>().Reshape(batched), w.As<sbyte>()),
            (_, NpyDataType.UInt8) => operation.Apply(x.As<sbyte>().Reshape(batched), w.As<byte>()),
            _ => operation.Apply(x.As<sbyte>().Reshape(batched), w.As<sbyte>()),
        };
    }

    /// <summary>The output (ConvInteger: int32 or the type asked; QLinearConv: uint8/int8) and, for QLinearConv, the accumulation.</summary>
    private sealed class Compute(Parameters p, Tensor<int>? bias, ConvOptions options, NpyDataType type) : IOperands<(NpyArray, Tensor<long>?)>
    {
        public (NpyArray, Tensor<long>?) Apply<TX, TW>(Tensor<TX> x, Tensor<TW> w)
            where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
            where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>
        {
            if (!p.Requantize) return (ExactIntegers.Narrow(QuantizedConvolution.Accumulate(x, w, [p.XZero], p.WZero, bias, options), type), null);
            if (type == NpyDataType.UInt8)
            {
                var r = QuantizedConvolution.QLinearConv<TX, TW, byte>(x, p.XScale, p.XZero, w, p.WScale, p.WZero, p.YScale, p.YZero, bias, options);
                return (NpyArray.From(r.Output), r.Accumulation);
            }
            if (type == NpyDataType.Int8)
            {
                var r = QuantizedConvolution.QLinearConv<TX, TW, sbyte>(x, p.XScale, p.XZero, w, p.WScale, p.WZero, p.YScale, p.YZero, bias, options);
                return (NpyArray.From(r.Output), r.Accumulation);
            }
            throw new UsageException($"--out-dtype {ValueParsers.DtypeName(type)}: QLinearConv writes uint8 or int8");
        }
    }

    /// <summary>The exact check of a claimed output, ConvInteger's or QLinearConv's by the parameters.</summary>
    private sealed class Checking(Parameters p, Tensor<int>? bias, ConvOptions options, NpyArray claimed) : IOperands<ConvolutionCheckResult>
    {
        public ConvolutionCheckResult Apply<TX, TW>(Tensor<TX> x, Tensor<TW> w)
            where TX : unmanaged, IBinaryInteger<TX>, IMinMaxValue<TX>
            where TW : unmanaged, IBinaryInteger<TW>, IMinMaxValue<TW>
        {
            if (!p.Requantize) return QuantizedCheck.ConvInteger(x, w, p.XZero, p.WZero, ExactIntegers.Read("--output", claimed), bias, options);
            return claimed.DataType == NpyDataType.UInt8
                ? QuantizedCheck.QLinearConv(x, p.XScale, p.XZero, w, p.WScale, p.WZero, p.YScale, p.YZero, claimed.As<byte>(), bias, options)
                : QuantizedCheck.QLinearConv(x, p.XScale, p.XZero, w, p.WScale, p.WZero, p.YScale, p.YZero, claimed.As<sbyte>(), bias, options);
        }
    }

    /// <summary>The bias as int32, as QLinearConv's B is: any integer dtype whose values fit.</summary>
    private static Tensor<int>? Int32Bias(NpyArray? b)
    {
        if (b is null) return null;
        if (!b.IsInteger) throw new UsageException($"--bias holds {ValueParsers.DtypeName(b.DataType)}; a quantized convolution's bias is int32 (quantized with scale x_scale·w_scale)");
        var values = ExactIntegers.Read("--bias", b);
        int beyond = Array.FindIndex(values.Data, v => v < int.MinValue || v > int.MaxValue);
        if (beyond >= 0) throw new UsageException($"--bias element {beyond} is {values.Data[beyond]}, beyond int32");
        return new Tensor<int>(Array.ConvertAll(values.Data, v => (int)v), values.ShapeArray);
    }

    private static NpyArray Unbatched(NpyArray batched) => Reshaped(batched, batched.Shape.Skip(1).ToArray());

    private static NpyArray Batched(NpyArray unbatched) => Reshaped(unbatched, [1, .. unbatched.Shape]);

    private static NpyArray Reshaped(NpyArray a, int[] shape) => a.DataType switch
    {
        NpyDataType.UInt8 => NpyArray.From(a.As<byte>().Reshape(shape)),
        NpyDataType.Int8 => NpyArray.From(a.As<sbyte>().Reshape(shape)),
        _ => ExactIntegers.Narrow(ExactIntegers.Read("--output", a).Reshape(shape), a.DataType),
    };

    /// <summary>A per-tensor value, <paramref name="absent"/> when not given.</summary>
    private static T Single<T>(T[]? values, string option, T absent)
    {
        if (values is null) return absent;
        if (values.Length != 1) throw new UsageException($"{option} takes one value (per tensor), got {values.Length}");
        return values[0];
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
