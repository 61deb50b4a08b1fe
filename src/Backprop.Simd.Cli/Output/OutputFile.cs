using Backprop.Simd.IO;

namespace Backprop.Simd.Cli.Output;

/// <summary>
/// Checks, before any work, that a command will be able to write the file an option names, with the checks and the
/// temporary file name of the atomic save that will write it: an error after minutes of training would waste the work.
/// </summary>
internal static class OutputFile
{
    /// <summary>
    /// Throws unless <paramref name="path"/> can be saved to: a regular file or a new name (a symbolic link counts as
    /// its final target) in an existing, writable directory, with a name that leaves room for the temporary file's,
    /// and not the file the command reads.
    /// </summary>
    /// <param name="path">The path the option gave.</param>
    /// <param name="option">The option, for the message.</param>
    /// <param name="input">The file the command reads, if it must not be overwritten.</param>
    /// <exception cref="ArgumentException">The path is empty, is a device, FIFO or socket, has too long a name, or is the input.</exception>
    /// <exception cref="DirectoryNotFoundException">The path is a directory, or its directory does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable (a read-only file system included, also for root).</exception>
    public static void Check(string path, string option, string? input = null)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{option} needs a file name; it is empty.");
        }

        if (Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"{option} '{path}' is a directory; name a file, such as {Path.Combine(path, "model.bpm")}.");
        }

        string target = Resolve(path, option, $"{option} '{path}'");
        if (input is not null && target == AtomicFile.FinalPath(input))
        {
            throw new ArgumentException($"{option} '{path}' is the file being read; name another file.");
        }

        Probe(target, option, path);
    }

    /// <summary>The checked target of a save to <paramref name="path"/>; <paramref name="shown"/> starts the message of a missing directory.</summary>
    /// <exception cref="ArgumentException">The target is not a regular file, or its name is too long.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static string Resolve(string path, string option, string shown)
    {
        try
        {
            return AtomicFile.ResolveTarget(path);
        }
        catch (DirectoryNotFoundException e)
        {
            throw new DirectoryNotFoundException($"The directory of {shown} does not exist.", e);
        }
        catch (IOException e)
        {
            throw new ArgumentException($"{option}: {e.Message}", e);
        }
    }

    /// <summary>Creates and removes the real temporary file beside <paramref name="target"/>, so that an unwritable directory fails now.</summary>
    /// <exception cref="UnauthorizedAccessException">It cannot be created.</exception>
    public static void Probe(string target, string option, string path)
    {
        try
        {
            AtomicFile.Probe(target);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"{option} '{path}': the directory '{Path.GetDirectoryName(target)}' is not writable ({e.Message}).", e);
        }
    }
}
