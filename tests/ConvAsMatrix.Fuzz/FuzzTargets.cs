using ConvAsMatrix.Fuzz.Targets;

namespace ConvAsMatrix.Fuzz;

/// <summary>Every fuzz target by name: the readers of untrusted files and the command line's parsing.</summary>
public static class FuzzTargets
{
    /// <summary>The targets, in the order fuzz.sh runs them.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        NpyTarget.Target,
        MatrixMarketTarget.Target,
        PaddingTarget.Target,
        GeometryTarget.Target,
        CliParseTarget.Target,
        OnnxTarget.Target,
    ];

    /// <summary>The target called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No target has that name.</exception>
    public static FuzzTarget Get(string name) =>
        All.FirstOrDefault(t => t.Name == name)
        ?? throw new ArgumentException($"no fuzz target '{name}'; the targets are {string.Join(", ", All.Select(t => t.Name))}", nameof(name));
}
