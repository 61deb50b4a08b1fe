using System.Globalization;
using System.Numerics;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>A model file, loaded with its summary and metadata: one that train or import wrote, or one saved from code.</summary>
/// <typeparam name="T">The file's element type.</typeparam>
/// <param name="Path">The file.</param>
/// <param name="Model">The network and its standardisation.</param>
/// <param name="Info">The file's summary.</param>
/// <param name="Metadata">The classes, image shape, scaling and data set it records (or their defaults).</param>
internal sealed record LoadedModel<T>(string Path, SavedModel<T> Model, ModelFileInfo Info, ModelMetadata Metadata)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One line: the file, its shape and training, and how it takes its inputs.</summary>
    public string Describe()
    {
        string epochs = Info.EpochsCompleted is { } count ? Format.Count(count, "epoch") : "? epochs";
        string dataset = Metadata.Dataset is null ? string.Empty : $" on {Metadata.Dataset}";
        string standardised = Info.HasNormalization ? ", standardised" : string.Empty;
        return $"model: {Path} ({Info.InputSize} → {Info.OutputSize}, {(typeof(T) == typeof(double) ? "f64" : "f32")}, {epochs}{dataset}; inputs {Metadata.ScalingDescription}{standardised})";
    }
}
