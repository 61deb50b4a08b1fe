using Backprop.Simd.Serialization.Onnx;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>The protobuf wire format: varints, fixed-width values, lengths, packed and unpacked repeats, unknown fields.</summary>
[Trait("Category", "Onnx")]
public sealed class ProtoWireTests
{
    private static readonly ProtoMessageInfo s_test = new("TestMessage", (1, "a"), (2, "b"));

    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(127UL, new byte[] { 0x7F })]
    [InlineData(128UL, new byte[] { 0x80, 0x01 })]
    [InlineData(300UL, new byte[] { 0xAC, 0x02 })]
    [InlineData(16383UL, new byte[] { 0xFF, 0x7F })]
    [InlineData(16384UL, new byte[] { 0x80, 0x80, 0x01 })]
    [InlineData(ulong.MaxValue, new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void Varints_match_the_protobuf_encoding(ulong value, byte[] encoding)
    {
        var writer = new ProtoWriter();
        writer.WriteVarint(value);
        Assert.Equal(encoding, writer.ToArray());
        Assert.Equal(encoding.Length, ProtoWriter.VarintLength(value));

        byte[] field = [0x08, .. encoding];
        var reader = new ProtoReader(field, s_test);
        Assert.True(reader.ReadTag());
        Assert.Equal(value, reader.ReadUInt64());
        Assert.False(reader.ReadTag());
    }

    [Property(MaxTest = 300)]
    public Property Any_uint64_round_trips_through_a_minimal_varint() =>
        Prop.ForAll(Gen.Choose(0, 63).SelectMany(bits => Gen.Choose(0, int.MaxValue).Select(r => ((ulong)r * 0x9E3779B97F4A7C15UL) >> bits)).ToArbitrary(), value =>
        {
            var writer = new ProtoWriter();
            writer.WriteUInt64(2, value);
            var reader = new ProtoReader(writer.ToArray(), s_test);
            return reader.ReadTag() && reader.FieldNumber == 2 && reader.ReadUInt64() == value && !reader.ReadTag()
                && writer.Length == 1 + ProtoWriter.VarintLength(value);
        });

    [Fact]
    public void Negative_int32_takes_ten_bytes_and_reads_back()
    {
        var writer = new ProtoWriter();
        writer.WriteInt32(1, -2);
        Assert.Equal(11, writer.Length);
        var reader = new ProtoReader(writer.ToArray(), s_test);
        Assert.True(reader.ReadTag());
        Assert.Equal(-2, reader.ReadInt32());
    }

    [Fact]
    public void Int32_out_of_range_is_rejected()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, 1L << 40);
        var e = Assert.Throws<InvalidDataException>(() => ReadInt32(writer.ToArray()));
        Assert.Contains("does not fit in an int32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Floats_and_doubles_keep_every_bit()
    {
        var writer = new ProtoWriter();
        float nanWithPayload = BitConverter.Int32BitsToSingle(0x7FC0_1234);
        writer.WriteFloat(1, nanWithPayload);
        writer.WriteDouble(2, -0.0);
        var reader = new ProtoReader(writer.ToArray(), s_test);
        Assert.True(reader.ReadTag());
        Assert.Equal(0x7FC0_1234, BitConverter.SingleToInt32Bits(reader.ReadFloat()));
        Assert.True(reader.ReadTag());
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(reader.ReadDouble()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(125)]
    [InlineData(126)]
    [InlineData(16380)]
    [InlineData(16381)]
    [InlineData(2_097_147)]
    [InlineData(2_097_148)]
    public void Embedded_message_lengths_are_minimal_at_every_prefix_width(int payloadLength)
    {
        var payload = new byte[payloadLength];
        new Random(payloadLength).NextBytes(payload);
        var writer = new ProtoWriter(16);
        writer.WriteInt64(1, 7);
        int mark = writer.BeginMessage(2);
        writer.WriteBytes(3, payload);
        writer.EndMessage(mark);
        writer.WriteInt64(1, 8);
        byte[] bytes = writer.ToArray();

        int bodyLength = 1 + ProtoWriter.VarintLength((ulong)payloadLength) + payloadLength;
        Assert.Equal(2 + 1 + ProtoWriter.VarintLength((ulong)bodyLength) + bodyLength + 2, bytes.Length);
        var reader = new ProtoReader(bytes, s_test);
        Assert.True(reader.ReadTag());
        Assert.Equal(7, reader.ReadInt64());
        Assert.True(reader.ReadTag());
        ProtoReader inner = reader.ReadMessage(s_test);
        Assert.True(inner.ReadTag());
        Assert.Equal(3, inner.FieldNumber);
        Assert.True(inner.ReadBytes().SequenceEqual(payload));
        Assert.False(inner.ReadTag());
        Assert.True(reader.ReadTag());
        Assert.Equal(8, reader.ReadInt64());
        Assert.False(reader.ReadTag());
    }

    [Fact]
    public void Repeated_scalars_read_packed_unpacked_and_mixed()
    {
        var writer = new ProtoWriter();
        writer.WritePackedInt64s(1, [1, -1, 300]);
        writer.WriteUnpackedInt64s(1, [4, 5]);
        writer.WritePackedFloats(2, [1.5f, -2f]);
        writer.WriteUnpackedFloats(2, [3f]);
        var longs = new List<long>();
        var floats = new List<float>();
        var reader = new ProtoReader(writer.ToArray(), s_test);
        while (reader.ReadTag())
        {
            if (reader.FieldNumber == 1)
            {
                reader.ReadInt64s(longs);
            }
            else
            {
                reader.ReadFloats(floats);
            }
        }

        Assert.Equal([1L, -1L, 300L, 4L, 5L], longs);
        Assert.Equal([1.5f, -2f, 3f], floats);
    }

    [Fact]
    public void Tensor_fields_read_packed_or_unpacked_alike()
    {
        // dims unpacked (as proto2 writes them) and float_data unpacked (as some writers do), then the same packed.
        var unpacked = new ProtoWriter();
        unpacked.WriteUnpackedInt64s(1, [2, 2]);
        unpacked.WriteInt32(2, (int)OnnxDataType.Float);
        unpacked.WriteUnpackedFloats(4, [1f, 2f, 3f, 4f]);
        var packed = new ProtoWriter();
        packed.WritePackedInt64s(1, [2, 2]);
        packed.WriteInt32(2, (int)OnnxDataType.Float);
        packed.WritePackedFloats(4, [1f, 2f]);
        packed.WritePackedFloats(4, [3f, 4f]);
        foreach (ProtoWriter w in new[] { unpacked, packed })
        {
            var reader = new ProtoReader(w.ToArray(), OnnxTensor.Info);
            OnnxTensor tensor = OnnxTensor.Read(ref reader);
            Assert.Equal([2L, 2L], tensor.Dims);
            Assert.Equal([1f, 2f, 3f, 4f], tensor.ToSingleArray());
        }
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped_in_every_message()
    {
        OnnxModel model = OnnxTestModels.SingleGemm();
        model.Graph!.Nodes[0].Attributes[0].T = OnnxTensor.Create("t", [1], [1.0]);
        byte[] expected = model.Encode();

        // Rebuild the same model with unknown fields written before the known ones of each message.
        byte[] withUnknowns = OnnxModelWithUnknowns(model);
        Assert.NotEqual(expected.Length, withUnknowns.Length);
        OnnxModel decoded = OnnxModel.Decode(withUnknowns);
        Assert.Equal(expected, decoded.Encode());
    }

    [Fact]
    public void Groups_are_rejected_naming_the_field()
    {
        byte[] data = [0x3B, 0x3C]; // field 7, wire type 3 (start group), then end group
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(data));
        Assert.Equal("field 7 (graph) of ModelProto at offset 0: wire type 3 (group) is not supported.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode([0x08, 0x01, 0xA4, 0x06]));
        Assert.Equal("field 100 of ModelProto at offset 2: wire type 4 (group) is not supported.", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x0E }, "field 1 (ir_version) of ModelProto at offset 0: wire type 6 is invalid.")]
    [InlineData(new byte[] { 0x0F }, "field 1 (ir_version) of ModelProto at offset 0: wire type 7 is invalid.")]
    [InlineData(new byte[] { 0x00 }, "ModelProto at offset 0: field number 0 is invalid.")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "ModelProto at offset 0: tag 34359738368 does not fit in 32 bits.")]
    [InlineData(new byte[] { 0x0A, 0x00 }, "field 1 (ir_version) of ModelProto at offset 0: wire type length-delimited where varint was expected.")]
    [InlineData(new byte[] { 0x12, 0x02, 0xC3, 0x28 }, "field 2 (producer_name) of ModelProto at offset 1: the string is not valid UTF-8.")]
    [InlineData(new byte[] { 0x08, 0x80 }, "field 1 (ir_version) of ModelProto at offset 1: the ModelProto ends inside a varint.")]
    [InlineData(new byte[] { 0x08 }, "field 1 (ir_version) of ModelProto at offset 1: the ModelProto ends inside a varint.")]
    [InlineData(new byte[] { 0x79, 1, 2, 3 }, "field 15 of ModelProto at offset 1: 8 bytes are needed but only 3 remain.")]
    [InlineData(new byte[] { 0x7D, 1, 2, 3 }, "field 15 of ModelProto at offset 1: 4 bytes are needed but only 3 remain.")]
    public void Malformed_wire_data_is_named_precisely(byte[] data, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(data));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Packed_fixed_width_lengths_must_be_whole_elements()
    {
        // TensorProto float_data packed with 7 bytes.
        byte[] data = [0x22, 0x07, 0, 0, 0, 0, 0, 0, 0];
        var reader = new ProtoReader(data, OnnxTensor.Info);
        var e = Assert.Throws<InvalidDataException>(() => ReadTensor(data));
        Assert.Equal("field 4 (float_data) of TensorProto at offset 1: packed length 7 is not a multiple of 4.", e.Message);
    }

    [Fact]
    public void A_packed_varint_may_not_run_past_its_field()
    {
        // dims packed in 2 bytes whose second varint continues into the next field.
        byte[] data = [0x0A, 0x02, 0x01, 0x81, 0x10, 0x01];
        var e = Assert.Throws<InvalidDataException>(() => ReadTensor(data));
        Assert.Equal("field 1 (dims) of TensorProto at offset 3: a varint runs past the end of its packed field.", e.Message);
    }

    private static OnnxTensor ReadTensor(byte[] data)
    {
        var reader = new ProtoReader(data, OnnxTensor.Info);
        return OnnxTensor.Read(ref reader);
    }

    private static int ReadInt32(byte[] data)
    {
        var reader = new ProtoReader(data, s_test);
        reader.ReadTag();
        return reader.ReadInt32();
    }

    /// <summary>The model's encoding with four unknown fields (one per wire type) prepended to every embedded message.</summary>
    private static byte[] OnnxModelWithUnknowns(OnnxModel model)
    {
        // Decode the canonical bytes generically and re-emit each length-delimited field that is a known message with
        // unknowns inserted; the known message fields per message name are listed here.
        byte[] canonical = model.Encode();
        return Inject(canonical, "ModelProto");
    }

    private static readonly Dictionary<string, Dictionary<int, string>> s_messageFields = new()
    {
        ["ModelProto"] = new() { [7] = "GraphProto", [8] = "OperatorSetIdProto" },
        ["GraphProto"] = new() { [1] = "NodeProto", [5] = "TensorProto", [11] = "ValueInfoProto", [12] = "ValueInfoProto", [13] = "ValueInfoProto" },
        ["NodeProto"] = new() { [5] = "AttributeProto" },
        ["AttributeProto"] = new() { [5] = "TensorProto", [6] = "GraphProto" },
        ["ValueInfoProto"] = new() { [2] = "TypeProto" },
        ["TypeProto"] = new() { [1] = "TypeProto.Tensor" },
        ["TypeProto.Tensor"] = new() { [2] = "TensorShapeProto" },
        ["TensorShapeProto"] = new() { [1] = "Dimension" },
        ["TensorProto"] = new(),
        ["OperatorSetIdProto"] = new(),
        ["Dimension"] = new(),
    };

    private static byte[] Inject(byte[] message, string name)
    {
        var writer = new ProtoWriter();
        writer.WriteUInt64(1000, 12345);                 // varint
        writer.WriteDouble(1001, 1.0);                   // fixed64
        writer.WriteBytes(1002, [0x08, 0x96, 0x01]);     // length-delimited
        writer.WriteFloat(1003, 2f);                     // fixed32
        var reader = new ProtoReader(message, s_test);
        while (reader.ReadTag())
        {
            int field = reader.FieldNumber;
            switch (reader.WireType)
            {
                case ProtoWireType.Varint:
                    writer.WriteUInt64(field, reader.ReadUInt64());
                    break;
                case ProtoWireType.Fixed32:
                    writer.WriteFloat(field, reader.ReadFloat());
                    break;
                case ProtoWireType.Fixed64:
                    writer.WriteDouble(field, reader.ReadDouble());
                    break;
                default:
                    byte[] body = reader.ReadBytes().ToArray();
                    writer.WriteBytes(field, s_messageFields[name].TryGetValue(field, out string? inner) ? Inject(body, inner) : body);
                    break;
            }
        }

        return writer.ToArray();
    }
}
