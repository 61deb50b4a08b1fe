using System.Collections.ObjectModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Training;

namespace Backprop.Simd.Serialization;

/// <summary>Writes and reads a whole model file, section after section, in the order <see cref="ModelFormat"/> gives.</summary>
internal static class ModelCodec
{
    /// <summary>The header, every section and the checksum.</summary>
    /// <exception cref="ArgumentException">The model holds something the format cannot store.</exception>
    public static void Write<T>(ModelWriter writer, SavedModel<T> model, long fileLength)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteBytes(ModelFormat.Magic);
        writer.WriteUInt32(ModelFile.FormatVersion);
        writer.WriteUInt32(ModelFormat.ElementCode<T>());
        writer.WriteInt64(fileLength);
        ArchitectureSection.Write(writer, model.Network);
        writer.WriteUInt32(ModelFormat.Parameters);
        writer.WriteInt64(model.Network.ParameterCount);
        // A copy: were another thread training the network, the checksum and the bytes written after it could see
        // different weights, and the file would fail to load.
        writer.WriteValues<T>(model.Network.Parameters.ToArray());
        if (model.Normalization is not null)
        {
            NormalizationSection.Write(writer, model.Normalization);
        }

        if (model.Checkpoint is not null)
        {
            CheckpointSection.Write<T>(writer, model.Checkpoint);
        }

        MetadataSection.Write(writer, model.Metadata);
        writer.WriteChecksum();
    }

    /// <summary>
    /// Reads everything after the header and verifies the checksum. With <paramref name="materialize"/> it builds the
    /// model; without, it only checks and summarises, skipping over the weights and the optimizer state.
    /// </summary>
    public static (SavedModel<T>? Model, ModelFileInfo Info) Read<T>(ModelReader reader, long fileLength, bool materialize)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        LayerRecord[] records = ArchitectureSection.Read<T>(reader);
        int parameterCount = ArchitectureSection.ParameterCount(records);
        reader.ReadTag(ModelFormat.Parameters);
        long countOffset = reader.Position;
        long count = reader.ReadInt64("the parameter count");
        if (count != parameterCount)
        {
            throw reader.Fail(countOffset, $"the parameter count is {count} but the layers have {parameterCount} parameters");
        }

        long bytes = count * Unsafe.SizeOf<T>();
        if (bytes > reader.Remaining)
        {
            throw reader.Fail(countOffset, $"{count} parameters need {bytes} bytes but only {reader.Remaining} remain before the checksum");
        }

        Network<T>? network = null;
        if (materialize)
        {
            network = new Network<T>(records.Select(r => r.Create<T>()));
            reader.ReadValues(network.Parameters, "the parameters");
        }
        else
        {
            reader.Skip(bytes, "the parameters");
        }

        uint tag = reader.ReadTag(ModelFormat.Normalization, ModelFormat.Checkpoint, ModelFormat.Metadata);
        Standardizer<T>? normalization = null;
        if (tag == ModelFormat.Normalization)
        {
            normalization = NormalizationSection.Read<T>(reader, records[0].InputSize);
            tag = reader.ReadTag(ModelFormat.Checkpoint, ModelFormat.Metadata);
        }

        TrainingCheckpoint? checkpoint = null;
        if (tag == ModelFormat.Checkpoint)
        {
            checkpoint = CheckpointSection.Read<T>(reader, parameterCount, keepState: materialize);
            reader.ReadTag(ModelFormat.Metadata);
        }

        SavedModel<T>? model = network is null ? null : new SavedModel<T>(network, normalization) { Checkpoint = checkpoint };
        IDictionary<string, string> metadata = model?.Metadata ?? new OrderedDictionary<string, string>(StringComparer.Ordinal);
        MetadataSection.Read(reader, metadata);
        reader.VerifyChecksum();

        var info = new ModelFileInfo(
            (int)reader.Version,
            typeof(T),
            fileLength,
            records[0].InputSize,
            records[^1].OutputSize,
            parameterCount,
            [.. records.Select(r => r.Describe<T>())],
            normalization is not null,
            checkpoint?.EpochsCompleted,
            checkpoint?.OptimizerDescription,
            new ReadOnlyDictionary<string, string>(metadata));
        return (model, info);
    }
}
