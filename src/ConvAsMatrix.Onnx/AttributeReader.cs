using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>Reads and checks a Conv/ConvTranspose node's attributes; anything malformed is a <see cref="FileFormatException"/>.</summary>
internal static class AttributeReader
{
    private static readonly string[] ConvNames = ["auto_pad", "pads", "strides", "dilations", "group", "kernel_shape"];
    private static readonly string[] TransposeNames = [.. ConvNames, "output_padding", "output_shape"];

    public static OnnxConvAttributes Read(NodeProto node, OnnxConvOp op, int rank, string source, string layer)
    {
        var known = op == OnnxConvOp.ConvTranspose ? TransposeNames : ConvNames;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in node.Attribute)
        {
            if (!seen.Add(a.Name)) throw OnnxFormat.Error(source, $"node '{layer}' has attribute '{a.Name}' twice");
            if (!known.Contains(a.Name)) throw OnnxFormat.Error(source, $"node '{layer}' ({node.OpType}) has attribute '{a.Name}', which {node.OpType} does not define");
        }
        var autoPad = ReadAutoPad(node, source, layer);
        var pads = Ints(node, "pads", 2 * rank, 0, source, layer);
        var strides = Ints(node, "strides", rank, 1, source, layer);
        var dilations = Ints(node, "dilations", rank, 1, source, layer);
        var kernel = Ints(node, "kernel_shape", rank, 1, source, layer);
        var outputPadding = Ints(node, "output_padding", rank, 0, source, layer);
        var outputShape = Find(node, "output_shape") is { } os
            ? Ints(node, "output_shape", os.Ints.Count == rank + 2 ? rank + 2 : rank, 1, source, layer)
            : null;
        int group = 1;
        if (Find(node, "group") is { } g)
        {
            if (g.Type != AttributeProto.Types.AttributeType.Int)
                throw OnnxFormat.Error(source, $"node '{layer}': attribute 'group' must be an integer, is {g.Type}");
            if (g.I < 1 || g.I > int.MaxValue) throw OnnxFormat.Error(source, $"node '{layer}': group = {g.I} must be in [1, 2^31)");
            group = (int)g.I;
        }
        if (pads is not null && autoPad != AutoPad.NotSet)
            throw OnnxFormat.Error(source, $"node '{layer}': pads and auto_pad = {Text(autoPad)} cannot be used together");
        return new OnnxConvAttributes(autoPad, pads, strides, dilations, group, kernel, outputPadding, outputShape);
    }

    public static string Text(AutoPad autoPad) => autoPad switch
    {
        AutoPad.SameUpper => "SAME_UPPER",
        AutoPad.SameLower => "SAME_LOWER",
        AutoPad.Valid => "VALID",
        _ => "NOTSET",
    };

    private static AttributeProto? Find(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name);

    private static AutoPad ReadAutoPad(NodeProto node, string source, string layer)
    {
        if (Find(node, "auto_pad") is not { } a) return AutoPad.NotSet;
        if (a.Type != AttributeProto.Types.AttributeType.String)
            throw OnnxFormat.Error(source, $"node '{layer}': attribute 'auto_pad' must be a string, is {a.Type}");
        var text = a.S.ToStringUtf8();
        return text switch
        {
            "NOTSET" or "" => AutoPad.NotSet,
            "SAME_UPPER" => AutoPad.SameUpper,
            "SAME_LOWER" => AutoPad.SameLower,
            "VALID" => AutoPad.Valid,
            _ => throw OnnxFormat.Error(source, $"node '{layer}': auto_pad '{Quote(text)}' is not NOTSET, SAME_UPPER, SAME_LOWER or VALID"),
        };
    }

    private static int[]? Ints(NodeProto node, string name, int count, int minimum, string source, string layer)
    {
        if (Find(node, name) is not { } a) return null;
        if (a.Type != AttributeProto.Types.AttributeType.Ints)
            throw OnnxFormat.Error(source, $"node '{layer}': attribute '{name}' must be a list of integers, is {a.Type}");
        if (a.Ints.Count != count)
            throw OnnxFormat.Error(source, $"node '{layer}': attribute '{name}' has {a.Ints.Count} values, the weight's rank needs {count}");
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            long v = a.Ints[i];
            if (v < minimum || v > int.MaxValue)
                throw OnnxFormat.Error(source, $"node '{layer}': {name}[{i}] = {v} must be in [{minimum}, 2^31)");
            values[i] = (int)v;
        }
        return values;
    }

    /// <summary>At most 40 printable characters of a string from the file, so an error line stays one short line.</summary>
    public static string Quote(string text)
    {
        var clean = new string(text.Select(c => char.IsControl(c) ? '?' : c).Take(40).ToArray());
        return text.Length > 40 ? clean + "…" : clean;
    }
}
