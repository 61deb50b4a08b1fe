using System.Globalization;
using System.Text;

namespace Backprop.Simd.Serialization;

/// <summary>
/// A model file's summary, read by <see cref="ModelFile.ReadInfo(string)"/> without loading the weights (though every byte
/// is read and the checksum verified). Use <see cref="ElementType"/> to choose the T of <see cref="ModelFile.Load{T}(string)"/>.
/// </summary>
public sealed class ModelFileInfo
{
    internal ModelFileInfo(
        int formatVersion,
        Type elementType,
        long fileLength,
        int inputSize,
        int outputSize,
        int parameterCount,
        IReadOnlyList<string> layerDescriptions,
        bool hasNormalization,
        int? epochsCompleted,
        string? optimizerDescription,
        IReadOnlyDictionary<string, string> metadata)
    {
        FormatVersion = formatVersion;
        ElementType = elementType;
        FileLength = fileLength;
        InputSize = inputSize;
        OutputSize = outputSize;
        ParameterCount = parameterCount;
        LayerDescriptions = layerDescriptions;
        HasNormalization = hasNormalization;
        EpochsCompleted = epochsCompleted;
        OptimizerDescription = optimizerDescription;
        Metadata = metadata;
    }

    /// <summary>The file's format version.</summary>
    public int FormatVersion { get; }

    /// <summary><c>typeof(float)</c> or <c>typeof(double)</c>: the element type of the weights.</summary>
    public Type ElementType { get; }

    /// <summary>The file's length in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Features per input row.</summary>
    public int InputSize { get; }

    /// <summary>Features per output row.</summary>
    public int OutputSize { get; }

    /// <summary>The number of trainable parameters.</summary>
    public int ParameterCount { get; }

    /// <summary>Each layer's description, first to last, as <see cref="Layers.Layer{T}.Description"/> gives it.</summary>
    public IReadOnlyList<string> LayerDescriptions { get; }

    /// <summary>Whether the file holds an input standardisation.</summary>
    public bool HasNormalization { get; }

    /// <summary>Whether the file holds a training checkpoint.</summary>
    public bool HasCheckpoint => EpochsCompleted is not null;

    /// <summary>The epochs the checkpoint has completed; null without a checkpoint.</summary>
    public int? EpochsCompleted { get; }

    /// <summary>The checkpoint's optimizer, for example <c>Adam(lr 0.001, β₁ 0.9, β₂ 0.999, ε 1E-08)</c>; null without a checkpoint.</summary>
    public string? OptimizerDescription { get; }

    /// <summary>The string metadata, in the order it was saved.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>A few lines: version, element type, sizes, layers, normalisation, checkpoint and metadata.</summary>
    /// <returns>The summary.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Model file format {FormatVersion}, {ElementType.Name}, {FileLength:N0} bytes: {InputSize} → {OutputSize}, {ParameterCount:N0} parameters");
        foreach (string layer in LayerDescriptions)
        {
            text.Append("\n  ").Append(layer);
        }

        text.Append("\nNormalisation: ").Append(HasNormalization ? "yes" : "none");
        text.Append("\nCheckpoint: ").Append(HasCheckpoint ? string.Create(CultureInfo.InvariantCulture, $"{EpochsCompleted} epochs, {OptimizerDescription}") : "none");
        foreach ((string key, string value) in Metadata)
        {
            text.Append('\n').Append(key).Append(" = ").Append(value);
        }

        return text.ToString();
    }
}
