using System.Numerics;
using Backprop.Simd.Models;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>Model files as the tool writes them: the classifier's own file (saved atomically) with the tool's metadata.</summary>
internal static class ModelStore
{
    /// <summary>Saves the classifier (network, standardiser, options, checkpoint, metadata) with <paramref name="metadata"/>.</summary>
    public static void Save<T>(string path, MlpClassifier<T> classifier, ModelMetadata metadata)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        SavedModel<T> model = classifier.ToSavedModel();
        metadata.WriteTo(model);
        ModelFile.Save(path, model);
    }
}
