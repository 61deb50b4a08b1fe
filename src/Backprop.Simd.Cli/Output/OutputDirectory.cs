namespace Backprop.Simd.Cli.Output;

/// <summary>
/// Checks, before any work, that a command will be able to write where the user asked: an error after minutes of
/// training, or after some figures are written, would waste the work and name a temporary file instead of the option.
/// </summary>
internal static class OutputDirectory
{
    /// <summary>A name that stands for the files of a directory whose names are not known yet (a download cache).</summary>
    private const string AnyFile = "backprop-write-check";

    /// <summary>Creates <paramref name="directory"/> if needed (the demo's figures, a download cache) and checks that the named files can be saved into it.</summary>
    /// <param name="directory">The directory the option names.</param>
    /// <param name="option">The option, for the message.</param>
    /// <param name="files">The file names the command will write there.</param>
    /// <exception cref="ArgumentException">The path is empty, is a file, or holds a directory, device or FIFO where a file will go.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be created or written to.</exception>
    public static void Prepare(string directory, string option, params ReadOnlySpan<string> files)
    {
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new ArgumentException($"{option} needs a directory; it is empty.");
        }

        if (File.Exists(directory))
        {
            throw new ArgumentException($"{option} '{directory}' is a file; it must name a directory.");
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException e)
        {
            throw new UnauthorizedAccessException($"{option} '{directory}' cannot be created: {e.Message}", e);
        }

        foreach (string file in files.IsEmpty ? [AnyFile] : files)
        {
            string path = Path.Combine(directory, file);
            if (Directory.Exists(path))
            {
                throw new ArgumentException($"{option} '{directory}' holds a directory named '{file}', where a file of that name is to be written.");
            }

            OutputFile.Probe(OutputFile.Resolve(path, option, $"{option} '{directory}'"), option, directory);
        }
    }
}
