using System.CommandLine;
using ConvAsMatrix.Cli;

namespace ConvAsMatrix.Fuzz.Targets;

/// <summary>
/// The CLI's geometry options (<see cref="GeometryOptions"/>, <see cref="ValueParsers"/>) through to the library's
/// <see cref="ConvGeometry"/>: a command line <c>conv|tconv --weight-shape ... --input-shape ... [--stride ...] ...</c>
/// either fails to parse (System.CommandLine's errors), or gives a geometry, or an
/// <see cref="ArgumentException"/> / <see cref="UsageException"/> ; a geometry's sizes
/// (output shape, entry count of V) come without allocating or looping over them.
/// </summary>
public static class GeometryTarget
{
    /// <summary>The target.</summary>
    public static FuzzTarget Target { get; } = new("geometry", Parse, [typeof(ArgumentException), typeof(UsageException)],
        (input, _) => (2 << 20) + 256L * input.Length);

    private static object? Parse(byte[] input)
    {
        var root = new RootCommand();
        var conv = Command("conv", GeometryOptions.ForConv(withInputShape: true), out var convWeight);
        var tconv = Command("tconv", GeometryOptions.ForConvTranspose(withInputShape: true), out var tconvWeight);
        root.Add(conv.Command);
        root.Add(tconv.Command);
        var parse = root.Parse(Tokens.Split(input), ConvAsMatrix.Cli.Cli.Parsing);
        // Help (-h bundled into a token such as -hx) suppresses the parse errors: nothing to build then.
        if (parse.Errors.Count > 0 || parse.Action is not null) return null;
        ConvGeometry geometry;
        if (parse.CommandResult.Command == conv.Command && parse.GetValue(convWeight) is { Length: > 0 } w)
            geometry = conv.Options.ConvGeometry(parse, w);
        else if (parse.CommandResult.Command == tconv.Command && parse.GetValue(tconvWeight) is { Length: > 0 } t)
            geometry = tconv.Options.ConvTransposeGeometry(parse, t);
        else return null;
        _ = geometry.NonZeroCount;
        _ = geometry.OutputShape;
        return geometry;
    }

    private static (Command Command, GeometryOptions Options) Command(string name, GeometryOptions options, out Option<int[]> weightShape)
    {
        var command = new Command(name);
        weightShape = ValueParsers.IntList("--weight-shape", "The weight's shape.", 1);
        weightShape.Required = true;
        command.Add(weightShape);
        options.AddTo(command);
        return (command, options);
    }
}
