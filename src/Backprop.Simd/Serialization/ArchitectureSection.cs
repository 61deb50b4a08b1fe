using System.Numerics;
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
            LayerRecord record = LayerRecord.From(network.Layers[i], i);
            writer.WriteByte((byte)record.Kind);
            writer.WriteInt32(record.InputSize);
            switch (record.Kind)
            {
                case LayerKind.Dense:
                    writer.WriteInt32(record.OutputSize);
                    break;
                case LayerKind.LeakyRelu:
                    writer.WriteDouble(record.Slope);
                    break;
                case LayerKind.Dropout:
                    writer.WriteDouble(record.Rate);
                    writer.WriteUInt64(record.Key);
                    break;
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
            LayerRecord record = (LayerKind)code switch
            {
                LayerKind.Dense => new(LayerKind.Dense, input, reader.ReadInt32($"the output size of layer {i}", 1, int.MaxValue)),
                LayerKind.Sigmoid or LayerKind.Tanh or LayerKind.Relu or LayerKind.Softmax => new((LayerKind)code, input, input),
                LayerKind.LeakyRelu => new(LayerKind.LeakyRelu, input, input, Slope: ReadSlope<T>(reader, i)),
                LayerKind.Dropout => new(LayerKind.Dropout, input, input, Rate: ReadRate(reader, i), Key: reader.ReadUInt64($"the dropout key of layer {i}")),
                _ => throw reader.Fail(offset, $"layer {i} has kind {code}, which format version {ModelFile.FormatVersion} does not define (1 Dense, 2 Sigmoid, 3 Tanh, 4 ReLU, 5 LeakyReLU, 6 Softmax, 7 Dropout)"),
            };

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

    private static double ReadSlope<T>(ModelReader reader, int index)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long offset = reader.Position;
        double slope = reader.ReadDouble($"the slope of layer {index}");
        T value = T.CreateTruncating(slope);
        if (!(value >= T.Zero && value < T.One))
        {
            throw reader.Fail(offset, $"the LeakyReLU slope of layer {index} is {slope}; it must be in [0, 1)");
        }

        // The writer stores the layer's T slope widened to f64, so anything else did not come from a writer.
        return double.CreateTruncating(value) == slope
            ? slope
            : throw reader.Fail(offset, $"the LeakyReLU slope of layer {index} is {slope}, which is not a {typeof(T).Name} value");
    }

    private static double ReadRate(ModelReader reader, int index)
    {
        long offset = reader.Position;
        double rate = reader.ReadDouble($"the dropout rate of layer {index}");
        return rate >= 0 && rate < 1
            ? rate
            : throw reader.Fail(offset, $"the dropout rate of layer {index} is {rate}; it must be in [0, 1)");
    }
}
