namespace Backprop.Simd.Cli.Data;

/// <summary>
/// Finds the IDX files of a directory by their standard name prefixes (<c>train-images</c>, <c>train-labels</c>,
/// <c>t10k-images</c>, <c>t10k-labels</c>), plain or gzip: <c>train-images-idx3-ubyte</c>,
/// <c>train-images-idx3-ubyte.gz</c> and <c>train-images.idx3-ubyte</c> all match.
/// </summary>
internal static class IdxDirectory
{
    /// <summary>The training images, labels and the test pair (null when the directory has no t10k files).</summary>
    /// <param name="directory">The directory.</param>
    /// <returns>The paths.</returns>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="FileNotFoundException">A training file is missing, or only one of the two test files is there.</exception>
    /// <exception cref="InvalidDataException">A prefix matches several files.</exception>
    public static (string TrainImages, string TrainLabels, (string Images, string Labels)? Test) Find(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(File.Exists(directory)
                ? $"The data directory '{directory}' is a file; --data names a directory of IDX files."
                : $"The data directory '{directory}' does not exist.");
        }

        string trainImages = FindOne(directory, "train-images") ?? throw Missing(directory, "train-images");
        string trainLabels = FindOne(directory, "train-labels") ?? throw Missing(directory, "train-labels");
        string? testImages = FindOne(directory, "t10k-images");
        string? testLabels = FindOne(directory, "t10k-labels");
        if ((testImages is null) != (testLabels is null))
        {
            throw Missing(directory, testImages is null ? "t10k-images" : "t10k-labels");
        }

        return (trainImages, trainLabels, testImages is null ? null : (testImages, testLabels!));
    }

    /// <summary>The file whose name starts with <paramref name="prefix"/>; of a plain file and its .gz, the .gz.</summary>
    private static string? FindOne(string directory, string prefix)
    {
        string[] matches = [.. Directory.GetFiles(directory, prefix + "*").Order(StringComparer.Ordinal)];
        return matches.Length switch
        {
            0 => null,
            1 => matches[0],
            2 when matches[1] == matches[0] + ".gz" => matches[1],
            _ => throw new InvalidDataException($"Several files in '{directory}' start with '{prefix}': {string.Join(", ", matches.Select(Path.GetFileName))}; keep one."),
        };
    }

    private static FileNotFoundException Missing(string directory, string prefix) =>
        new($"No {prefix}* file in '{directory}': train needs train-images-idx3-ubyte and train-labels-idx1-ubyte (plain or .gz), and optionally both t10k-* files as the test set.");
}
