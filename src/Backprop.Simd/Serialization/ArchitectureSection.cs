using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Serialization;

/// <summary>The ARCH section: the input size and the layer sequence (see <see cref="ModelFormat"/>).</summary>
internal static class ArchitectureSection
{
    // The smallest layer record: a kind byte and one i32 size.
    private const int MinimumLayerLength = 5;

    public static void Write<T>(ModelWriter writer, Network<T> network)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        writer.WriteUInt32(ModelFormat.Architecture);
        writer.WriteInt32(network.InputSize);
        writer.WriteInt32(network.Layers.Count);
        for (int i = 0; i < network.Layers.Count; i++)
        {
            LayerRecord record = LayerRecord.Of(network.Layers[i], i);
            writer.WriteByte(record.Kind.FileCode);
            writer.WriteInt32(record.InputSize);
            for (int f = 0; f < record.Kind.FileFields.Count; f++)
            {
                switch (record.Kind.FileFields[f].Type)
                {
                    case LayerFieldType.Size:
                        writer.WriteInt32(record.Size(f));
                        break;
                    case LayerFieldType.Number:
                        writer.WriteDouble(record.Number(f));
                        break;
                    default:
                        writer.WriteUInt64(record.Field(f));
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Reads the layers, checking that each one's input size is the previous one's output size, that every
    /// hyperparameter is in range, and that the parameters fit in an array.
    /// </summary>
    public static LayerRecord[] Read<T>(ModelReader reader)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        reader.ReadTag(ModelFormat.Architecture);
        int size = reader.ReadInt32("the input size", 1, int.MaxValue);
        long countOffset = reader.Position;
        int count = reader.ReadCount("the layer count", MinimumLayerLength);
        if (count == 0)
        {
            throw reader.Fail(countOffset, "the layer count is 0; a network has at least one layer");
        }

        var records = new LayerRecord[count];
        long parameters = 0;
        for (int i = 0; i < count; i++)
        {
            long offset = reader.Position;
            byte code = reader.ReadByte($"the kind of layer {i}");
            long sizeOffset = reader.Position;
            int input = reader.ReadInt32($"the input size of layer {i}", 1, int.MaxValue);
            LayerKind kind = LayerKind.FromFileCode(code)
                ?? throw reader.Fail(offset, $"layer {i} has kind {code}, which format version {reader.Version} does not define ({LayerKind.DescribeFileCodes()})");
            var fields = new ulong[kind.FileFields.Count];
            for (int f = 0; f < fields.Length; f++)
            {
                fields[f] = ReadField<T>(reader, kind.FileFields[f], i);
            }

            var record = new LayerRecord(kind, input, fields);
            if (input != size)
            {
                string previous = i == 0 ? "the network's input size is" : $"layer {i - 1} gives";
                throw reader.Fail(sizeOffset, $"layer {i} ({record.Describe<T>()}) takes {input} inputs but {previous} {size}");
            }

            parameters += record.ParameterCount;
            if (parameters > Array.MaxLength)
            {
                throw reader.Fail(offset, $"layer {i} ({record.Describe<T>()}) brings the parameter count to {parameters}, more than an array can hold ({Array.MaxLength})");
            }

            records[i] = record;
            size = record.OutputSize;
        }

        return records;
    }

    /// <summary>The number of parameters of the layers (fits in an int: <see cref="Read{T}"/> checked it).</summary>
    public static int ParameterCount(ReadOnlySpan<LayerRecord> records)
    {
        long count = 0;
        foreach (LayerRecord record in records)
        {
            count += record.ParameterCount;
        }

        return (int)count;
    }

    /// <summary>One field of a layer's record, checked against its type's and the field's rules.</summary>
    private static ulong ReadField<T>(ModelReader reader, LayerField field, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        string name = $"the {field.Name} of layer {index}";
        switch (field.Type)
        {
            case LayerFieldType.Size:
                return (ulong)reader.ReadInt32(name, 1, int.MaxValue);
            case LayerFieldType.Key:
                return reader.ReadUInt64(name);
        }

        long offset = reader.Position;
        double value = reader.ReadDouble(name);
        double inType = field.ExactInElementType ? double.CreateTruncating(T.CreateTruncating(value)) : value;
        if (!(inType >= field.Minimum && inType < field.Maximum))
        {
            throw reader.Fail(offset, $"{name} is {value}; it must be in [{field.Minimum}, {field.Maximum})");
        }

        // The writer stores the layer's own T value widened to f64, so anything else did not come from a writer.
        return !field.ExactInElementType || inType == value
            ? LayerRecord.Bits(value)
            : throw reader.Fail(offset, $"{name} is {value}, which is not a {typeof(T).Name} value");
    }
}
