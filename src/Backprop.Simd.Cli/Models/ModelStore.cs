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
}
