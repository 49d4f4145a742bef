namespace ConvAsMatrix;

/// <summary>
/// Writes a file all or nothing: the content goes to a temporary file in the same directory, which is renamed
/// over the destination only once it is complete. A failure part-way deletes the temporary file and leaves an
/// existing destination untouched.
/// </summary>
/// <remarks>
/// A rename within one directory is atomic on POSIX file systems and NTFS, so a reader sees either the old
/// file or the whole new one — never a half-written array or matrix.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Creates or replaces <paramref name="path"/> with what <paramref name="write"/> puts into the stream it is given.</summary>
    /// <param name="path">The destination file; its directory must exist.</param>
    /// <param name="write">Writes the whole content; an exception from it aborts the write.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names a directory.</exception>
    /// <exception cref="DirectoryNotFoundException">The destination's directory does not exist.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new ArgumentException($"'{path}' is a directory, not a file", nameof(path));
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"the directory of '{path}' ({directory}) does not exist");
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
