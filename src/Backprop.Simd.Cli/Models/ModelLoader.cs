using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>Opens a model file with the element type it was saved in and hands it to a float or a double continuation.</summary>
internal static class ModelLoader
{
    /// <summary>Reads the summary, checks the metadata, loads the model as float or double and calls the matching continuation.</summary>
    /// <exception cref="FileNotFoundException">No such file, or a directory.</exception>
    /// <exception cref="InvalidDataException">Not a valid model file (the message names the byte offset).</exception>
    /// <exception cref="NotSupportedException">Not a model written by <c>backprop train</c> or <c>backprop import</c>.</exception>
    public static int Run(string path, Func<LoadedModel<float>, int> single, Func<LoadedModel<double>, int> @double)
    {
        ArgumentNullException.ThrowIfNull(single);
        ArgumentNullException.ThrowIfNull(@double);
        InputFile.ThrowIfMissing(path, "The model file");

        ModelFileInfo info = ModelFile.ReadInfo(path);
        ModelMetadata metadata = ModelMetadata.Read(info.Metadata, path, info.OutputSize);
        return info.ElementType == typeof(double)
            ? @double(new LoadedModel<double>(path, ModelFile.Load<double>(path), info, metadata))
            : single(new LoadedModel<float>(path, ModelFile.Load<float>(path), info, metadata));
    }
}
