using System.Numerics;

namespace Backprop.Simd.Data;

/// <summary>Where every file of a data set was found: one directory and, for each file, its path (the .gz or the plain file).</summary>
public sealed class DatasetLocation
{
    private readonly Dictionary<string, string> _paths;

    internal DatasetLocation(DatasetManifest manifest, string directory, Dictionary<string, string> paths)
    {
        Manifest = manifest;
        Directory = directory;
        _paths = paths;
    }

    /// <summary>The manifest of the data set.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>The directory that holds the files.</summary>
    public string Directory { get; }

    /// <summary>The path of the file named <paramref name="name"/> (as in the manifest, without ".gz").</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The full path of the file, ending in ".gz" when the compressed file is the one present.</returns>
    /// <exception cref="KeyNotFoundException">The manifest has no such file.</exception>
    public string GetPath(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _paths.TryGetValue(name, out string? path)
            ? path
            : throw new KeyNotFoundException($"The data set '{Manifest.Name}' has no file '{name}'.");
    }

    /// <summary>Loads an image file and a label file of this location as a data set (the MNIST layout's train or test pair).</summary>
    internal Dataset<T> LoadPair<T>(string images, string labels, int classCount, PixelScaling scaling, IdxReadLimits? limits)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Dataset<T>.LoadIdx(GetPath(images), GetPath(labels), classCount, scaling, limits);

    /// <summary>The data set's name and directory.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Manifest.Name} in {Directory}";
}
