using Backprop.Simd.Serialization.Onnx;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// The reader keeps every field a chain uses exactly as written, whatever else the model holds (subgraphs, strings,
/// documentation, types it does not read), and reads models from bytes, streams and files alike.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxModelReaderTests
{
    private static Arbitrary<(int Seed, int Size)> Seeds() =>
        Gen.Sized(size => Gen.Choose(0, int.MaxValue).Select(seed => (seed, size))).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property Random_models_are_read_field_for_field() => Prop.ForAll(Seeds(), s =>
    {
        ModelProto model = new RandomOnnx(s.Seed, s.Size, readable: true).Model();
        OnnxModelContents read = OnnxModelReader.Read(model.Encode());
        Assert.Equal(model.ProducerName, read.ProducerName);
        Assert.Equal(model.OpsetImports.Where(o => o.Domain is null or "" or "ai.onnx").Select(o => (long?)o.Version).FirstOrDefault(), read.Opset);
        Assert.Equal(model.Graph is null, read.Graph is null);
        if (model.Graph is not GraphProto graph)
        {
            return;
        }

        Assert.Equal(graph.Nodes.Count, read.Graph!.Nodes.Count);
        foreach ((NodeProto expected, OnnxNode actual) in graph.Nodes.Zip(read.Graph.Nodes))
        {
            Assert.Equal((expected.Name, expected.OpType, expected.Domain), (actual.Name, actual.OpType, actual.Domain));
            Assert.Equal(expected.Inputs, actual.Inputs);
            Assert.Equal(expected.Outputs, actual.Outputs);
            Assert.Equal(expected.Attributes.Count, actual.Attributes.Count);
            foreach ((AttributeProto e, OnnxAttribute a) in expected.Attributes.Zip(actual.Attributes))
            {
                Assert.Equal((e.Name, (int)e.Type, e.RefAttrName, e.I), (a.Name, a.Type, a.RefAttrName, a.I));
                Assert.Equal(e.F is float f ? BitConverter.SingleToInt32Bits(f) : (int?)null, a.F is float g ? BitConverter.SingleToInt32Bits(g) : (int?)null);
                Assert.Equal(e.S, a.S);
                Assert.Equal(e.Ints, a.Ints);
                Assert.Equal(e.T is null, a.T is null);
                if (e.T is not null)
                {
                    AssertTensor(e.T, a.T!);
                }
            }
        }

        foreach (TensorProto initializer in graph.Initializers)
        {
            AssertTensor(initializer, read.Graph.GetInitializer(initializer.Name)!);
        }

        foreach ((List<ValueInfoProto> expected, List<OnnxValue> actual) in new[] { (graph.Inputs, read.Graph.Inputs), (graph.Outputs, read.Graph.Outputs) })
        {
            Assert.Equal(expected.Count, actual.Count);
            foreach ((ValueInfoProto e, OnnxValue a) in expected.Zip(actual))
            {
                bool tensor = e.HasType && e.IsTensor;
                Assert.Equal((e.Name, tensor, tensor ? (int)e.ElementType : 0), (a.Name, a.IsTensor, a.ElementType));
                Assert.Equal(tensor ? e.Shape : null, a.Shape?.Select(d => (d.Value, d.Param)).ToList());
            }
        }
    });

    [Property(MaxTest = 200)]
    public Property Random_tensors_read_back_their_values() => Prop.ForAll(Seeds(), s =>
    {
        var random = new Random(s.Seed);
        long[] dims = Enumerable.Range(0, random.Next(4)).Select(_ => (long)random.Next(1 + s.Size)).ToArray();
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        bool raw = random.Next(2) == 0;
        float[] floats = Enumerable.Range(0, count).Select(_ => BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))).ToArray();
        double[] doubles = Enumerable.Range(0, count).Select(_ => BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue))).ToArray();
        long[] longs = Enumerable.Range(0, count).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToArray();
        var graph = new GraphProto();
        graph.Initializers.Add(TensorProto.Create("f", dims, floats, raw));
        graph.Initializers.Add(TensorProto.Create("d", dims, doubles, raw));
        graph.Initializers.Add(TensorProto.Create("l", dims, longs, raw));
        graph.Initializers.Add(TensorProto.Create("i", dims, longs.Select(v => (int)v).ToArray(), raw));

        OnnxGraph read = OnnxModelReader.Read(OnnxTestModels.Wrap(graph).Encode()).Graph!;
        Assert.Equal(dims, read.GetInitializer("f")!.Dims);
        Assert.Equal(floats.Select(v => BitConverter.DoubleToInt64Bits(v)), read.GetInitializer("f")!.Values!.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(doubles.Select(BitConverter.DoubleToInt64Bits), read.GetInitializer("d")!.Values!.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(longs, read.GetInitializer("l")!.Integers);
        Assert.Null(read.GetInitializer("i")!.Values);
        Assert.Null(read.GetInitializer("i")!.Integers);
    });

    [Fact]
    public void Streams_files_and_non_seekable_streams_give_the_same_network()
    {
        byte[] bytes = OnnxTestModels.FullMlp(ProtoDataType.Double, seed: 3, opset: 17).Encode();
        double[] expected = OnnxImporter.Import<double>(bytes).Network.Parameters.ToArray();

        using var stream = new MemoryStream(bytes);
        Assert.Equal(expected, OnnxImporter.Import<double>(stream).Network.Parameters.ToArray());
        using var forwardOnly = new OnnxHostileInputTests.ForwardOnlyStream(bytes, chunk: 7);
        Assert.Equal(expected, OnnxImporter.Import<double>(forwardOnly).Network.Parameters.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"backprop-onnx-{Environment.ProcessId}-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, bytes);
            Assert.Equal(expected, OnnxImporter.Import<double>(path).Network.Parameters.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Large_initializers_are_read()
    {
        // 600,000 floats: length prefixes of 3 bytes in the tensor, graph and model.
        float[] values = Enumerable.Range(0, 600_000).Select(i => i * 0.5f).ToArray();
        var graph = new GraphProto { Name = "big" };
        graph.Initializers.Add(TensorProto.Create("w", [600, 1000], values));
        graph.Initializers.Add(TensorProto.Create("v", [600, 1000], values, raw: false));
        OnnxGraph read = OnnxModelReader.Read(OnnxTestModels.Wrap(graph).Encode()).Graph!;
        Assert.Equal(values.Select(v => (double)v), read.GetInitializer("w")!.Values!);
        Assert.Equal(values.Select(v => (double)v), read.GetInitializer("v")!.Values!);
    }

    [Fact]
    public void Zero_and_empty_values_are_read_as_present()
    {
        var node = NodeProto.Create("Custom", "", ["", "x"], ["y"],
            AttributeProto.FromInt("zero", 0), AttributeProto.FromFloat("fzero", -0f), AttributeProto.FromString("empty", ""));
        var graph = new GraphProto();
        graph.Nodes.Add(node);
        graph.Inputs.Add(ValueInfoProto.CreateTensor("x", ProtoDataType.Float, 0L, null, ""));
        graph.Initializers.Add(new TensorProto { Name = "empty", DataType = ProtoDataType.Float, Dims = [0], RawData = [] });
        OnnxGraph read = OnnxModelReader.Read(OnnxTestModels.Wrap(graph).Encode()).Graph!;
        OnnxNode n = read.Nodes[0];
        Assert.Equal(0, n.GetInt("zero", 5));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(n.GetFloat("fzero", 1f)));
        Assert.Equal("", n.GetString("empty", "default"));
        Assert.Equal(["", "x"], n.Inputs);
        Assert.Equal([new OnnxDimension(0, null), default, new OnnxDimension(null, "")], read.Inputs[0].Shape!);
        Assert.Empty(read.GetInitializer("empty")!.Values!);
    }

    private static void AssertTensor(TensorProto expected, OnnxTensor actual)
    {
        Assert.Equal((expected.Name, (int)expected.DataType), (actual.Name, actual.DataType));
        Assert.Equal(expected.Dims, actual.Dims);
        double[]? values = expected.DataType switch
        {
            ProtoDataType.Float => expected.RawData is byte[] raw ? [.. Cast<float>(raw).Select(v => (double)v)] : [.. expected.FloatData.Select(v => (double)v)],
            ProtoDataType.Double => expected.RawData is byte[] raw ? Cast<double>(raw) : expected.DoubleData,
            _ => null,
        };
        Assert.Equal(values?.Select(BitConverter.DoubleToInt64Bits), actual.Values?.Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal(expected.DataType == ProtoDataType.Int64 ? expected.RawData is byte[] r ? Cast<long>(r) : expected.Int64Data : null, actual.Integers);
    }

    private static T[] Cast<T>(byte[] raw)
        where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(raw).ToArray();
}
