using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Crafted inputs each get an <see cref="InvalidDataException"/> that names the problem, without a large allocation or deep recursion.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxHostileInputTests
{
    [Fact]
    public void Length_beyond_the_input_names_field_message_offset_and_sizes()
    {
        // ModelProto { graph (7) { initializer (5): length 99999, then 12 bytes } }.
        byte[] graph = [0x12, 0x01, (byte)'g', 0x2A, 0x9F, 0x8D, 0x06, .. new byte[12]];
        byte[] model = [0x08, 0x08, 0x3A, (byte)graph.Length, .. graph];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(model));
        Assert.Equal("field 5 (initializer) of GraphProto at offset 8: length 99999 exceeds the 12 remaining bytes.", e.Message);

        e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read([0x3A, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40]));
        Assert.Equal("field 7 (graph) of ModelProto at offset 1: length 4611686018427387904 exceeds the 0 remaining bytes.", e.Message);
    }

    [Fact]
    public void Varints_longer_than_ten_bytes_or_over_64_bits_are_rejected()
    {
        byte[] eleven = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(eleven));
        Assert.Equal("field 1 (ir_version) of ModelProto at offset 1: varint is longer than 10 bytes.", e.Message);

        byte[] overflow = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02];
        e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(overflow));
        Assert.Equal("field 1 (ir_version) of ModelProto at offset 1: varint overflows 64 bits.", e.Message);

        byte[] tenOk = [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
        Assert.Null(OnnxModelReader.Read(tenOk).Graph);
        Assert.Equal(-1, ProtoTree.Decode(tenOk).Int(1));
    }

    [Fact]
    public void Subgraphs_are_skipped_whole_however_deep_they_nest()
    {
        // A node whose graph attribute holds a node whose graph attribute ... 22 times: read, and the If refused by name.
        var e = Assert.Throws<NotSupportedException>(() => OnnxImporter.Import<float>(NestedModel(cycles: 22).Encode()));
        Assert.Contains("node 'level21' (If): operator 'If' is not supported", e.Message, StringComparison.Ordinal);

        // 100,000 levels built directly as bytes: skipped as one field, without recursing or allocating in proportion.
        byte[] deep = DeeplyNestedBytes(100_000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        OnnxModelContents contents = OnnxModelReader.Read(deep);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        Assert.Single(contents.Graph!.Nodes);
        Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(deep));
    }

    [Fact]
    public void Dims_whose_product_overflows_are_rejected_before_any_allocation()
    {
        var tensor = new TensorProto { Name = "w", DataType = ProtoDataType.Float, Dims = [1L << 32, 1L << 32], RawData = new byte[4] };
        var e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'w' has dims [4294967296, 4294967296] whose product overflows 64 bits.", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("TensorProto at offset ", e.Message, StringComparison.Ordinal);

        tensor.Dims = [3, -2];
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.Contains("tensor 'w' has a negative dimension in dims [3, -2]", e.Message, StringComparison.Ordinal);

        // An empty dimension makes the product 0 even when the others are huge.
        tensor.Dims = [long.MaxValue, 0, long.MaxValue];
        tensor.RawData = [];
        Assert.Empty(DecodeInitializer(tensor).Values!);
    }

    [Fact]
    public void Values_that_do_not_match_dims_are_rejected()
    {
        var tensor = new TensorProto { Name = "w", DataType = ProtoDataType.Float, Dims = [2, 3], RawData = new byte[20] };
        var e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'w' of type FLOAT (1) has dims [2, 3] (6 elements) but raw_data holds 20 bytes, not 6 x 4.", e.Message, StringComparison.Ordinal);

        tensor = new TensorProto { Name = "d", DataType = ProtoDataType.Double, Dims = [1L << 40], DoubleData = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'd' of type DOUBLE (11) has dims [1099511627776] (1099511627776 elements) but double_data holds 2 values.", e.Message, StringComparison.Ordinal);

        tensor = new TensorProto { Name = "b", DataType = ProtoDataType.Float, Dims = [2], RawData = new byte[8], FloatData = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'b' of type FLOAT (1) has values in both raw_data and float_data.", e.Message, StringComparison.Ordinal);

        tensor = new TensorProto { Name = "i", DataType = ProtoDataType.Float, Dims = [2], Int64Data = [1, 2] };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'i' of type FLOAT (1) has 2 values in int64_data; its values belong in float_data or raw_data.", e.Message, StringComparison.Ordinal);

        tensor = new TensorProto { Name = "k", DataType = ProtoDataType.Int64, Dims = [3], Int64Data = [1, 2], StringData = { new byte[1] } };
        e = Assert.Throws<InvalidDataException>(() => DecodeInitializer(tensor));
        Assert.EndsWith("tensor 'k' of type INT64 (7) has 1 values in string_data; its values belong in int64_data or raw_data.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_data_location_is_rejected()
    {
        byte[] tensor = [0x70, 0x05]; // data_location = 5
        byte[] model = [0x3A, 0x04, 0x2A, 0x02, .. tensor];
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(model));
        Assert.Equal("field 14 (data_location) of TensorProto at offset 4: data_location 5 is neither DEFAULT (0) nor EXTERNAL (1).", e.Message);
    }

    [Fact]
    public void External_data_segments_and_sparse_initializers_are_refused_by_name()
    {
        var tensor = new TensorProto { Name = "big", DataType = ProtoDataType.Float, Dims = [2], DataLocation = 1, ExternalData = { ("location", "w.bin") } };
        var e = Assert.Throws<NotSupportedException>(() => DecodeInitializer(tensor));
        Assert.Equal("tensor 'big' keeps its values in external data (data_location = EXTERNAL), which is not supported; save the model with its weights inside the file.", e.Message);

        tensor = new TensorProto { Name = "s", DataType = ProtoDataType.Float, Dims = [2], Segment = (0, 2), FloatData = [1, 2] };
        e = Assert.Throws<NotSupportedException>(() => DecodeInitializer(tensor));
        Assert.Equal("tensor 's' is a segment of a larger tensor, which is not supported.", e.Message);

        byte[] sparse = [0x3A, 0x02, 0x7A, 0x00]; // graph { sparse_initializer (15) {} }
        e = Assert.Throws<NotSupportedException>(() => OnnxModelReader.Read(sparse));
        Assert.Equal("GraphProto at offset 2 has a sparse initializer, which is not supported; store the weights as dense initializers.", e.Message);
    }

    [Fact]
    public void Oversized_streams_are_refused_before_reading()
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(new ClaimsToBeHuge()));
        Assert.Contains($"is {5L << 30} bytes long; at most {OnnxModelReader.MaxBytes} bytes are accepted", e.Message, StringComparison.Ordinal);

        byte[] bytes = OnnxTestModels.SingleGemm().Encode();
        using var stream = new MemoryStream(bytes);
        e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.ReadAll(stream, maxBytes: bytes.Length - 1));
        Assert.Contains($"at most {bytes.Length - 1} bytes are accepted", e.Message, StringComparison.Ordinal);
        stream.Position = 0;
        Assert.Equal(bytes, OnnxModelReader.ReadAll(stream, maxBytes: bytes.Length));

        // A stream that cannot seek is read up to one byte past the limit, then refused.
        e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.ReadAll(new ForwardOnlyStream(bytes, chunk: 7), maxBytes: bytes.Length - 1));
        Assert.Contains($"is more than {bytes.Length - 1} bytes long", e.Message, StringComparison.Ordinal);
        Assert.Equal(bytes, OnnxModelReader.ReadAll(new ForwardOnlyStream(bytes, chunk: 7), maxBytes: bytes.Length));
    }

    [Fact]
    public void Load_prefixes_errors_with_the_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"backprop-onnx-bad-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, [0x08, 0x80]);
            var e = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(path));
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
            Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(input));
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 64 * 1024);
        }
    }

    private static OnnxTensor DecodeInitializer(TensorProto tensor)
    {
        var graph = new GraphProto();
        graph.Initializers.Add(tensor);
        return OnnxModelReader.Read(OnnxTestModels.Wrap(graph).Encode()).Graph!.GetInitializer(tensor.Name)!;
    }

    /// <summary>A model from 'x' to 'y' whose graph holds an If with a graph attribute holding an If ... <paramref name="cycles"/> times.</summary>
    private static ModelProto NestedModel(int cycles)
    {
        var graph = new GraphProto { Name = "innermost" };
        for (int i = 0; i < cycles; i++)
        {
            var outer = new GraphProto { Name = $"level{i}" };
            outer.Nodes.Add(NodeProto.Create("If", $"level{i}", ["x"], ["y"], new AttributeProto { Name = "then_branch", Type = ProtoAttributeType.Graph, G = graph }));
            graph = outer;
        }

        graph.Inputs.Add(ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 2L));
        graph.Outputs.Add(ValueInfoProto.CreateTensor("y", ProtoDataType.Float, "N", 2L));
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

    /// <summary>A stream that cannot seek and returns at most <c>chunk</c> bytes per read.</summary>
    internal sealed class ForwardOnlyStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, chunk), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
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
