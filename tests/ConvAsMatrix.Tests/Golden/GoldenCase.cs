using System.Text.Json;
using System.Text.Json.Serialization;

namespace ConvAsMatrix.Tests.Golden;

/// <summary>
/// One case written by tests/golden/generate.py from PyTorch 1.13: the hyperparameters, the tensors (flattened
/// row-major) and PyTorch's result, plus a random output gradient and the gradients autograd gave for it (input, weight, bias).
/// </summary>
public sealed record GoldenCase
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("rank")] public int Rank { get; init; }
    [JsonPropertyName("padding_mode")] public required string PaddingModeName { get; init; }
    [JsonPropertyName("padding_style")] public required string PaddingStyle { get; init; }
    [JsonPropertyName("output_padding_style")] public string? OutputPaddingStyle { get; init; }
    [JsonPropertyName("input_shape")] public required int[] InputShape { get; init; }
    [JsonPropertyName("weight_shape")] public required int[] WeightShape { get; init; }
    [JsonPropertyName("stride")] public required int[] Stride { get; init; }
    /// <summary>"same", "valid", or [[before, after], ...] per dimension.</summary>
    [JsonPropertyName("padding")] public required JsonElement PaddingSpec { get; init; }
    [JsonPropertyName("output_padding")] public int[]? OutputPadding { get; init; }
    [JsonPropertyName("dilation")] public required int[] Dilation { get; init; }
    [JsonPropertyName("groups")] public int Groups { get; init; }
    [JsonPropertyName("bias")] public double[]? Bias { get; init; }
    [JsonPropertyName("input")] public required double[] Input { get; init; }
    [JsonPropertyName("weight")] public required double[] Weight { get; init; }
    [JsonPropertyName("output_shape")] public required int[] OutputShape { get; init; }
    [JsonPropertyName("output")] public required double[] Output { get; init; }
    /// <summary>A random tensor of the output's shape.</summary>
    [JsonPropertyName("grad_output")] public required double[] GradOutput { get; init; }
    /// <summary>PyTorch autograd's gradient of ⟨output, grad_output⟩ with respect to the input: the adjoint applied to grad_output.</summary>
    [JsonPropertyName("grad_input")] public required double[] GradInput { get; init; }
    /// <summary>autograd's gradient of ⟨output, grad_output⟩ with respect to the weight: U(input)ᵀ·grad_output, in the case's own weight layout.</summary>
    [JsonPropertyName("grad_weight")] public required double[] GradWeight { get; init; }
    /// <summary>autograd's gradient with respect to the bias (grad_output summed over batch and positions), or null for a case without bias.</summary>
    [JsonPropertyName("grad_bias")] public double[]? GradBias { get; init; }

    public bool IsTranspose => Kind == "conv_transpose";

    public override string ToString() => Id;

    /// <summary>The padding as the library spells it: 'same', 'valid', symmetric amounts, or before/after pairs.</summary>
    public Padding ToPadding()
    {
        if (PaddingSpec.ValueKind == JsonValueKind.String)
            return Padding.Parse(PaddingSpec.GetString()!);
        var pairs = PaddingSpec.EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32())).ToArray();
        return pairs.All(p => p.Item1 == p.Item2)
            ? Padding.Symmetric(pairs.Select(p => p.Item1).ToArray())
            : Padding.Asymmetric(pairs);
    }

    public PaddingMode ToPaddingMode() => Enum.Parse<PaddingMode>(PaddingModeName, ignoreCase: true);

    public ConvOptions ToConvOptions() => new()
    {
        Stride = Stride, Padding = ToPadding(), Dilation = Dilation, Groups = Groups, PaddingMode = ToPaddingMode(),
    };

    public ConvTransposeOptions ToConvTransposeOptions() => new()
    {
        Stride = Stride, Padding = ToPadding(), OutputPadding = OutputPadding!, Dilation = Dilation, Groups = Groups,
        PaddingMode = ToPaddingMode(),
    };

    /// <summary>The forward convolution whose V the case exercises (for a transposed case, the one it transposes).</summary>
    public ConvGeometry Geometry() => IsTranspose
        ? ConvGeometry.ForConvTranspose(InputShape, WeightShape, ToConvTransposeOptions())
        : ConvGeometry.ForConv(InputShape, WeightShape, ToConvOptions());
}

/// <summary>The committed golden files, read once from the test output folder (the test .csproj copies tests/golden/*.json there).</summary>
public static class GoldenCases
{
    private static readonly Lazy<IReadOnlyDictionary<string, GoldenCase>> All = new(Load);

    public static IReadOnlyDictionary<string, GoldenCase> ById => All.Value;

    public static GoldenCase Get(string id) => ById[id];

    public static IEnumerable<GoldenCase> OfKind(string kind) => ById.Values.Where(c => c.Kind == kind);

    /// <summary>Case ids of one kind, as xunit theory rows.</summary>
    public static TheoryData<string> Ids(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var c in OfKind(kind)) data.Add(c.Id);
        return data;
    }

    private sealed record GoldenFile([property: JsonPropertyName("torch")] string Torch, [property: JsonPropertyName("cases")] GoldenCase[] Cases);

    private static IReadOnlyDictionary<string, GoldenCase> Load()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "golden");
        var result = new Dictionary<string, GoldenCase>();
        foreach (var name in new[] { "conv.json", "conv_transpose.json" })
        {
            using var stream = File.OpenRead(Path.Combine(dir, name));
            var file = JsonSerializer.Deserialize<GoldenFile>(stream) ?? throw new InvalidDataException($"{name} is empty");
            foreach (var c in file.Cases) result.Add(c.Id, c);
        }
        return result;
    }
}
