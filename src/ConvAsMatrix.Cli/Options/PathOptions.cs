using System.CommandLine;

namespace ConvAsMatrix.Cli;

/// <summary>The file options the commands share (--input, --weight, --bias, --out) and reading/writing through them.</summary>
public static class PathOptions
{
    /// <summary>A required path option, e.g. <c>--weight W.npy</c>.</summary>
    public static Option<string> RequiredPath(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Required = true, Arity = ArgumentArity.ExactlyOne };

    /// <summary>An optional path option, e.g. <c>--bias B.npy</c>.</summary>
    public static Option<string?> OptionalPath(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName, Arity = ArgumentArity.ExactlyOne };

    /// <summary>Reads the .npy file an option names: a float32 or float64 array, in either byte order and element order.</summary>
    /// <exception cref="UsageException">The file does not exist, or holds another dtype (the message names the option, path and dtype).</exception>
    /// <exception cref="FileFormatException">It is not a supported .npy array.</exception>
    public static NpyArray ReadNpy(string option, string path)
    {
        var array = ReadNpyOfAnyType(option, path);
        if (array.DataType is not (NpyDataType.Float64 or NpyDataType.Float32))
            throw new UsageException($"{option} '{path}' holds {array.DataType.ToString().ToLowerInvariant()} data; this command reads float32 or float64 arrays");
        return array;
    }

    /// <summary>Reads the .npy file an option names, whatever its element type (the caller converts it).</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="FileFormatException">It is not a valid .npy file.</exception>
    public static NpyArray ReadNpyOfAnyType(string option, string path)
    {
        RequireFile(option, path);
        return Npy.ReadFile(path);
    }

    /// <summary>Reads the Matrix Market file an option names.</summary>
    /// <exception cref="UsageException">The file does not exist.</exception>
    /// <exception cref="FileFormatException">It is not a valid coordinate real general matrix.</exception>
    public static CompressedRowStorage<double> ReadMatrixMarket(string option, string path)
    {
        RequireFile(option, path);
        return MatrixMarket.ReadFile(path);
    }

    private static void RequireFile(string option, string path)
    {
        if (Directory.Exists(path)) throw new UsageException($"{option} '{path}' is a directory, not a file");
        if (!File.Exists(path)) throw new UsageException($"{option} '{path}': no such file");
    }

    /// <summary>Checks, before any work, that an output path can be written: its directory exists and accepts a new file, and it is not a directory (symbolic links followed, as <see cref="AtomicFile"/> does).</summary>
    /// <param name="option">The option, e.g. --out.</param>
    /// <param name="path">The path.</param>
    /// <param name="extensions">Allowed extensions (with the dot, lower case), or none for any.</param>
    /// <exception cref="UsageException">It cannot be (the message names the option and path).</exception>
    public static void CheckOutput(string option, string path, params string[] extensions)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} needs a file name");
        if (Directory.Exists(path)) throw new UsageException($"{option} '{path}' is a directory, not a file");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory)) throw new UsageException($"{option} '{path}': directory '{directory}' does not exist");
        if (extensions.Length > 0 && !extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
            throw new UsageException($"{option} '{path}' must end in {string.Join(" or ", extensions)}");
        // Before the work, not after it: a directory that accepts no new file (permissions, read-only mount), a loop of links.
        try { AtomicFile.EnsureWritable(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException) { throw new UsageException($"{option} {CommandRunner.OneLine(e)}"); }
    }
}
