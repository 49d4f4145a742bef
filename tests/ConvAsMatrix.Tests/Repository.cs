namespace ConvAsMatrix.Tests;

/// <summary>The clone the tests run from: the folder of ConvAsMatrix.sln above the test binaries.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ConvAsMatrix.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no ConvAsMatrix.sln above {AppContext.BaseDirectory}");
    }
}
