using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Backprop.Simd.Data;

/// <summary>
/// Finds the files of a data set on disk. With <see cref="ExplicitDirectory"/> set (a tool's <c>--data DIR</c>) it
/// looks there only; otherwise, in order, in <c>$BACKPROP_DATA</c>, in the system directory
/// <c>/usr/share/datasets/NAME</c> (where the Debian package dataset-fashion-mnist installs Fashion-MNIST), and in the
/// download cache of <see cref="DatasetFetcher"/>. The first directory that holds every file wins. A directory given
/// explicitly or by <c>$BACKPROP_DATA</c> may hold the files itself or in a subfolder named after the data set.
/// </summary>
/// <remarks>
/// For each file the gzip version (NAME.gz) is preferred, else the plain one. The locator checks only that the files
/// exist; <see cref="IdxReader"/> checks their content when they are read, and <see cref="DatasetVerifier"/> their hashes.
/// </remarks>
public sealed class DatasetLocator
{
    /// <summary>The environment variable that names a data directory: <c>BACKPROP_DATA</c>.</summary>
    public const string EnvironmentVariable = "BACKPROP_DATA";

    /// <summary>The parent of the system data set directories: <c>/usr/share/datasets</c> (Debian's dataset-* packages).</summary>
    public const string SystemRoot = "/usr/share/datasets";

    /// <summary>Creates a locator with the default places for <paramref name="manifest"/>.</summary>
    /// <param name="manifest">The data set to find.</param>
    public DatasetLocator(DatasetManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        Manifest = manifest;
        string? environment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        EnvironmentDirectory = string.IsNullOrWhiteSpace(environment) ? null : environment;
        SystemDirectory = OperatingSystem.IsWindows() ? null : Path.Combine(SystemRoot, manifest.Name);
        CacheDirectory = DatasetFetcher.GetDefaultCacheDirectory(manifest);
    }

    /// <summary>The data set to find.</summary>
    public DatasetManifest Manifest { get; }

    /// <summary>A directory given by the user; when set, the only place searched. Default: none.</summary>
    public string? ExplicitDirectory { get; init; }

    /// <summary>The directory from <c>$BACKPROP_DATA</c>, read when the locator is created; null to skip.</summary>
    public string? EnvironmentDirectory { get; init; }

    /// <summary>The system directory, by default <c>/usr/share/datasets/NAME</c> (none on Windows); null to skip.</summary>
    public string? SystemDirectory { get; init; }

    /// <summary>The download cache, by default <see cref="DatasetFetcher.GetDefaultCacheDirectory"/>; null to skip.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>The directories searched, in order.</summary>
    /// <returns>The full paths.</returns>
    public IReadOnlyList<string> GetSearchDirectories() => [.. GetCandidates().Select(c => c.Directory)];

    /// <summary>Finds the data set.</summary>
    /// <param name="location">The directory and files, when found.</param>
    /// <returns>Whether every file was found in one directory.</returns>
    public bool TryLocate([NotNullWhen(true)] out DatasetLocation? location)
    {
        foreach ((string directory, _) in GetCandidates())
        {
            if (TryLocateIn(directory, out location, out _))
            {
                return true;
            }
        }

        location = null;
        return false;
    }

    /// <summary>Finds the data set, or explains where it looked.</summary>
    /// <returns>The directory and files.</returns>
    /// <exception cref="FileNotFoundException">No searched directory holds every file; the message lists each directory and what was missing.</exception>
    public DatasetLocation Locate()
    {
        var report = new StringBuilder();
        foreach ((string directory, string source) in GetCandidates())
        {
            if (TryLocateIn(directory, out DatasetLocation? location, out string? problem))
            {
                return location;
            }

            report.Append("\n  ").Append(directory).Append(" (").Append(source).Append("): ").Append(problem);
        }

        if (ExplicitDirectory is null && EnvironmentDirectory is null)
        {
            report.Append("\n  $").Append(EnvironmentVariable).Append(": not set");
        }

        string files = string.Join(", ", Manifest.Files.Select(f => f.Name + "[.gz]"));
        throw new FileNotFoundException(
            $"The data set '{Manifest.Name}' was not found. Looked for {files} in:{report}\n"
            + $"Name a directory that holds them, set ${EnvironmentVariable}, install the package dataset-{Manifest.Name} or download them with {nameof(DatasetFetcher)}.");
    }

    private List<(string Directory, string Source)> GetCandidates()
    {
        var candidates = new List<(string Directory, string Source)>();
        if (ExplicitDirectory is not null)
        {
            AddWithSubfolder(candidates, ExplicitDirectory, "the given directory");
            return candidates;
        }

        if (EnvironmentDirectory is not null)
        {
            AddWithSubfolder(candidates, EnvironmentDirectory, "$" + EnvironmentVariable);
        }

        if (SystemDirectory is not null)
        {
            candidates.Add((Path.GetFullPath(SystemDirectory), $"system, package dataset-{Manifest.Name}"));
        }

        if (CacheDirectory is not null)
        {
            candidates.Add((Path.GetFullPath(CacheDirectory), "download cache"));
        }

        return candidates;
    }

    private void AddWithSubfolder(List<(string Directory, string Source)> candidates, string directory, string source)
    {
        string full = Path.GetFullPath(directory);
        candidates.Add((full, source));
        candidates.Add((Path.Combine(full, Manifest.Name), source));
    }

    private bool TryLocateIn(string directory, [NotNullWhen(true)] out DatasetLocation? location, [NotNullWhen(false)] out string? problem)
    {
        location = null;
        if (!Directory.Exists(directory))
        {
            problem = "no such directory";
            return false;
        }

        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (DatasetFile file in Manifest.Files)
        {
            string compressed = Path.Combine(directory, file.CompressedName);
            string plain = Path.Combine(directory, file.Name);
            if (File.Exists(compressed))
            {
                paths.Add(file.Name, compressed);
            }
            else if (File.Exists(plain))
            {
                paths.Add(file.Name, plain);
            }
            else
            {
                missing.Add(file.Name + "[.gz]");
            }
        }

        if (missing.Count > 0)
        {
            problem = "missing " + string.Join(", ", missing);
            return false;
        }

        problem = null;
        location = new DatasetLocation(Manifest, directory, paths);
        return true;
    }
}
