using FsCheck;
using FsCheck.Fluent;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Validation;

/// <summary>
/// Shapes and hyperparameters drawn from anywhere in int32 — tiny, negative, and near the limits, with per-dimension
/// lists of any length — must give a geometry or an ArgumentException: never Overflow, IndexOutOfRange,
/// OutOfMemory or anything else from inside the library.
/// </summary>
public class ExtremeValueTests
{
    /// <summary>Raw arguments of one ForConv/ForConvTranspose call.</summary>
    public sealed record RawCall(bool Transpose, int[] Input, int[] Weight, int[] Stride, int[] Dilation, int[] PaddingBefore, int[] PaddingAfter,
        int[] OutputPadding, int Groups, int Mode)
    {
        /// <summary>ONNX's auto_pad as its enum value (0 NotSet; out-of-range values too).</summary>
        public int AutoPad { get; init; }

        /// <summary>ONNX's output_shape (transposed only), or null.</summary>
        public int[]? OutputShape { get; init; }

        /// <summary>PyTorch's output_size (transposed only), or null.</summary>
        public int[]? OutputSize { get; init; }

        /// <summary>Keep the explicit padding and output_padding next to the derived ones (a conflict), instead of zeroing them.</summary>
        public bool KeepExplicit { get; init; }

        public ConvGeometry Run()
        {
            bool derived = AutoPad != 0 || OutputShape is not null || OutputSize is not null;
            var padding = derived && !KeepExplicit ? Padding.Zero : Padding.Asymmetric(PaddingBefore.Zip(PaddingAfter).ToArray());
            var outputPadding = OutputSize is not null && !KeepExplicit ? [0] : OutputPadding;
            return Transpose
                ? ConvGeometry.ForConvTranspose(Input, Weight, new ConvTransposeOptions
                {
                    Stride = Stride, Dilation = Dilation, Padding = padding, OutputPadding = outputPadding, Groups = Groups, PaddingMode = (PaddingMode)Mode,
                    AutoPad = (AutoPad)AutoPad, OutputShape = OutputShape, OutputSize = OutputSize,
                })
                : ConvGeometry.ForConv(Input, Weight, new ConvOptions
                {
                    Stride = Stride, Dilation = Dilation, Padding = padding, Groups = Groups, PaddingMode = (PaddingMode)Mode, AutoPad = (AutoPad)AutoPad,
                });
        }

        public override string ToString() =>
            $"{(Transpose ? "conv_transpose" : "conv")} input ({string.Join(",", Input)}) weight ({string.Join(",", Weight)}) stride ({string.Join(",", Stride)}) " +
            $"dilation ({string.Join(",", Dilation)}) pad ({string.Join(",", PaddingBefore)}):({string.Join(",", PaddingAfter)}) op ({string.Join(",", OutputPadding)}) groups {Groups} mode {Mode}" +
            $" auto_pad {AutoPad} output_shape ({string.Join(",", OutputShape ?? [])}) output_size ({string.Join(",", OutputSize ?? [])}){(KeepExplicit ? " keep" : "")}";
    }

    public static class Arbitraries
    {
        /// <summary>Mostly small and valid, sometimes zero, negative, large or at the int32 limits.</summary>
        private static readonly Gen<int> Value = Gen.Frequency(
            (100, Gen.Choose(1, 4)),
            (2, Gen.Constant(0)),
            (2, Gen.Choose(-2, -1)),
            (3, Gen.Choose(1 << 15, 1 << 17)),
            (3, Gen.Choose(int.MaxValue - 2, int.MaxValue)),
            (1, Gen.Elements(int.MinValue, int.MinValue + 1, 1 << 30, 46341)));

        private static readonly Gen<int> PaddingValue = Gen.Frequency((6, Gen.Choose(0, 3)), (1, Value));

        public static Arbitrary<RawCall> Raw() => Arb.From(
            from transpose in Gen.Elements(false, true)
            from rank in Gen.Frequency((12, Gen.Choose(1, 3)), (1, Gen.Elements(0, 4)))
            from spatial in Gen.ArrayOf(Value, rank)
            from kernel in Gen.ArrayOf(Value, rank)
            from batch in Value
            from groups in Value
            from inPerGroup in Value
            from outPerGroup in Value
            from consistent in Gen.Frequency((9, Gen.Constant(true)), (1, Gen.Constant(false)))
            from otherChannels in Value
            from perDim in Gen.Frequency((8, Gen.Constant(rank)), (2, Gen.Constant(1)), (1, Gen.Choose(0, 4)))
            from stride in Gen.ArrayOf(Value, perDim)
            from dilation in Gen.ArrayOf(Value, perDim)
            from before in Gen.ArrayOf(PaddingValue, perDim)
            from after in Gen.ArrayOf(PaddingValue, perDim)
            from op in Gen.ArrayOf(PaddingValue, perDim)
            from mode in Gen.Frequency((12, Gen.Choose(0, 3)), (1, Gen.Elements(-1, 4)))
            // Channels agree with groups unless 'consistent' is false (products may wrap around: that is one more odd value).
            let inChannels = consistent ? unchecked(groups * inPerGroup) : otherChannels
            let outChannels = unchecked(groups * outPerGroup)
            let input = transpose ? (int[])[batch, outChannels, .. spatial] : [batch, inChannels, .. spatial]
            let weight = transpose ? (int[])[consistent ? outChannels : otherChannels, inPerGroup, .. kernel] : [outChannels, inPerGroup, .. kernel]
            // Issue 9's options: auto_pad (sometimes undefined), output_shape / output_size of any length and value.
            from autoPad in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Choose(1, 3)), (1, Gen.Elements(-1, 4)))
            from derivedSize in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (2, Gen.Constant(2)))
            from sizes in Gen.ArrayOf(Value, perDim)
            from keepExplicit in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
            select new RawCall(transpose, input, weight, stride, dilation, before, after, op, groups, mode)
            {
                AutoPad = autoPad, OutputShape = derivedSize == 1 ? sizes : null, OutputSize = derivedSize == 2 ? sizes : null, KeepExplicit = keepExplicit,
            });
    }

    public sealed class ExtremePropertyAttribute : FsCheck.Xunit.PropertyAttribute
    {
        public ExtremePropertyAttribute()
        {
            MaxTest = 1000;
            Arbitrary = [typeof(Arbitraries)];
            QuietOnSuccess = true;
        }
    }

    [ExtremeProperty]
    public void AnyIntegersGiveAGeometryOrAnArgumentException(RawCall c)
    {
        ConvGeometry? g = null;
        var ex = Record.Exception(() => g = c.Run());
        if (ex is not null)
        {
            Assert.True(ex is ArgumentException, $"{ex.GetType().Name}: {ex.Message}");
            return;
        }
        // A geometry was accepted: its sizes must be consistent and positive.
        Assert.All(g!.InputShape, s => Assert.True(s >= 1));
        Assert.All(g.OutputShape, s => Assert.True(s >= 1));
        Assert.True(g.InputLength >= 1 && g.OutputLength >= 1);
        // Counting V's entries takes O(1) per output position (any kernel, any padding): bound the outputs only; compile only small ones.
        if (g.OutputSize.Sum(s => (long)s) > 1 << 20) return;
        long nnz = g.NonZeroCount;
        Assert.True(nnz >= 0);
        if (nnz > 100_000 || g.WeightLength > 1_000_000 || g.Batch * (long)g.InputLength > 1_000_000 || g.Batch * (long)g.OutputLength > 1_000_000) return;
        var v = ConvolutionMatrix<long>.Compile(new long[g.WeightLength], g);
        Assert.Equal(nnz, v.NonZerosCount);

        // The direct references pad the input first: that copy must fit int32 or be refused with ArgumentException.
        double padded = (double)g.Batch * g.InChannels; // double: the product of five int32 factors can overflow long
        for (int d = 0; d < g.Rank; d++) padded *= (double)g.InputSize[d] + g.PaddingBefore[d] + g.PaddingAfter[d];
        var x = new long[g.Batch * g.InputLength];
        var y = new long[g.Batch * g.OutputLength];
        if (padded > Array.MaxLength)
            Assert.ThrowsAny<ArgumentException>(() => DirectCorrelation.Apply<long>(g, x, new long[g.WeightLength], y));
        else if (padded <= 1_000_000)
            DirectCorrelation.Apply<long>(g, x, new long[g.WeightLength], y);
    }

    [Fact]
    public void TheGeneratorReachesBothValidAndManyKindsOfInvalidCalls()
    {
        var sample = Gen.Sample(Arbitraries.Raw().Generator, 1000, new Rnd(1UL), 50);
        int valid = 0;
        var refused = new HashSet<string?>();
        foreach (var c in sample)
        {
            try { c.Run(); valid++; }
            catch (ArgumentException e) { refused.Add(e.ParamName); }
        }
        Assert.InRange(valid, 50, 500);
        Assert.True(refused.Count >= 12, $"only {refused.Count} distinct parameters refused: {string.Join(", ", refused)}");
    }
}
