using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAsMatrix.Tests.Quantized;

/// <summary>
/// ONNX ConvInteger and QLinearConv against exact goldens from NumPy int64 loops (tests/golden/quantized.py): rank 1–3,
/// uint8 and int8 inputs, weights and outputs, zero points per tensor and per channel, bias, groups, strides, pads,
/// dilations, and a case whose adjacent u8s8 products overflow int16. Every accumulation and every output must be exact.
/// </summary>
public class QuantizedGoldenTests
{
    public sealed record Case
    {
        [JsonPropertyName("id")] public required string Id { get; init; }
        [JsonPropertyName("x_type")] public required string XType { get; init; }
        [JsonPropertyName("w_type")] public required string WType { get; init; }
        [JsonPropertyName("y_type")] public required string YType { get; init; }
        [JsonPropertyName("adversarial")] public bool Adversarial { get; init; }
        [JsonPropertyName("x_shape")] public required int[] XShape { get; init; }
        [JsonPropertyName("w_shape")] public required int[] WShape { get; init; }
        [JsonPropertyName("x")] public required long[] X { get; init; }
        [JsonPropertyName("w")] public required long[] W { get; init; }
        [JsonPropertyName("x_zero_point")] public int XZeroPoint { get; init; }
        [JsonPropertyName("w_zero_point")] public required int[] WZeroPoint { get; init; }
        [JsonPropertyName("bias")] public int[]? Bias { get; init; }
        [JsonPropertyName("stride")] public required int[] Stride { get; init; }
        [JsonPropertyName("pads")] public required int[][] Pads { get; init; }
        [JsonPropertyName("dilation")] public required int[] Dilation { get; init; }
        [JsonPropertyName("group")] public int Group { get; init; }
        [JsonPropertyName("x_scale")] public float XScale { get; init; }
        [JsonPropertyName("w_scale")] public required float[] WScale { get; init; }
        [JsonPropertyName("y_scale")] public float YScale { get; init; }
        [JsonPropertyName("y_zero_point")] public int YZeroPoint { get; init; }
        [JsonPropertyName("multipliers")] public required float[] Multipliers { get; init; }
        [JsonPropertyName("accumulation_shape")] public required int[] AccumulationShape { get; init; }
        [JsonPropertyName("accumulation")] public required long[] Accumulation { get; init; }
        [JsonPropertyName("y")] public required long[] Y { get; init; }

        public ConvOptions Options => new()
        {
            Stride = Stride, Dilation = Dilation, Groups = Group,
            Padding = Padding.Asymmetric(Pads.Select(p => (p[0], p[1])).ToArray()),
        };

        public override string ToString() => Id;
    }

    private sealed record File([property: JsonPropertyName("cases")] Case[] Cases);

    /// <summary>The golden cases by id.</summary>
    internal static IReadOnlyDictionary<string, Case> All => Cases.Value;

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(() =>
    {
        using var stream = System.IO.File.OpenRead(Path.Combine(AppContext.BaseDirectory, "golden", "quantized.json"));
        return JsonSerializer.Deserialize<File>(stream)!.Cases.ToDictionary(c => c.Id);
    });

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var id in Cases.Value.Keys) data.Add(id);
        return data;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void AccumulationAndRequantizedOutputAreExact(string id)
    {
        var c = Cases.Value[id];
        switch (c.XType, c.WType)
        {
            case ("uint8", "uint8"): Run<byte, byte>(c); break;
            case ("uint8", "int8"): Run<byte, sbyte>(c); break;
            case ("int8", "uint8"): Run<sbyte, byte>(c); break;
            default: Run<sbyte, sbyte>(c); break;
        }
    }

    private static void Run<TX, TW>(Case c)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
    {
        var x = new Tensor<TX>(c.X.Select(TX.CreateChecked).ToArray(), c.XShape);
        var w = new Tensor<TW>(c.W.Select(TW.CreateChecked).ToArray(), c.WShape);
        var bias = c.Bias is null ? null : new Tensor<int>(c.Bias, c.Bias.Length);
        var acc = QuantizedConvolution.Accumulate(x, w, [c.XZeroPoint], c.WZeroPoint, bias, c.Options);
        Assert.Equal(c.AccumulationShape, acc.ShapeArray);
        Assert.Equal(c.Accumulation, acc.Data);
        if (bias is null)
            Assert.Equal(c.Accumulation.Select(v => (int)v), QuantizedConvolution.ConvInteger(x, w, [c.XZeroPoint], c.WZeroPoint, c.Options).Data);
        if (c.YType == "uint8") Requantized<TX, TW, byte>(c, x, w, bias);
        else Requantized<TX, TW, sbyte>(c, x, w, bias);
    }

    private static void Requantized<TX, TW, TY>(Case c, Tensor<TX> x, Tensor<TW> w, Tensor<int>? bias)
        where TX : IBinaryInteger<TX>, IMinMaxValue<TX>
        where TW : IBinaryInteger<TW>, IMinMaxValue<TW>
        where TY : IBinaryInteger<TY>, IMinMaxValue<TY>
    {
        var r = QuantizedConvolution.QLinearConv<TX, TW, TY>(x, c.XScale, c.XZeroPoint, w, c.WScale, c.WZeroPoint, c.YScale, c.YZeroPoint, bias, c.Options);
        Assert.Equal(c.Multipliers.Select(BitConverter.SingleToInt32Bits), r.Multipliers.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(c.Accumulation, r.Accumulation.Data);
        Assert.Equal(c.Y, r.Output.Data.Select(long.CreateChecked));
    }

    [Fact]
    public void TheGoldensCoverEveryKind()
    {
        var all = Cases.Value.Values.ToList();
        foreach (int rank in new[] { 1, 2, 3 })
            Assert.Contains(all, c => c.XShape.Length == rank + 2);
        foreach (var t in new[] { "uint8", "int8" })
        {
            Assert.Contains(all, c => c.XType == t);
            Assert.Contains(all, c => c.WType == t);
            Assert.Contains(all, c => c.YType == t);
        }
        Assert.Contains(all, c => c.WZeroPoint.Length > 1);
        Assert.Contains(all, c => c.Group > 1);
        Assert.Contains(all, c => c.Bias is not null);
        Assert.Contains(all, c => c.Stride.Any(s => s > 1) && c.Dilation.Any(d => d > 1));
        // The adversarial case: adjacent products 255·127 whose pairwise sum 64770 overflows int16, exact here.
        Assert.Contains(all, c => c.Adversarial && c.Accumulation.Max() > 2 * 32767);
        // Some outputs saturate and some round a half: the requantization's edges are exercised.
        Assert.Contains(all, c => c.Y.Contains(c.YType == "uint8" ? 255 : 127) || c.Y.Contains(c.YType == "uint8" ? 0 : -128));
    }
}
