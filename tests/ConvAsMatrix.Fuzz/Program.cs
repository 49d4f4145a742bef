using SharpFuzz;

namespace ConvAsMatrix.Fuzz;

/// <summary>
/// <c>ConvAsMatrix.Fuzz TARGET</c> under afl-fuzz (SharpFuzz's fork server, persistent mode) runs the target on
/// every input afl-fuzz sends; <c>ConvAsMatrix.Fuzz TARGET FILE|DIR...</c> replays inputs once each and exits 1 if
/// any breaks the property (a crash file to reproduce, a corpus to check); <c>--list</c> names the targets.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["--list"])
        {
            foreach (var t in FuzzTargets.All) Console.WriteLine(t.Name);
            return 0;
        }
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: ConvAsMatrix.Fuzz TARGET [FILE|DIR...]  (targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)) + ")");
            return 2;
        }
        var target = FuzzTargets.Get(args[0]);
        if (args.Length == 1)
        {
            Fuzzer.Run(stream =>
            {
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                target.Check(copy.ToArray());
            });
            return 0;
        }
        return Replay(target, args[1..]);
    }

    private static int Replay(FuzzTarget target, string[] paths)
    {
        int failures = 0, count = 0;
        foreach (var file in paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal).ToArray() : new[] { p }))
        {
            count++;
            try
            {
                target.Check(File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures++;
                Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                if (Environment.GetEnvironmentVariable("FUZZ_VERBOSE") is not null) Console.WriteLine(e);
            }
        }
        Console.WriteLine($"{target.Name}: {count} inputs, {failures} broke the property");
        return failures == 0 ? 0 : 1;
    }
}
