using Backprop.Simd.Serialization.Onnx;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>Encode then decode gives back every field of the subset, bit for bit; decode then encode gives back the bytes.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxRoundTripTests
{
    private static Arbitrary<(int Seed, int Size)> Seeds() =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => (seed, size))).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Random_models_round_trip_losslessly() => Prop.ForAll(Seeds(), s =>
    {
        OnnxModel model = new RandomOnnx(s.Seed, s.Size).Model();
        byte[] bytes = model.Encode();
        OnnxModel decoded = OnnxModel.Decode(bytes);
        OnnxAssert.Equal(model, decoded);
        Assert.Equal(bytes, decoded.Encode());
    });

    [Property(MaxTest = 200)]
    public Property Random_tensors_round_trip_and_read_back_their_values() => Prop.ForAll(Seeds(), s =>
    {
        var random = new Random(s.Seed);
        long[] dims = Enumerable.Range(0, random.Next(4)).Select(_ => (long)random.Next(1 + s.Size)).ToArray();
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        bool raw = random.Next(2) == 0;
        float[] floats = Enumerable.Range(0, count).Select(_ => BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))).ToArray();
        double[] doubles = Enumerable.Range(0, count).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue))).ToArray();
        long[] longs = Enumerable.Range(0, count).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        int[] ints = Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
        var graph = new OnnxGraph();
        graph.Initializers.Add(OnnxTensor.Create("f", dims, floats, raw));
        graph.Initializers.Add(OnnxTensor.Create("d", dims, doubles, raw));
        graph.Initializers.Add(OnnxTensor.Create("l", dims, longs, raw));
        graph.Initializers.Add(OnnxTensor.Create("i", dims, ints, raw));

        OnnxGraph decoded = OnnxModel.Decode(OnnxTestModels.Wrap(graph).Encode()).RequireGraph();
        Assert.Equal(dims, decoded.Initializers[0].Dims);
        Assert.Equal(count, decoded.Initializers[0].ElementCount);
        Assert.Equal(raw, decoded.Initializers[0].RawData is not null);
        Assert.Equal(floats.Select(BitConverter.SingleToInt32Bits), decoded.Initializers[0].ToSingleArray().Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), decoded.Initializers[1].ToDoubleArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(longs, decoded.Initializers[2].ToInt64Array());
        Assert.Equal(ints, decoded.Initializers[3].ToInt32Array());
    });

    [Fact]
    public void Streams_files_and_non_seekable_streams_round_trip()
    {
        OnnxModel model = OnnxTestModels.FullMlp(OnnxDataType.Float, seed: 3);
        byte[] bytes = model.Encode();

        using var stream = new MemoryStream();
        model.Encode(stream);
        Assert.Equal(bytes, stream.ToArray());
        stream.Position = 0;
        OnnxAssert.Equal(model, OnnxModel.Decode(stream));

        using var forwardOnly = new ForwardOnlyStream(bytes, chunk: 7);
        OnnxAssert.Equal(model, OnnxModel.Decode(forwardOnly));

        string path = Path.Combine(Path.GetTempPath(), $"backprop-onnx-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            model.Save(path);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            OnnxAssert.Equal(model, OnnxModel.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Large_initializers_round_trip()
    {
        // 600,000 floats: length prefixes of 3 bytes in the tensor, graph and model.
        float[] values = Enumerable.Range(0, 600_000).Select(i => i * 0.5f).ToArray();
        var graph = new OnnxGraph { Name = "big" };
        graph.Initializers.Add(OnnxTensor.Create("w", [600, 1000], values));
        graph.Initializers.Add(OnnxTensor.Create("v", [600, 1000], values, useRawData: false));
        OnnxGraph decoded = OnnxModel.Decode(OnnxTestModels.Wrap(graph).Encode()).RequireGraph();
        Assert.Equal(values, decoded.Initializers[0].ToSingleArray());
        Assert.Equal(values, decoded.Initializers[1].ToSingleArray());
    }

    [Fact]
    public void Presence_of_zero_and_empty_values_round_trips()
    {
        var node = OnnxNode.Create("Custom", "", ["", "x"], ["y"],
            OnnxAttribute.FromInt("zero", 0), OnnxAttribute.FromFloat("fzero", -0f), OnnxAttribute.FromString("empty", ""));
        var graph = new OnnxGraph();
        graph.Nodes.Add(node);
        graph.Inputs.Add(OnnxValueInfo.CreateTensor("x", OnnxDataType.Float, OnnxDimension.Fixed(0), OnnxDimension.Unknown(), OnnxDimension.Symbolic("")));
        graph.Initializers.Add(new OnnxTensor { Name = "empty", DataType = OnnxDataType.Float, Dims = [0], RawData = [] });
        OnnxModel model = OnnxTestModels.Wrap(graph);
        OnnxModel decoded = OnnxModel.Decode(model.Encode());
        OnnxAssert.Equal(model, decoded);
        OnnxNode n = decoded.RequireGraph().Nodes[0];
        Assert.Equal(0, n.GetInt("zero", 5));
        Assert.Equal("", n.GetString("empty", "default"));
        Assert.Equal(["", "x"], n.Inputs);
        OnnxShape shape = decoded.RequireGraph().Inputs[0].TensorType!.Shape!;
        Assert.Equal(0, shape.Dims[0].Value);
        Assert.Null(shape.Dims[1].Value);
        Assert.Null(shape.Dims[1].Param);
        Assert.Equal("", shape.Dims[2].Param);
        Assert.Empty(decoded.RequireGraph().Initializers[0].ToSingleArray());
    }

    /// <summary>A stream that cannot seek and returns at most <c>chunk</c> bytes per read.</summary>
    private sealed class ForwardOnlyStream(byte[] data, int chunk) : Stream
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
}
