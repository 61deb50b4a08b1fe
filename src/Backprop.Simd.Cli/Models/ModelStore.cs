using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;
using Backprop.Simd.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Models;

/// <summary>Model files as the tool writes them: the library's format (saved atomically) with the tool's metadata.</summary>
internal static class ModelStore
{
    /// <summary>Saves the network, its input standardisation, a checkpoint to resume from, and the metadata.</summary>
    public static void Save<T>(string path, Network<T> network, Standardizer<T>? normalization, TrainingCheckpoint? checkpoint, ModelMetadata metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var model = new SavedModel<T>(network, normalization) { Checkpoint = checkpoint };
        metadata.WriteTo(model.Metadata);
        ModelFile.Save(path, model);
    }

    /// <summary>Fails before any work when the file could not be written later: its directory must exist and be writable.</summary>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist, or the path is a directory.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory is not writable.</exception>
    public static void CheckDirectory(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"{option} needs a file name; it is empty.");
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is null || !Directory.Exists(directory) || Directory.Exists(path))
        {
            throw new DirectoryNotFoundException(Directory.Exists(path)
                ? $"{option} '{path}' is a directory; name a file, such as {Path.Combine(path, "model.bpm")}."
                : $"The directory of {option} '{path}' does not exist.");
        }

        Output.OutputDirectory.CheckWritable(directory, option, path);
    }

    /// <summary>Fails before any work when writing <paramref name="path"/> would replace the file the command reads.</summary>
    /// <exception cref="ArgumentException">Both name the same file.</exception>
    public static void CheckNotInput(string path, string option, string input)
    {
        if (Path.GetFullPath(path) == Path.GetFullPath(input))
        {
            throw new ArgumentException($"{option} '{path}' is the file being read; name another file.");
        }
    }
}
