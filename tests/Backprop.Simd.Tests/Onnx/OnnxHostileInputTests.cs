using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Crafted inputs each get an <see cref="InvalidDataException"/> that names the problem, without a large allocation.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxHostileInputTests
{
    [Fact]
    public void Length_beyond_the_input_names_field_message_offset_and_sizes()
    {
        // ModelProto { graph (7) { initializer (5): length 99999, then 12 bytes } }.
        byte[] graph = [0x12, 0x01, (byte)'g', 0x2A, 0x9F, 0x8D, 0x06, .. new byte[12]];
        byte[] model = [0x08, 0x08, 0x3A, (byte)graph.Length, .. graph];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(model));
        Assert.Equal("field 5 (initializer) of GraphProto at offset 8: length 99999 exceeds the 12 remaining bytes.", e.Message);

        e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode([0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]));
        Assert.Equal("field 7 (graph) of ModelProto at offset 1: length 4611686018427387904 exceeds the 0 remaining bytes.", e.Message);
    }

    [Fact]
    public void Varints_longer_than_ten_bytes_or_over_64_bits_are_rejected()
    {
        byte[] eleven = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(eleven));
        Assert.Equal("field 1 (ir_version) of ModelProto at offset 1: varint is longer than 10 bytes.", e.Message);

        byte[] overflow = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(overflow));
        Assert.Equal("field 1 (ir_version) of ModelProto at offset 1: varint overflows 64 bits.", e.Message);

        byte[] tenOk = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        Assert.Equal(-1, OnnxModel.Decode(tenOk).IrVersion);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected_and_shallower_decodes()
    {
        Assert.NotNull(OnnxModel.Decode(NestedModel(cycles: 21).Encode()).Graph); // depth 1 + 3 * 21 = 64
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(NestedModel(cycles: 22).Encode()));
        Assert.Contains("messages nest more than 64 levels deep", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("field 1 (node) of GraphProto at offset ", e.Message, StringComparison.Ordinal);

        // 100,000 levels built directly as bytes: rejected at level 65 without recursing further.
        e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(DeeplyNestedBytes(100_000)));
        Assert.Contains("messages nest more than 64 levels deep", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dims_whose_product_overflows_are_rejected_before_any_allocation()
    {
        var tensor = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [1L << 32, 1L << 32], RawData = new byte[4] };
        var e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'w' has dims [4294967296, 4294967296] whose product overflows 64 bits.", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("TensorProto at offset ", e.Message, StringComparison.Ordinal);

        tensor.Dims = [3, -2];
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.Contains("tensor 'w' has a negative dimension in dims [3, -2]", e.Message, StringComparison.Ordinal);

        // An empty dimension makes the product 0 even when the others are huge.
        tensor.Dims = [long.MaxValue, 0, long.MaxValue];
        tensor.RawData = [];
        Assert.Empty(DecodeInitializer(tensor).ToSingleArray());
    }

    [Fact]
    public void Values_that_do_not_match_dims_are_rejected()
    {
        var tensor = new OnnxTensor { Name = "w", DataType = OnnxDataType.Float, Dims = [2, 3], RawData = new byte[20] };
        var e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'w' of type FLOAT (1) has dims [2, 3] (6 elements) but raw_data holds 20 bytes, not 6 x 4.", e.Message, StringComparison.Ordinal);

        tensor = new OnnxTensor { Name = "d", DataType = OnnxDataType.Double, Dims = [1L << 40], DoubleData = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'd' of type DOUBLE (11) has dims [1099511627776] (1099511627776 elements) but double_data holds 2 values.", e.Message, StringComparison.Ordinal);

        tensor = new OnnxTensor { Name = "b", DataType = OnnxDataType.Float, Dims = [2], RawData = new byte[8], FloatData = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'b' of type FLOAT (1) has values in both raw_data and float_data.", e.Message, StringComparison.Ordinal);

        tensor = new OnnxTensor { Name = "i", DataType = OnnxDataType.Float, Dims = [2], Int64Data = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'i' of type FLOAT (1) has 2 values in int64_data; its values belong in float_data or raw_data.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_data_location_is_rejected()
    {
        byte[] tensor = [0x70, 0x05]; // data_location = 5
        byte[] model = [0x3A, 0x04, 0x2A, 0x02, .. tensor];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(model));
        Assert.Equal("field 14 (data_location) of TensorProto at offset 4: data_location 5 is neither DEFAULT (0) nor EXTERNAL (1).", e.Message);
    }

    [Fact]
    public void Oversized_streams_are_refused_before_reading()
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(new ClaimsToBeHuge()));
        Assert.Contains($"is {5L << 30} bytes long; at most {OnnxModel.MaxEncodedBytes} bytes are accepted", e.Message, StringComparison.Ordinal);

        byte[] bytes = OnnxTestModels.SingleGemm().Encode();
        using var stream = new MemoryStream(bytes);
        e = Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(stream, maxBytes: bytes.Length - 1));
        Assert.Contains($"at most {bytes.Length - 1} bytes are accepted", e.Message, StringComparison.Ordinal);
        stream.Position = 0;
        Assert.NotNull(OnnxModel.Decode(stream, maxBytes: bytes.Length).Graph);
    }

    [Fact]
    public void Load_prefixes_errors_with_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"backprop-onnx-bad-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, [0x08, 0x80]);
            var e = Assert.Throws<InvalidDataException>(() => OnnxModel.Load(path));
            Assert.Equal($"{path}: field 1 (ir_version) of ModelProto at offset 1: the ModelProto ends inside a varint.", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Huge_claims_allocate_nothing_in_proportion()
    {
        // A packed float_data claiming 2^31 bytes, dims claiming 2^40 elements, a string claiming 2^30 bytes.
        byte[][] inputs =
        [
            [0x3A, 0x08, 0x2A, 0x06, 0x22, 0x80, 0x80, 0x80, 0x80, 0x08],
            [0x3A, 0x0B, 0x2A, 0x09, 0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0x10, 0x01],
            [0x12, 0x80, 0x80, 0x80, 0x80, 0x04, 0x41],
        ];
        foreach (byte[] input in inputs)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            Assert.Throws<InvalidDataException>(() => OnnxModel.Decode(input));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        }
    }

    private static OnnxTensor DecodeInitializer(OnnxTensor tensor)
    {
        var graph = new OnnxGraph();
        graph.Initializers.Add(tensor);
        return OnnxModel.Decode(OnnxTestModels.Wrap(graph).Encode()).RequireGraph().Initializers[0];
    }

    /// <summary>A model whose graph holds a node with a graph attribute holding a node ... <paramref name="cycles"/> times.</summary>
    private static OnnxModel NestedModel(int cycles)
    {
        var graph = new OnnxGraph { Name = "innermost" };
        for (int i = 0; i < cycles; i++)
        {
            var outer = new OnnxGraph { Name = $"level{i}" };
            outer.Nodes.Add(OnnxNode.Create("If", "", ["c"], ["y"], new OnnxAttribute { Name = "then_branch", Type = OnnxAttributeType.Graph, G = graph }));
            graph = outer;
        }

        return OnnxTestModels.Wrap(graph);
    }

    /// <summary>ModelProto.graph { node { attribute { g { node { ... } } } } }, <paramref name="levels"/> messages deep, empty inside.</summary>
    private static byte[] DeeplyNestedBytes(int levels)
    {
        // Field of level i: the model's graph (7), then graph.node (1), node.attribute (5), attribute.g (6), repeating.
        static int Field(int level) => level == 0 ? 7 : ((level - 1) % 3) switch { 0 => 1, 1 => 5, _ => 6 };
        var bodies = new long[levels];
        long inner = 0;
        for (int i = levels - 1; i >= 0; i--)
        {
            bodies[i] = inner;
            inner = 1 + ProtoWriter.VarintLength((ulong)inner) + inner;
        }

        var writer = new ProtoWriter((int)inner);
        for (int i = 0; i < levels; i++)
        {
            writer.WriteTag(Field(i), ProtoWireType.LengthDelimited);
            writer.WriteVarint((ulong)bodies[i]);
        }

        return writer.ToArray();
    }

    /// <summary>A seekable stream that reports 5 GiB and cannot be read: the size check must come first.</summary>
    private sealed class ClaimsToBeHuge : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => 5L << 30;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("must not be read");

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
