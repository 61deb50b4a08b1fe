namespace Backprop.Simd.Data;

/// <summary>
/// The files that make up a data set, with their hashes: what <see cref="DatasetLocator"/> looks for and what
/// <see cref="DatasetFetcher"/> downloads and verifies. <see cref="FashionMnist.Manifest"/> is the built-in one.
/// </summary>
public sealed class DatasetManifest
{
    private readonly DatasetFile[] _files;
    private readonly IReadOnlyList<DatasetFile> _readOnlyFiles;

    /// <summary>Creates a manifest.</summary>
    /// <param name="name">The data set's name, also the name of its folder in the cache and under /usr/share/datasets, for example "fashion-mnist".</param>
    /// <param name="files">At least one file, names distinct.</param>
    /// <exception cref="ArgumentException">The name is not a plain folder name, there are no files, or two share a name.</exception>
    public DatasetManifest(string name, IEnumerable<DatasetFile> files)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(files);
        if (name.IndexOfAny(['/', '\\']) >= 0 || name is "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
        {
            throw new ArgumentException($"'{name}' is not a plain folder name.", nameof(name));
        }

        _files = [.. files];
        if (_files.Length == 0)
        {
            throw new ArgumentException("A manifest needs at least one file.", nameof(files));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (DatasetFile file in _files)
        {
            ArgumentNullException.ThrowIfNull(file, nameof(files));
            if (!seen.Add(file.Name))
            {
                throw new ArgumentException($"The file '{file.Name}' is listed twice.", nameof(files));
            }
        }

        Name = name;
        _readOnlyFiles = Array.AsReadOnly(_files);
    }

    /// <summary>The data set's name and folder name.</summary>
    public string Name { get; }

    /// <summary>The files.</summary>
    public IReadOnlyList<DatasetFile> Files => _readOnlyFiles;

    /// <summary>The file named <paramref name="name"/> (without ".gz").</summary>
    /// <param name="name">The file name.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="KeyNotFoundException">No file has that name.</exception>
    public DatasetFile GetFile(string name)
    {
        foreach (DatasetFile file in _files)
        {
            if (string.Equals(file.Name, name, StringComparison.Ordinal))
            {
                return file;
            }
        }

        throw new KeyNotFoundException($"The data set '{Name}' has no file '{name}'; it has {string.Join(", ", _files.Select(f => f.Name))}.");
    }

    /// <summary>The name and the number of files.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name} ({_files.Length} files)";
}
