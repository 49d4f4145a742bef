using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace ConvAsMatrix.Cli;

/// <summary>Options whose values follow convmat's grammar: integer lists, padding, padding mode. Bad values become parse errors (exit 2).</summary>
public static class ValueParsers
{
    /// <summary>An option taking one integer for every dimension or a comma list (<c>2</c> or <c>2,1</c>).</summary>
    /// <param name="name">The option, e.g. <c>--stride</c>.</param>
    /// <param name="description">Its help text.</param>
    /// <param name="minimum">The smallest value allowed.</param>
    /// <param name="helpName">How help shows the value.</param>
    public static Option<int[]> IntList(string name, string description, int minimum, string helpName = "N|N1,N2,...") =>
        new(name)
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r => ParseIntList(r, name, minimum),
        };

    private static int[]? ParseIntList(ArgumentResult result, string name, int minimum)
    {
        try { return DimensionList.Parse(result.Tokens.Count == 1 ? result.Tokens[0].Value : "", name, minimum); }
        catch (ArgumentException e) { result.AddError(CommandRunner.OneLine(e)); return null; }
    }

    /// <summary>The <c>--padding</c> option: <c>P</c>, <c>P1,P2,...</c>, <c>same</c>, <c>valid</c> or <c>B1:A1,B2:A2,...</c> (<see cref="Padding.Parse"/>).</summary>
    /// <param name="description">Its help text.</param>
    /// <param name="helpName">How help shows the value (a transposed convolution takes no 'same').</param>
    public static Option<Padding> PaddingOption(string description, string helpName = "P|P1,P2,...|same|valid|B1:A1,...") =>
        new("--padding")
        {
            Description = description,
            HelpName = helpName,
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                try { return Padding.Parse(r.Tokens.Count == 1 ? r.Tokens[0].Value : ""); }
                catch (ArgumentException e) { r.AddError("--" + CommandRunner.OneLine(e)); return null; }
            },
        };

    /// <summary>The <c>--auto-pad</c> option: ONNX's auto_pad as notset, same-upper, same-lower or valid (also with '_', any case); null when absent.</summary>
    public static Option<AutoPad?> AutoPadOption() =>
        new("--auto-pad")
        {
            Description = "ONNX's auto_pad: same-upper / same-lower pad for output ceil(in/stride) (conv) or in*stride (tconv), the odd one after (upper) or before (lower); valid pads nothing; notset (default) uses --padding.",
            HelpName = "notset|same-upper|same-lower|valid",
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                switch (text.Replace('_', '-').ToLowerInvariant())
                {
                    case "notset": return AutoPad.NotSet;
                    case "same-upper": return AutoPad.SameUpper;
                    case "same-lower": return AutoPad.SameLower;
                    case "valid": return AutoPad.Valid;
                    default:
                        r.AddError($"--auto-pad '{text}' is not one of notset, same-upper, same-lower, valid");
                        return null;
                }
            },
        };

    /// <summary>The <c>--padding-mode</c> option: zeros, reflect, replicate or circular (PyTorch's names); null when absent.</summary>
    public static Option<PaddingMode?> PaddingModeOption(string description) => EnumOption<PaddingMode>("--padding-mode", description);

    /// <summary>The <c>--method</c> option of conv and tconv: matrix (through V) or direct (the textbook loops); null when absent.</summary>
    public static Option<ConvMethod?> MethodOption() =>
        EnumOption<ConvMethod>("--method", "How to compute: matrix (V·x, Vᵀ·y; the default) or direct (the reference loops, for comparison).");

    /// <summary>An option taking one of an enum's names in lower case with words joined by hyphens (ConvGradInput: conv-grad-input), case-insensitively; null when absent, so help shows the default in the description's words.</summary>
    public static Option<TEnum?> EnumOption<TEnum>(string name, string description, bool required = false, Func<TEnum, string>? spelling = null) where TEnum : struct, Enum
    {
        var values = Enum.GetValues<TEnum>().ToDictionary(v => (spelling ?? CommandLineName)(v), StringComparer.OrdinalIgnoreCase);
        return new(name)
        {
            Description = description,
            Required = required,
            HelpName = string.Join('|', values.Keys),
            Arity = ArgumentArity.ExactlyOne,
            CustomParser = r =>
            {
                var text = r.Tokens.Count == 1 ? r.Tokens[0].Value : "";
                if (values.TryGetValue(text, out var value)) return value;
                r.AddError($"{name} '{text}' is not one of {string.Join(", ", values.Keys)}");
                return null;
            },
        };
    }

    /// <summary>The <c>--out-dtype</c> of the commands that write arrays: NumPy's dtype names (uint8, float32, ...).</summary>
    public static Option<NpyDataType?> DtypeOption(string description) =>
        EnumOption<NpyDataType>("--out-dtype", description, spelling: DtypeName);

    /// <summary>NumPy's name of a dtype, as the CLI prints and parses it.</summary>
    public static string DtypeName(NpyDataType type) => type.ToString().ToLowerInvariant();

    /// <summary>How the command line spells an enum value: lower case, a hyphen before each word after the first (Float32: float32, TconvGradWeight: tconv-grad-weight).</summary>
    public static string CommandLineName<TEnum>(TEnum value) where TEnum : struct, Enum =>
        string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
