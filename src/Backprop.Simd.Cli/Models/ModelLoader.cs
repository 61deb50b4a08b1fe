using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>Opens a model file with the element type it was saved in and hands it to a float or a double continuation.</summary>
internal static class ModelLoader
{
    /// <summary>Reads the summary, loads the model as float or double with its metadata, and calls the matching continuation.</summary>
    /// <exception cref="FileNotFoundException">No such file, or a directory.</exception>
    /// <exception cref="InvalidDataException">Not a valid model file (the message names the byte offset), or its metadata is malformed or does not fit its network.</exception>
    public static int Run(string path, Func<LoadedModel<float>, int> single, Func<LoadedModel<double>, int> @double)
    {
        ArgumentNullException.ThrowIfNull(single);
        ArgumentNullException.ThrowIfNull(@double);
        InputFile.ThrowIfMissing(path, "The model file");

        ModelFileInfo info = ModelFile.ReadInfo(path);
        return info.ElementType == typeof(double) ? @double(Load<double>(path, info)) : single(Load<float>(path, info));
    }

    private static LoadedModel<T> Load<T>(string path, ModelFileInfo info)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        SavedModel<T> model = ModelFile.Load<T>(path);
        return new LoadedModel<T>(path, model, info, ModelMetadata.Read(model, path));
    }
}
