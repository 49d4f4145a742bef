namespace ConvAsMatrix;

/// <summary>
/// Writes a file all or nothing: the content goes to a temporary file in the same directory, which is renamed
/// over the destination only once it is complete. A failure part-way deletes the temporary file and leaves an
/// existing destination untouched.
/// </summary>
/// <remarks>
/// <para>A rename within one directory is atomic on POSIX file systems and NTFS, so a reader sees either the old
/// file or the whole new one — never a half-written array or matrix.</para>
/// <para>Paths that are not plain files:</para>
/// <list type="bullet">
/// <item>A <b>symbolic link</b> is followed to the file it finally names (even if that does not exist yet): that file is
/// replaced, atomically, beside itself, and the link stays a link — as <c>numpy.save</c> or <c>cp</c> writing through
/// it would leave things. A loop of links is an <see cref="IOException"/>.</item>
/// <item>A directory that accepts no new file (no write permission, a read-only mount, an immutable directory, /sys)
/// fails before anything is written, with an <see cref="UnauthorizedAccessException"/> or <see cref="IOException"/>
/// naming the path and the directory.</item>
/// <item>A destination <b>open in another handle</b>: on Linux the rename succeeds even if that handle was opened with
/// <see cref="FileShare.None"/> (.NET's sharing modes are advisory locks there, and a rename ignores them); the handle
/// keeps reading the old content, and the path names the new file. On Windows the rename fails with an
/// <see cref="IOException"/> and the file is untouched.</item>
/// </list>
/// </remarks>
public static class AtomicFile
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> puts into the stream it is given.</summary>
    /// <param name="path">The destination file (or a symbolic link to it); its directory must exist.</param>
    /// <param name="write">Writes the whole content; an exception from it aborts the write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The destination's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory accepts no new file, or the destination cannot be replaced.</exception>
    /// <exception cref="IOException">The file system refused (read-only, full, a loop of links...).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var destination = Destination(path);
        var temp = TempBeside(destination);
        try
        {
            using (var stream = CreateTemp(path, temp))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            Replace(path, temp, destination);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Checks, without touching the destination, that <see cref="Write"/> could create its file: a command checks this before its work.</summary>
    /// <param name="path">The destination file (or a symbolic link to it).</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The destination's directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory accepts no new file.</exception>
    /// <exception cref="IOException">The file system refused.</exception>
    public static void EnsureWritable(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var temp = TempBeside(Destination(path));
        CreateTemp(path, temp).Dispose();
        File.Delete(temp);
    }

    /// <summary>The file a write to <paramref name="path"/> replaces: the full path, through any symbolic links.</summary>
    private static string Destination(string path)
    {
        var full = Path.GetFullPath(path);
        var file = new FileInfo(full);
        if (file.LinkTarget is not null)
        {
            try { full = file.ResolveLinkTarget(returnFinalTarget: true)!.FullName; }
            catch (IOException e) { throw new IOException($"cannot write '{path}': {e.Message.TrimEnd('.')}", e); }
        }
        if (Directory.Exists(full)) throw new ArgumentException($"'{path}' is a directory, not a file", nameof(path));
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"the directory of '{path}' ({directory}) does not exist");
        return full;
    }

    /// <summary>Renames the complete temporary file over the destination; a refusal (an immutable or locked destination) names the path asked for.</summary>
    private static void Replace(string path, string temp, string destination)
    {
        try
        {
            File.Move(temp, destination, overwrite: true);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot replace '{path}' ({destination}): permission denied; it is unchanged", e);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot replace '{path}' ({destination}): {e.Message.Replace(temp, destination)}; it is unchanged", e);
        }
    }

    private static string TempBeside(string destination) =>
        Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");

    /// <summary>Creates the temporary file; a refusal names the path asked for and the directory, not the temporary name.</summary>
    private static FileStream CreateTemp(string path, string temp)
    {
        var directory = Path.GetDirectoryName(temp);
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UnauthorizedAccessException($"cannot write '{path}': the directory {directory} accepts no new file (permission denied)", e);
        }
        catch (IOException e) when (e is not DirectoryNotFoundException)
        {
            throw new IOException($"cannot write '{path}': creating a file in {directory} failed: {e.Message.Replace(temp, directory)}", e);
        }
    }
}
