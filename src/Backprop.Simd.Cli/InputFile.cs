namespace Backprop.Simd.Cli;

/// <summary>The check every command makes of a file it reads, before reading it.</summary>
internal static class InputFile
{
    /// <summary>Throws unless <paramref name="path"/> is an existing file, saying whether it is missing or a directory.</summary>
    /// <param name="path">The path given.</param>
    /// <param name="what">How the message names it, such as "The model file".</param>
    /// <exception cref="FileNotFoundException">No file there.</exception>
    public static void ThrowIfMissing(string path, string what)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(Directory.Exists(path) ? $"{what} '{path}' is a directory, not a file." : $"{what} '{path}' does not exist.", path);
        }
    }
}
