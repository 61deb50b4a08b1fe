namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// ONNX's <c>TensorProto</c>: a named tensor (an initializer, or a constant attribute value). Its values live either
/// in <see cref="RawData"/> (little-endian bytes) or in the typed field for its <see cref="DataType"/>
/// (<see cref="FloatData"/>, <see cref="DoubleData"/>, <see cref="Int64Data"/>, <see cref="Int32Data"/>, ...). Decoding
/// checks that tensors of the supported types hold exactly as many values as their <see cref="Dims"/> say; the
/// members that read and create values are in OnnxTensor.Values.cs.
/// </summary>
internal sealed partial class OnnxTensor
{
    internal static readonly ProtoMessageInfo Info = new(
        "TensorProto",
        (1, "dims"), (2, "data_type"), (3, "segment"), (4, "float_data"), (5, "int32_data"), (6, "string_data"),
        (7, "int64_data"), (8, "name"), (9, "raw_data"), (10, "double_data"), (11, "uint64_data"), (12, "doc_string"),
        (13, "external_data"), (14, "data_location"));

    /// <summary>The shape (field 1, repeated int64); empty for a scalar.</summary>
    public long[] Dims { get; set; } = [];

    /// <summary>The element type (field 2).</summary>
    public OnnxDataType DataType { get; set; }

    /// <summary>Set when the tensor is one segment of a larger one (field 3); such values cannot be read.</summary>
    public OnnxTensorSegment? Segment { get; set; }

    /// <summary>FLOAT values (field 4, packed), when not in <see cref="RawData"/>.</summary>
    public float[] FloatData { get; set; } = [];

    /// <summary>INT32 values, and the values of the small types ONNX widens to int32 (field 5, packed).</summary>
    public int[] Int32Data { get; set; } = [];

    /// <summary>STRING values (field 6, repeated bytes).</summary>
    public List<byte[]> StringData { get; } = [];

    /// <summary>INT64 values (field 7, packed), when not in <see cref="RawData"/>.</summary>
    public long[] Int64Data { get; set; } = [];

    /// <summary>The name (field 8); initializers are referred to by it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The values as little-endian bytes (field 9), or <see langword="null"/> when the field is absent.</summary>
    public byte[]? RawData { get; set; }

    /// <summary>DOUBLE values (field 10, packed), when not in <see cref="RawData"/>.</summary>
    public double[] DoubleData { get; set; } = [];

    /// <summary>UINT32 and UINT64 values (field 11, packed).</summary>
    public ulong[] UInt64Data { get; set; } = [];

    /// <summary>Documentation (field 12).</summary>
    public string DocString { get; set; } = "";

    /// <summary>Where the external data lives (field 13, repeated key/value); only with <see cref="OnnxDataLocation.External"/>.</summary>
    public List<OnnxStringEntry> ExternalData { get; } = [];

    /// <summary>Where the values are stored (field 14); external data cannot be read.</summary>
    public OnnxDataLocation DataLocation { get; set; }

    internal static OnnxTensor Read(ref ProtoReader reader)
    {
        var tensor = new OnnxTensor();
        List<long>? dims = null;
        List<float>? floats = null;
        List<int>? int32s = null;
        List<long>? int64s = null;
        List<double>? doubles = null;
        List<ulong>? uint64s = null;
        while (reader.ReadTag())
        {
            switch (reader.FieldNumber)
            {
                case 1:
                    reader.ReadInt64s(dims ??= []);
                    break;
                case 2:
                    tensor.DataType = (OnnxDataType)reader.ReadInt32();
                    break;
                case 3:
                    ProtoReader segment = reader.ReadMessage(OnnxTensorSegment.Info);
                    tensor.Segment = OnnxTensorSegment.Read(ref segment);
                    break;
                case 4:
                    reader.ReadFloats(floats ??= []);
                    break;
                case 5:
                    reader.ReadInt32s(int32s ??= []);
                    break;
                case 6:
                    tensor.StringData.Add(reader.ReadBytes().ToArray());
                    break;
                case 7:
                    reader.ReadInt64s(int64s ??= []);
                    break;
                case 8:
                    tensor.Name = reader.ReadString();
                    break;
                case 9:
                    tensor.RawData = reader.ReadBytes().ToArray();
                    break;
                case 10:
                    reader.ReadDoubles(doubles ??= []);
                    break;
                case 11:
                    reader.ReadUInt64s(uint64s ??= []);
                    break;
                case 12:
                    tensor.DocString = reader.ReadString();
                    break;
                case 13:
                    ProtoReader entry = reader.ReadMessage(OnnxStringEntry.Info);
                    tensor.ExternalData.Add(OnnxStringEntry.Read(ref entry));
                    break;
                case 14:
                    int location = reader.ReadInt32();
                    if (location is not (0 or 1))
                    {
                        throw reader.Error($"data_location {location} is neither DEFAULT (0) nor EXTERNAL (1)");
                    }

                    tensor.DataLocation = (OnnxDataLocation)location;
                    break;
                default:
                    reader.SkipField();
                    break;
            }
        }

        tensor.Dims = dims?.ToArray() ?? [];
        tensor.FloatData = floats?.ToArray() ?? [];
        tensor.Int32Data = int32s?.ToArray() ?? [];
        tensor.Int64Data = int64s?.ToArray() ?? [];
        tensor.DoubleData = doubles?.ToArray() ?? [];
        tensor.UInt64Data = uint64s?.ToArray() ?? [];
        tensor.Validate(reader.MessageOffset);
        return tensor;
    }

    internal void Write(ProtoWriter writer)
    {
        writer.WriteUnpackedInt64s(1, Dims);
        if (DataType != OnnxDataType.Undefined)
        {
            writer.WriteInt32(2, (int)DataType);
        }

        if (Segment is not null)
        {
            int mark = writer.BeginMessage(3);
            Segment.Write(writer);
            writer.EndMessage(mark);
        }

        writer.WritePackedFloats(4, FloatData);
        writer.WritePackedInt32s(5, Int32Data);
        foreach (byte[] value in StringData)
        {
            writer.WriteBytes(6, value);
        }

        writer.WritePackedInt64s(7, Int64Data);
        if (Name.Length != 0)
        {
            writer.WriteString(8, Name);
        }

        if (RawData is not null)
        {
            writer.WriteBytes(9, RawData);
        }

        writer.WritePackedDoubles(10, DoubleData);
        writer.WritePackedUInt64s(11, UInt64Data);
        if (DocString.Length != 0)
        {
            writer.WriteString(12, DocString);
        }

        foreach (OnnxStringEntry entry in ExternalData)
        {
            int mark = writer.BeginMessage(13);
            entry.Write(writer);
            writer.EndMessage(mark);
        }

        if (DataLocation != OnnxDataLocation.Default)
        {
            writer.WriteInt32(14, (int)DataLocation);
        }
    }
}
