using System.Numerics;
using Backprop.Simd.Serialization;

namespace Backprop.Simd.Cli.Models;

/// <summary>A model file written by <c>train</c>, loaded with its summary and the tool's metadata.</summary>
/// <typeparam name="T">The file's element type.</typeparam>
/// <param name="Path">The file.</param>
/// <param name="Model">The network and its standardisation.</param>
/// <param name="Info">The file's summary.</param>
/// <param name="Metadata">What train recorded.</param>
internal sealed record LoadedModel<T>(string Path, SavedModel<T> Model, ModelFileInfo Info, ModelMetadata Metadata)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>One line: the file, its shape and training.</summary>
    public string Describe() =>
        $"model: {Path} ({Info.InputSize} → {Info.OutputSize}, {(typeof(T) == typeof(double) ? "f64" : "f32")}, {Info.EpochsCompleted?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} epochs on {Metadata.Dataset}{(Info.HasNormalization ? ", standardised inputs" : string.Empty)})";
}
