using FsCheck;
using FsCheck.Fluent;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Validation;

/// <summary>The ways issue 2 (item 6) lists for a geometry or a tensor to be invalid.</summary>
public enum InvalidKind
{
    NonPositiveBatch, NonPositiveChannels, NonPositiveInputSize, NonPositiveKernel, NonPositiveStride, NonPositiveDilation,
    NegativePadding, NonPositiveGroups, GroupsNotDividingIn, GroupsNotDividingOut, KernelWiderThanPaddedInput,
    TransposeOutputNotPositive, OutputPaddingTooLarge, ReflectPaddingTooLarge, CircularPaddingTooLarge,
    InputRankDisagrees, WeightRankOutOfRange, PerDimensionCountWrong, SameWithStride, SameForTranspose,
    UndefinedPaddingMode, WeightLengthDisagrees, BatchLengthDisagrees, BiasShapeDisagrees, DimensionBeyondInt32,
    TransposeOutputBeyondInt32, StructuredWeightLengthDisagrees, StructuredLengthDisagrees, RowBlockOutsideV,
    // Issue 9: ONNX's auto_pad and output_shape, PyTorch's output_size.
    AutoPadWithPadding, UndefinedAutoPad, OutputShapeWithPadding, OutputShapeAndOutputSize, OutputShapeWithValid,
    OutputSizeWithAutoPad, OutputSizeWithOutputPadding, OutputSizeOutOfRange, OutputShapeCountWrong, NegativeDerivedPadWithMode,
}

/// <summary>
/// A valid geometry spoiled in one way. <see cref="Attempt"/> makes the library call; it must throw an
/// ArgumentException whose ParamName is one of <see cref="Parameters"/> and whose message quotes <see cref="Offending"/>.
/// </summary>
public sealed record InvalidCase(GeometrySpec Base, InvalidKind Kind, int Amount)
{
    /// <summary>The library call, with the hyperparameters of <see cref="Base"/> and one of them spoiled.</summary>
    public (Action Attempt, string[] Parameters, string Offending) Make()
    {
        var c = new Call(Base);
        int rank = Base.Rank, last = rank + 1;
        int bad = -Amount; // 0 or negative
        switch (Kind)
        {
            case InvalidKind.NonPositiveBatch:
                c.Input[0] = bad;
                return (c.Run, ["batch", "input shape"], $"{bad}");
            case InvalidKind.NonPositiveChannels:
                c.Input[1] = bad;
                return (c.Run, ["input shape"], $"{bad}");
            case InvalidKind.NonPositiveInputSize:
                c.Input[last] = bad;
                return (c.Run, ["input shape"], $"{bad}");
            case InvalidKind.NonPositiveKernel:
                c.Weight[last] = bad;
                return (c.Run, ["weight shape"], $"{bad}");
            case InvalidKind.NonPositiveStride:
                c.Stride[rank - 1] = bad;
                return (c.Run, ["stride"], $"{bad}");
            case InvalidKind.NonPositiveDilation:
                c.Dilation[rank - 1] = bad;
                return (c.Run, ["dilation"], $"{bad}");
            case InvalidKind.NegativePadding:
                c.Padding = () => Amount % 2 == 0 ? Padding.Symmetric(-1 - Amount) : Padding.Asymmetric((0, -1 - Amount));
                return (c.Run, ["padding", "padding (after)"], $"{-1 - Amount}");
            case InvalidKind.NonPositiveGroups:
                c.Groups = bad;
                return (c.Run, ["groups"], $"{bad}");
            case InvalidKind.GroupsNotDividingIn:
            {
                // Conv: input channels g·(C_in/g) + 1; conv_transpose: its input channels C_in_t = weight.shape[0] not a multiple of g.
                c.Groups = Math.Max(2, Base.Groups);
                int channels = c.Groups * Base.InPerGroup + 1;
                c.Input[1] = channels;
                if (Base.Kind == SpecKind.ConvTranspose) c.Weight[0] = channels;
                return (c.Run, ["groups", "weight"], $"{channels}");
            }
            case InvalidKind.GroupsNotDividingOut:
            {
                c = new Call(ConvBase) { Groups = Math.Max(2, Base.Groups) };
                c.Input[1] = c.Groups * Base.InPerGroup;
                c.Weight[0] = c.Groups * Base.OutPerGroup + 1;
                return (c.Run, ["groups"], $"{c.Weight[0]}");
            }
            case InvalidKind.KernelWiderThanPaddedInput:
            {
                // Zero-padded conv whose last kernel extent exceeds the padded input by 1 + Amount.
                c = new Call(ConvBase) { Mode = PaddingMode.Zeros, Padding = () => ExplicitPadding(ConvBase, null) };
                var (b, a) = ConvBase.Pad(rank - 1);
                c.Dilation[rank - 1] = 1;
                c.Weight[last] = ConvBase.InputSize(rank - 1) + b + a + 1 + Amount;
                return (c.Run, ["kernel_size"], $"{c.Weight[last]}");
            }
            case InvalidKind.TransposeOutputNotPositive:
            {
                // conv_transpose with so much padding in the last dimension that (m − 1)·s − 2p + d·(k − 1) + op + 1 ≤ 0.
                c = new Call(TransposeBase) { Mode = PaddingMode.Zeros };
                int m = TransposeBase.OutputSize(rank - 1), s = TransposeBase.Stride(rank - 1);
                int p = ((m - 1) * s + TransposeBase.Extent(rank - 1) + TransposeBase.OutputPadding(rank - 1)) / 2 + 1 + Amount;
                c.Padding = () => ExplicitPadding(TransposeBase, (p, p));
                return (c.Run, ["padding"], $"{p}");
            }
            case InvalidKind.OutputPaddingTooLarge:
            {
                c = new Call(TransposeBase);
                int op = Math.Max(c.Stride[rank - 1], c.Dilation[rank - 1]) + Amount;
                c.OutputPadding[rank - 1] = op;
                return (c.Run, ["output_padding"], $"{op}");
            }
            case InvalidKind.ReflectPaddingTooLarge:
            case InvalidKind.CircularPaddingTooLarge:
            {
                // Kernel 1 everywhere (so the output exists) and one pad reaching the input size (reflect) or beyond it (circular).
                bool reflect = Kind == InvalidKind.ReflectPaddingTooLarge;
                c = new Call(ConvBase) { Mode = reflect ? PaddingMode.Reflect : PaddingMode.Circular };
                c.Weight = [.. c.Weight[..2], .. Enumerable.Repeat(1, rank)];
                int pad = ConvBase.InputSize(rank - 1) + (reflect ? 0 : 1) + Amount;
                c.Padding = () => Padding.Asymmetric([.. Enumerable.Repeat((0, 0), rank - 1), Amount % 2 == 0 ? (pad, 0) : (0, pad)]);
                return (c.Run, ["padding"], $"{pad}");
            }
            case InvalidKind.InputRankDisagrees:
                c.Input = Amount % 2 == 0 ? c.Input[..^1] : [.. c.Input, 2];
                if (c.Input.Length < 3) c.Input = [.. c.Input, 2, 2];
                return (c.Run, ["input"], $"{c.Input.Length}");
            case InvalidKind.WeightRankOutOfRange:
                c.Weight = Amount % 2 == 0 ? c.Weight[..2] : [.. c.Weight, .. Enumerable.Repeat(1, 6 - c.Weight.Length)];
                c.Input = Amount % 2 == 0 ? c.Input[..2] : [.. c.Input, .. Enumerable.Repeat(1, 6 - c.Input.Length)];
                return (c.Run, ["weight"], string.Join(", ", c.Weight));
            case InvalidKind.PerDimensionCountWrong:
            {
                // A per-dimension list with neither 1 nor rank values: stride, dilation, padding or output_padding.
                int count = rank == 2 ? 3 : 2;
                var values = Enumerable.Repeat(1, count).ToArray();
                string name;
                switch (Amount)
                {
                    case 0: c.Stride = values; name = "stride"; break;
                    case 1: c.Dilation = values; name = "dilation"; break;
                    case 2: c.Padding = () => Padding.Symmetric(values); name = "padding"; break;
                    default:
                        c = new Call(TransposeBase) { OutputPadding = new int[count] };
                        name = "output_padding";
                        break;
                }
                return (c.Run, [name], $"{count} values");
            }
            case InvalidKind.SameWithStride:
                c = new Call(ConvBase);
                c.Padding = () => Padding.Same;
                c.Stride[rank - 1] = 2 + Amount;
                return (c.Run, ["padding"], $"{2 + Amount}");
            case InvalidKind.SameForTranspose:
                c = new Call(TransposeBase);
                c.Padding = () => Padding.Same;
                return (c.Run, ["padding"], "same");
            case InvalidKind.UndefinedPaddingMode:
                c.Mode = (PaddingMode)(4 + Amount);
                return (c.Run, ["padding_mode"], $"{4 + Amount}");
            case InvalidKind.WeightLengthDisagrees:
            {
                var g = Base.Build();
                var weight = new long[g.WeightLength + 1 + Amount];
                return (() => ConvolutionMatrix<long>.Compile(weight, g), ["weight"], $"{weight.Length}");
            }
            case InvalidKind.BatchLengthDisagrees:
            {
                var g = Base.Build();
                var v = ConvolutionMatrix<long>.Compile(new long[g.WeightLength], g);
                if (Amount % 2 == 0)
                {
                    // Not a whole number of samples, unless a sample is one element: then it is too many samples for the output.
                    var input = new long[g.InputLength * (1 + Amount % 2) + 1];
                    return (() => v.Convolve(input, new long[g.OutputLength]), g.InputLength == 1 ? ["output"] : ["input"], $"{input.Length}");
                }
                var output = new long[g.InputLength * 2 + Amount];
                return (() => v.ConvolveTranspose(new long[g.OutputLength], output), ["output"], $"{output.Length}");
            }
            case InvalidKind.BiasShapeDisagrees:
            {
                var g = Base.Build();
                var bias = Tensor.Zeros<long>(g.OutChannels + 1 + Amount);
                var x = Tensor.Zeros<long>(g.InputShape);
                var w = Tensor.Zeros<long>(g.WeightShape);
                return (() => Functional.Conv(x, w, bias, new ConvOptions { Stride = g.Stride.ToArray(), Dilation = g.Dilation.ToArray(), Groups = g.Groups,
                    Padding = Padding.Asymmetric(g.PaddingBefore.Zip(g.PaddingAfter).ToArray()), PaddingMode = g.PaddingMode }), ["bias"], $"{g.OutChannels + 1 + Amount}");
            }
            case InvalidKind.DimensionBeyondInt32:
            {
                // One sample would have C·∏ sizes > 2^31 − 1 elements; the geometry refuses it before anything is allocated.
                int channels = 1 << (Amount + 1);
                c = new Call(ConvBase) { Mode = PaddingMode.Zeros, Padding = () => Padding.Valid, Groups = 1, Stride = [1], Dilation = [1] };
                c.Weight = [1, channels, .. Enumerable.Repeat(1, rank)];
                c.Input = [1, channels, .. Enumerable.Repeat(rank switch { 1 => int.MaxValue, 2 => 1 << 16, _ => 1 << 11 }, rank)];
                return (c.Run, [], "int32");
            }
            case InvalidKind.TransposeOutputBeyondInt32:
                c = new Call(TransposeBase);
                c.Input[last] = 4 + Amount;
                c.Stride[rank - 1] = 1 << 30;
                return (c.Run, ["padding", "stride"], $"{1 << 30}");
            case InvalidKind.StructuredWeightLengthDisagrees:
            {
                var g = Base.Build();
                var weight = new long[g.WeightLength + 1 + Amount];
                return (() => StructuredConvolution<long>.Compile(weight, g), ["weight"], $"{weight.Length}");
            }
            case InvalidKind.StructuredLengthDisagrees:
            {
                // The four ways to hand the structured V a wrong length: a batch, a whole batch's output, one sample's x or y.
                var g = Base.Build();
                var v = StructuredConvolution<long>.Compile(new long[g.WeightLength], g);
                var input = new long[g.InputLength * 2 + 1];
                var output = new long[g.InputLength * 2 + Amount];
                var x = new long[g.InputLength + 1 + Amount];
                // TransposeMultiply writes one input sample: a y one longer than that is wrong whatever the sizes (one longer than
                // an output sample could, by chance, be exactly an input sample's length).
                var y = new long[g.InputLength + 1 + Amount];
                return Amount switch
                {
                    0 => (() => v.Convolve(input, new long[g.OutputLength]), g.InputLength == 1 ? ["output"] : ["input"], $"{input.Length}"),
                    1 => (() => v.ConvolveTranspose(new long[g.OutputLength], output), ["output"], $"{output.Length}"),
                    2 => (() => v.Multiply(x, new long[g.OutputLength]), ["x"], $"{x.Length}"),
                    _ => (() => v.TransposeMultiply(3L, new long[g.OutputLength], 1L, y), ["y"], $"{y.Length}"),
                };
            }
            case InvalidKind.RowBlockOutsideV:
            {
                var g = Base.Build();
                var v = StructuredConvolution<long>.Compile(new long[g.WeightLength], g);
                int rows = g.OutputLength;
                return Amount switch
                {
                    0 => (() => v.ToCompressedRows(-1, rows), ["rowStart"], "-1"),
                    1 => (() => v.ToCompressedRows(0, rows + 1), ["rowEnd"], $"{rows + 1}"),
                    _ => (() => v.ToCompressedRows(rows, rows - Amount + 1), ["rowEnd"], $"{rows - Amount + 1}"),
                };
            }
            case InvalidKind.AutoPadWithPadding:
                c = new Call(Amount % 2 == 0 ? ConvBase : TransposeBase)
                {
                    AutoPad = (AutoPad)(1 + Amount % 3), Padding = () => Padding.Symmetric(1 + Amount),
                };
                return (c.Run, ["auto_pad"], $"padding={1 + Amount}");
            case InvalidKind.UndefinedAutoPad:
                c = new Call(Amount % 2 == 0 ? ConvBase : TransposeBase) { AutoPad = (AutoPad)(4 + Amount) };
                return (c.Run, ["auto_pad"], $"{4 + Amount}");
            case InvalidKind.OutputShapeWithPadding:
                c = new Call(TransposeBase) { OutputShape = TransposeBase.InputSizes, Padding = () => Padding.Symmetric(1 + Amount) };
                return (c.Run, ["output_shape"], $"padding={1 + Amount}");
            case InvalidKind.OutputShapeAndOutputSize:
                c = new Call(TransposeBase) { OutputShape = TransposeBase.InputSizes, OutputSize = TransposeBase.InputSizes };
                return (c.Run, ["output_shape"], "output_size");
            case InvalidKind.OutputShapeWithValid:
                c = new Call(TransposeBase) { OutputShape = TransposeBase.InputSizes, AutoPad = AutoPad.Valid, Padding = () => Padding.Zero };
                return (c.Run, ["output_shape"], "VALID");
            case InvalidKind.OutputSizeWithAutoPad:
                c = new Call(TransposeBase) { OutputSize = TransposeBase.InputSizes, AutoPad = (AutoPad)(1 + Amount % 3), Padding = () => Padding.Zero };
                return (c.Run, ["output_size"], "auto_pad=");
            case InvalidKind.OutputSizeWithOutputPadding:
                c = new Call(TransposeBase) { OutputSize = TransposeBase.InputSizes };
                c.OutputPadding[rank - 1] = 1 + Amount;
                return (c.Run, ["output_size"], "output_padding");
            case InvalidKind.OutputSizeOutOfRange:
            {
                // PyTorch's range for the last dimension: [min, min + stride − 1], min the size without output_padding.
                var t = TransposeBase;
                int min = t.InputSize(rank - 1) - t.OutputPadding(rank - 1);
                int size = Amount % 2 == 0 ? min + t.Stride(rank - 1) + Amount / 2 : min - 1 - Amount / 2;
                c = new Call(t) { OutputSize = [.. t.InputSizes[..^1], size], OutputPadding = [0] };
                return (c.Run, ["output_size"], $"{size}");
            }
            case InvalidKind.OutputShapeCountWrong:
                c = new Call(TransposeBase) { OutputShape = [.. TransposeBase.InputSizes, 2 + Amount], Padding = () => Padding.Zero };
                return (c.Run, ["output_shape"], $"{rank + 1} values");
            case InvalidKind.NegativeDerivedPadWithMode:
            {
                // An output_shape 2 or more beyond the natural size derives negative pads: zero padding only.
                var t = TransposeBase;
                var natural = Enumerable.Range(0, rank).Select(d => (t.OutputSize(d) - 1) * t.Stride(d) + t.Extent(d) + t.OutputPadding(d)).ToArray();
                natural[rank - 1] += 2 + Amount;
                c = new Call(t) { OutputShape = natural, Padding = () => Padding.Zero, Mode = (PaddingMode)(1 + Amount % 3) };
                return (c.Run, ["output_shape"], "negative");
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(Kind), Kind, null);
        }
    }

    /// <summary>The base as a conv (every spec is valid as either kind, by construction).</summary>
    private GeometrySpec ConvBase => Base with { Kind = SpecKind.Conv };

    /// <summary>The base as a conv_transpose, which has no 'same' padding.</summary>
    private GeometrySpec TransposeBase => Base with
    {
        Kind = SpecKind.ConvTranspose, Style = Base.Style == PaddingStyle.Same ? PaddingStyle.Symmetric : Base.Style,
    };

    /// <summary>A spec's resolved padding as before/after pairs, with the last dimension's pair replaced if given.</summary>
    private static Padding ExplicitPadding(GeometrySpec s, (int, int)? last)
    {
        var pairs = s.PaddingBefore.Zip(s.PaddingAfter).ToArray();
        if (last is { } l) pairs[^1] = l;
        return Padding.Asymmetric(pairs);
    }

    public override string ToString() => $"{Kind} (amount {Amount}) of {Base}";

    /// <summary>The arguments of one ForConv/ForConvTranspose call, starting from a valid spec.</summary>
    private sealed class Call(GeometrySpec s)
    {
        public SpecKind Kind = s.Kind;
        public int[] Input = s.Kind == SpecKind.Conv ? [s.Batch, s.InChannels, .. s.InputSizes] : [s.Batch, s.OutChannels, .. s.OutputSizes];
        public int[] Weight = s.WeightShape;
        public int[] Stride = s.Strides;
        public int[] Dilation = s.Dilations;
        public int[] OutputPadding = s.OutputPaddings;
        public int Groups = s.Groups;
        public PaddingMode Mode = s.Mode;
        public Func<Padding> Padding = () => s.Padding;
        public AutoPad AutoPad = AutoPad.NotSet;
        public int[]? OutputShape;
        public int[]? OutputSize;

        public void Run()
        {
            if (Kind == SpecKind.Conv)
                ConvGeometry.ForConv(Input, Weight, new ConvOptions { Stride = Stride, Padding = Padding(), Dilation = Dilation, Groups = Groups, PaddingMode = Mode, AutoPad = AutoPad });
            else
                ConvGeometry.ForConvTranspose(Input, Weight, new ConvTransposeOptions
                {
                    Stride = Stride, Padding = Padding(), Dilation = Dilation, Groups = Groups, PaddingMode = Mode, OutputPadding = OutputPadding,
                    AutoPad = AutoPad, OutputShape = OutputShape, OutputSize = OutputSize,
                });
        }
    }
}

/// <summary>Generator and shrinker of <see cref="InvalidCase"/>: every kind equally often, over every valid base geometry.</summary>
public static class InvalidArbitraries
{
    public static Arbitrary<InvalidCase> Invalid() => Arb.From(
        from spec in GeometryArbitraries.AnySpec
        from kind in Gen.Elements(Enum.GetValues<InvalidKind>())
        from amount in Gen.Choose(0, 3)
        select new InvalidCase(spec, kind, amount),
        c => GeometryArbitraries.Shrink(c.Base).Select(b => c with { Base = b })
            .Concat(c.Amount > 0 ? [c with { Amount = 0 }] : []));
}
