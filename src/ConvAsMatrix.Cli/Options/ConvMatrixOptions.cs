using System.CommandLine;

namespace ConvAsMatrix.Cli;

/// <summary>
/// The options that define V without an input array — <c>--weight W.npy --input-shape C,D1[,D2[,D3]]</c> and the
/// convolution's geometry options — shared by every command that works on V itself (compile, show, and later
/// ones such as norm or bench).
/// </summary>
public sealed class ConvMatrixOptions
{
    private readonly Option<string> weight;

    /// <summary>Adds --weight, --input-shape and the convolution options to <paramref name="command"/>.</summary>
    public ConvMatrixOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        weight = PathOptions.RequiredPath("--weight", "W.npy", "Weight (C_out, C_in/groups, *kernel), .npy float64 or float32; the rank (1-3 spatial dimensions) comes from it.");
        Geometry = GeometryOptions.ForConv(withInputShape: true);
        command.Add(weight);
        Geometry.AddTo(command);
    }

    /// <summary>The geometry options (including --input-shape).</summary>
    public GeometryOptions Geometry { get; }

    /// <summary>Reads the weight (as float64) and builds the geometry of one sample of --input-shape.</summary>
    /// <exception cref="UsageException">The weight file is missing, or --input-shape does not fit it.</exception>
    /// <exception cref="FileFormatException">The weight file is not a supported .npy array.</exception>
    /// <exception cref="ArgumentException">The geometry is invalid.</exception>
    public (Tensor<double> Weight, ConvGeometry Geometry) Read(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var w = PathOptions.ReadFloatNpy("--weight", context.Require(weight)).ToDouble();
        return (w, Geometry.ConvGeometry(context.Parse, w.Shape));
    }
}
