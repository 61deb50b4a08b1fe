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
        Assert.Equal(value, (ulong)reader.ReadInt64());
        Assert.False(reader.ReadTag());
    }

    [Property(MaxTest = 300)]
    public Property Any_uint64_round_trips_through_a_minimal_varint() =>
        Prop.ForAll(Gen.Choose(0, 63).SelectMany(bits => Gen.Choose(0, int.MaxValue).Select(r => ((ulong)r * 0x9E3779B97F4A7C15UL) >> bits)).ToArbitrary(), value =>
        {
            var writer = new ProtoWriter();
            writer.WriteInt64(2, (long)value);
            var reader = new ProtoReader(writer.ToArray(), s_test);
            return reader.ReadTag() && reader.FieldNumber == 2 && (ulong)reader.ReadInt64() == value && !reader.ReadTag()
                && writer.Length == 1 + ProtoWriter.VarintLength(value);
        });

    [Fact]
    public void Negative_int32_takes_ten_bytes_and_reads_back()
    {
        var writer = new ProtoWriter();
        writer.WriteInt64(1, -2);
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
        writer.WritePackedVarints(1, [1, -1, 300]);
        writer.WriteInt64(1, 4);
        writer.WriteInt64(1, 5);
        writer.WritePacked(2, [1.5f, -2f]);
        writer.WriteFloat(2, 3f);
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
        unpacked.WriteInt64(1, 2);
        unpacked.WriteInt64(1, 2);
        unpacked.WriteInt64(2, (int)ProtoDataType.Float);
        foreach (float value in (float[])[1f, 2f, 3f, 4f])
        {
            unpacked.WriteFloat(4, value);
        }

        var packed = new ProtoWriter();
        packed.WritePackedVarints(1, [2, 2]);
        packed.WriteInt64(2, (int)ProtoDataType.Float);
        packed.WritePacked(4, [1f, 2f]);
        packed.WritePacked(4, [3f, 4f]);
        foreach (ProtoWriter w in new[] { unpacked, packed })
        {
            OnnxTensor tensor = ReadTensor(w.ToArray());
            Assert.Equal([2L, 2L], tensor.Dims);
            Assert.Equal([1.0, 2, 3, 4], tensor.Values!);
        }
    }

    [Fact]
    public void Unknown_fields_of_every_wire_type_are_skipped_in_every_message()
    {
        // A model with a Constant node (an attribute holding a tensor), typed and raw weights, every operator form with
        // an attribute, and an input and output with shapes: the same network comes back with unknown fields inserted
        // before the known ones of every message.
        var g = new OnnxGraphBuilder(features: 3);
        g.Constant("w", [3, 2]);
        TensorProto weights = g.Graph.Initializers[0];
        g.Graph.Initializers.Clear();
        g.Graph.Nodes.Add(NodeProto.Create("Constant", "weights", [], ["w"], AttributeProto.FromTensor("value", weights)));
        string h = g.Node("LeakyRelu", [g.Node("MatMul", ["x", "w"])], AttributeProto.FromFloat("alpha", 0.25f));
        h = g.Node("Gemm", [h, g.Constant("w2", [2, 4], raw: false), g.Constant("b2", [4])], AttributeProto.FromInt("transB", 0), AttributeProto.FromFloat("alpha", 0.5f));
        byte[] expected = g.Model(g.Node("Softmax", [h], AttributeProto.FromInt("axis", 1)), 4).Encode();
        byte[] withUnknowns = WithUnknowns(expected);
        Assert.True(withUnknowns.Length > expected.Length + 100);

        OnnxImportResult<double> a = OnnxImporter.Import<double>(expected);
        OnnxImportResult<double> b = OnnxImporter.Import<double>(withUnknowns);
        Assert.Equal(a.Network.Layers.Select(l => l.Description), b.Network.Layers.Select(l => l.Description));
        Assert.Equal(a.Network.Parameters.ToArray(), b.Network.Parameters.ToArray());
        Assert.Equal((a.InputName, a.OutputName, a.OpsetVersion, a.ProducerName), (b.InputName, b.OutputName, b.OpsetVersion, b.ProducerName));
    }

    [Fact]
    public void Groups_are_rejected_naming_the_field()
    {
        byte[] data = [0x3B, 0x3C]; // field 7, wire type 3 (start group), then end group
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(data));
        Assert.Equal("field 7 (graph) of ModelProto at offset 0: wire type 3 (group) is not supported.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read([0x08, 0x01, 0xA4, 0x06]));
        Assert.Equal("field 100 of ModelProto at offset 2: wire type 4 (group) is not supported.", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x0E }, "field 1 (ir_version) of ModelProto at offset 0: wire type 6 is invalid.")]
    [InlineData(new byte[] { 0x0F }, "field 1 (ir_version) of ModelProto at offset 0: wire type 7 is invalid.")]
    [InlineData(new byte[] { 0x00 }, "ModelProto at offset 0: field number 0 is invalid.")]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 }, "ModelProto at offset 0: tag 34359738368 does not fit in 32 bits.")]
    [InlineData(new byte[] { 0x10, 0x00 }, "field 2 (producer_name) of ModelProto at offset 0: wire type varint where length-delimited was expected.")]
    [InlineData(new byte[] { 0x42, 0x02, 0x12, 0x00 }, "field 2 (version) of OperatorSetIdProto at offset 2: wire type length-delimited where varint was expected.")]
    [InlineData(new byte[] { 0x12, 0x02, 0xC3, 0x28 }, "field 2 (producer_name) of ModelProto at offset 1: the string is not valid UTF-8.")]
    [InlineData(new byte[] { 0x08, 0x80 }, "field 1 (ir_version) of ModelProto at offset 1: the ModelProto ends inside a varint.")]
    [InlineData(new byte[] { 0x08 }, "field 1 (ir_version) of ModelProto at offset 1: the ModelProto ends inside a varint.")]
    [InlineData(new byte[] { 0x79, 1, 2, 3 }, "field 15 of ModelProto at offset 1: 8 bytes are needed but only 3 remain.")]
    [InlineData(new byte[] { 0x7D, 1, 2, 3 }, "field 15 of ModelProto at offset 1: 4 bytes are needed but only 3 remain.")]
    public void Malformed_wire_data_is_named_precisely(byte[] data, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(data));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Packed_fixed_width_lengths_must_be_whole_elements()
    {
        // TensorProto float_data packed with 7 bytes, at offset 4 of the model.
        byte[] data = [0x22, 0x07, 0, 0, 0, 0, 0, 0, 0];
        var e = Assert.Throws<InvalidDataException>(() => ReadTensor(data));
        Assert.Equal("field 4 (float_data) of TensorProto at offset 5: packed length 7 is not a multiple of 4.", e.Message);
    }

    [Fact]
    public void A_packed_varint_may_not_run_past_its_field()
    {
        // dims packed in 2 bytes whose second varint continues into the next field.
        byte[] data = [0x0A, 0x02, 0x01, 0x81, 0x10, 0x01];
        var e = Assert.Throws<InvalidDataException>(() => ReadTensor(data));
        Assert.Equal("field 1 (dims) of TensorProto at offset 7: a varint runs past the end of its packed field.", e.Message);
    }

    /// <summary>The tensor whose fields are <paramref name="tensor"/>, named "t", read as a model's only initializer (4 bytes into the model).</summary>
    private static OnnxTensor ReadTensor(byte[] tensor)
    {
        byte[] named = [.. tensor, 0x42, 0x01, (byte)'t'];
        byte[] model = [0x3A, (byte)(named.Length + 2), 0x2A, (byte)named.Length, .. named];
        return OnnxModelReader.Read(model).Graph!.GetInitializer("t")!;
    }

    private static int ReadInt32(byte[] data)
    {
        var reader = new ProtoReader(data, s_test);
        reader.ReadTag();
        return reader.ReadInt32();
    }

    /// <summary>The model with four unknown fields (one per wire type) inserted before the fields of every message in it.</summary>
    private static byte[] WithUnknowns(byte[] model)
    {
        static void Inject(ProtoTree message)
        {
            foreach (ProtoTree child in message.Fields.Select(f => f.Child).OfType<ProtoTree>())
            {
                Inject(child);
            }

            message.Fields.InsertRange(0,
            [
                new(1000, ProtoWireType.Varint) { Value = 12345 },
                new(1001, ProtoWireType.Fixed64) { Value = BitConverter.DoubleToInt64Bits(1.0) },
                new(1002, ProtoWireType.LengthDelimited) { Bytes = [0x08, 0x96, 0x01] },
                new(1003, ProtoWireType.Fixed32) { Value = BitConverter.SingleToInt32Bits(2f) },
            ]);
        }

        ProtoTree tree = ProtoTree.Decode(model);
        Inject(tree);
        return tree.Encode();
    }
}
