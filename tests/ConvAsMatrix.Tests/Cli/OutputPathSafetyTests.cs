using System.Diagnostics;

namespace ConvAsMatrix.Tests.Cli;

/// <summary>
/// --out where writing is refused, through a symbolic link, and over a file held open: each gets one clear line and
/// exit code 2, or the documented success (<see cref="AtomicFile"/>), and no existing file is damaged. The tests run
/// as root (CI does), which ignores permission bits, so refusals come from what root cannot override: /sys (EACCES),
/// an immutable directory or file (chattr +i, EPERM, needs an ext4-like file system) and a read-only tmpfs mount
/// (EROFS, needs CAP_SYS_ADMIN).
/// </summary>
public class OutputPathSafetyTests
{
    private static readonly string X = CliHarness.Fixture("conv2d_pad1_bias_x.npy"), W = CliHarness.Fixture("conv2d_pad1_bias_w.npy");
    private static readonly byte[] Precious = "precious, not an array"u8.ToArray();

    private static (int Code, string Out, string Err) Conv(CliHarness cli, string output) =>
        cli.Run("conv", "--input", X, "--weight", W, "--out", output);

    [Fact]
    public void ADirectoryRootCannotWriteIsRefusedUpFront()
    {
        // sysfs refuses new files even to root (EACCES → UnauthorizedAccessException).
        using var cli = new CliHarness();
        CliHarness.AssertBadInput(Conv(cli, "/sys/convmat-out.npy"), "--out", "cannot write '/sys/convmat-out.npy'", "accepts no new file");
        Assert.False(File.Exists("/sys/convmat-out.npy"));
    }

    [Fact]
    public void AnImmutableDirectoryIsRefusedAndItsFileKept()
    {
        // chattr +i: no file can be created, renamed or deleted in the directory, even by root (EPERM).
        using var cli = new CliHarness();
        var dir = Directory.CreateDirectory(cli.PathOf("frozen")).FullName;
        var output = Path.Combine(dir, "out.npy");
        File.WriteAllBytes(output, Precious);
        Tool("chattr", "+i", dir);
        try
        {
            CliHarness.AssertBadInput(Conv(cli, output), "--out", "accepts no new file");
        }
        finally { Tool("chattr", "-i", dir); }
        Assert.Equal(Precious, File.ReadAllBytes(output));
        Assert.Equal(["out.npy"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AnImmutableOutputIsNotReplacedAndNoTemporaryFileStays()
    {
        // The directory accepts the temporary file, so the work runs; the final rename over the immutable file is refused.
        using var cli = new CliHarness();
        var output = cli.PathOf("out.npy");
        File.WriteAllBytes(output, Precious);
        Tool("chattr", "+i", output);
        try
        {
            CliHarness.AssertBadInput(Conv(cli, output), "cannot replace", "out.npy", "unchanged");
        }
        finally { Tool("chattr", "-i", output); }
        Assert.Equal(Precious, File.ReadAllBytes(output));
        Assert.Equal(["out.npy"], cli.Files());
    }

    [Fact]
    public void AReadOnlyMountIsRefusedUpFront()
    {
        // A read-only tmpfs (EROFS → IOException), unmounted afterwards.
        using var cli = new CliHarness();
        var mount = Directory.CreateDirectory(cli.PathOf("ro")).FullName;
        Tool("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", mount);
        try
        {
            CliHarness.AssertBadInput(Conv(cli, Path.Combine(mount, "out.npy")), "--out", "creating a file in", "Read-only file system");
            Assert.Empty(Directory.GetFileSystemEntries(mount));
        }
        finally { Tool("umount", mount); }
    }

    [Fact]
    public void AFileWhereADirectoryIsExpectedIsRefused()
    {
        using var cli = new CliHarness();
        File.WriteAllBytes(cli.PathOf("file.npy"), Precious);
        CliHarness.AssertBadInput(Conv(cli, cli.PathOf("file.npy/y.npy")), "--out", "does not exist");
        Assert.Equal(Precious, File.ReadAllBytes(cli.PathOf("file.npy")));
    }

    [Fact]
    public void ASymbolicLinkIsFollowedAndItsTargetReplacedAtomically()
    {
        using var cli = new CliHarness();
        var target = cli.PathOf("real.npy");
        File.WriteAllBytes(target, Precious);
        File.CreateSymbolicLink(cli.PathOf("link.npy"), "real.npy");
        Assert.Equal(0, Conv(cli, cli.PathOf("link.npy")).Code);
        Assert.Equal("real.npy", new FileInfo(cli.PathOf("link.npy")).LinkTarget);
        Assert.Equal([2, 4, 3, 3], Npy.ReadFile(target).Shape);
        Assert.Equal(["link.npy", "real.npy"], cli.Files().Order());

        // A dangling link: the file it names is created.
        File.CreateSymbolicLink(cli.PathOf("dangling.npy"), "new.npy");
        Assert.Equal(0, Conv(cli, cli.PathOf("dangling.npy")).Code);
        Assert.Equal([2, 4, 3, 3], Npy.ReadFile(cli.PathOf("new.npy")).Shape);
        Assert.NotNull(new FileInfo(cli.PathOf("dangling.npy")).LinkTarget);
    }

    [Fact]
    public void LinksThatLeadNowhereAreRefused()
    {
        using var cli = new CliHarness();
        File.CreateSymbolicLink(cli.PathOf("a.npy"), "b.npy");
        File.CreateSymbolicLink(cli.PathOf("b.npy"), "a.npy");
        CliHarness.AssertBadInput(Conv(cli, cli.PathOf("a.npy")), "--out cannot write", "symbolic links");
        File.CreateSymbolicLink(cli.PathOf("away.npy"), "no/such/dir/x.npy");
        CliHarness.AssertBadInput(Conv(cli, cli.PathOf("away.npy")), "--out", "does not exist");
        Assert.Equal(["a.npy", "away.npy", "b.npy"], cli.Files().Order());
    }

    [Fact]
    public void AFileHeldOpenExclusivelyIsReplacedAndTheHolderKeepsTheOldContent()
    {
        // Linux: FileShare.None is an advisory lock and the rename ignores it; the holder's handle still reads the old inode.
        using var cli = new CliHarness();
        var output = cli.PathOf("out.npy");
        File.WriteAllBytes(output, Precious);
        using var holder = new FileStream(output, FileMode.Open, FileAccess.Read, FileShare.None);
        Assert.Equal(0, Conv(cli, output).Code);
        var held = new byte[Precious.Length + 1];
        Assert.Equal(Precious.Length, holder.ReadAtLeast(held, held.Length, throwOnEndOfStream: false));
        Assert.Equal(Precious, held[..Precious.Length]);
        Assert.Equal([2, 4, 3, 3], Npy.ReadFile(output).Shape);
        Assert.Equal(["out.npy"], cli.Files());
    }

    /// <summary>Runs a system tool that must succeed (chattr, mount, umount); a missing tool or a refusal fails the test.</summary>
    private static void Tool(string name, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(name, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{name} {string.Join(" ", args)} failed ({process.ExitCode}): {error}");
    }
}
