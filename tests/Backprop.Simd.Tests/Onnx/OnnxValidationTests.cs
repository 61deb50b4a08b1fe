using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>The checks phase 2 builds on: typed attributes, opset lookup, the graph index and tensor value access.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxValidationTests
{
    [Fact]
    public void Attribute_of_the_wrong_type_names_node_attribute_and_types()
    {
        OnnxNode gemm = OnnxNode.Create("Gemm", "/0/Gemm", ["x", "w"], ["y"], OnnxAttribute.FromFloat("transB", 1f), OnnxAttribute.FromInt("alpha", 2));
        var e = Assert.Throws<InvalidDataException>(() => gemm.GetInt("transB", 0));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'transB' has type FLOAT, expected INT.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => gemm.GetFloat("alpha", 1f));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'alpha' has type INT, expected FLOAT.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => gemm.GetInts("alpha"));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'alpha' has type INT, expected INTS.", e.Message);

        OnnxNode unnamed = OnnxNode.Create("Softmax", "", ["x"], ["p"], OnnxAttribute.FromString("axis", "1"));
        e = Assert.Throws<InvalidDataException>(() => unnamed.GetInt("axis", -1));
        Assert.Equal("Softmax node producing 'p': attribute 'axis' has type STRING, expected INT.", e.Message);
    }

    [Fact]
    public void Attributes_read_with_defaults_and_checks()
    {
        OnnxNode node = OnnxNode.Create(
            "Gemm", "g", ["x"], ["y"],
            OnnxAttribute.FromInt("transA", 1), OnnxAttribute.FromFloat("beta", 0.5f), OnnxAttribute.FromInts("perm", 1, 0),
            OnnxAttribute.FromFloats("scales", 2f), OnnxAttribute.FromString("mode", "é"), OnnxAttribute.FromInt("flag", 2),
            OnnxAttribute.FromTensor("value", OnnxTensor.Create("", [1], [3f])),
            new OnnxAttribute { Name = "legacy", I = 4 });
        Assert.True(node.GetBool("transA", false));
        Assert.False(node.GetBool("transB", false));
        Assert.Equal(0.5f, node.GetFloat("beta", 1f));
        Assert.Equal(1f, node.GetFloat("alpha", 1f));
        Assert.Equal([1L, 0L], node.GetInts("perm"));
        Assert.Null(node.GetInts("axes"));
        Assert.Equal([2f], node.GetFloats("scales"));
        Assert.Equal("é", node.GetString("mode", ""));
        Assert.Equal([3f], node.GetTensor("value")!.ToSingleArray());
        Assert.Equal(4, node.GetInt("legacy", 0)); // no type (IR version 1): inferred from the value field
        var e = Assert.Throws<InvalidDataException>(() => node.GetBool("flag", false));
        Assert.Equal("node 'g' (Gemm): attribute 'flag' is 2, but must be 0 or 1.", e.Message);

        var ns = Assert.Throws<NotSupportedException>(() => node.EnsureOnlyAttributes("transA", "beta"));
        Assert.Equal("node 'g' (Gemm): attribute 'perm' is not supported; supported attributes of Gemm are transA, beta.", ns.Message);
    }

    [Fact]
    public void Duplicate_and_referring_attributes_are_rejected()
    {
        OnnxNode twice = OnnxNode.Create("LeakyRelu", "lr", ["x"], ["y"], OnnxAttribute.FromFloat("alpha", 0.1f), OnnxAttribute.FromFloat("alpha", 0.2f));
        var e = Assert.Throws<InvalidDataException>(() => twice.GetFloat("alpha", 0.01f));
        Assert.Equal("node 'lr' (LeakyRelu): attribute 'alpha' is given twice.", e.Message);

        OnnxNode referring = OnnxNode.Create("LeakyRelu", "lr", ["x"], ["y"], new OnnxAttribute { Name = "alpha", Type = OnnxAttributeType.Float, RefAttrName = "slope" });
        var ns = Assert.Throws<NotSupportedException>(() => referring.GetFloat("alpha", 0.01f));
        Assert.Contains("refers to the function attribute 'slope'", ns.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Opset_lookup_treats_empty_and_ai_onnx_as_the_default_domain()
    {
        OnnxModel model = OnnxTestModels.SingleGemm();
        Assert.Equal(13, model.GetDefaultOpsetVersion());
        Assert.Equal(13, model.FindOpsetVersion("ai.onnx"));
        Assert.Null(model.FindOpsetVersion("com.microsoft"));

        model.OpsetImports[0].Domain = "ai.onnx";
        Assert.Equal(13, model.GetDefaultOpsetVersion());
        model.OpsetImports.Add(new OnnxOperatorSetId { Domain = "com.microsoft", Version = 1 });
        Assert.Equal(1, model.FindOpsetVersion("com.microsoft"));
        model.OpsetImports.Add(new OnnxOperatorSetId { Domain = "", Version = 17 });
        var e = Assert.Throws<InvalidDataException>(() => model.GetDefaultOpsetVersion());
        Assert.Contains("imports the operator set domain '' twice", e.Message, StringComparison.Ordinal);

        model.OpsetImports.Clear();
        e = Assert.Throws<InvalidDataException>(() => model.GetDefaultOpsetVersion());
        Assert.Contains("imports no operator set for the default domain", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => new OnnxModel().RequireGraph());
    }

    [Fact]
    public void Graph_index_finds_initializers_constants_producers_and_consumers()
    {
        OnnxModel model = OnnxTestModels.MatMulAddRelu();
        OnnxGraph graph = model.RequireGraph();
        graph.Nodes.Insert(0, OnnxNode.Create("Constant", "c", [], ["k"], OnnxAttribute.FromTensor("value", OnnxTensor.Create("", [], [2f]))));
        graph.Nodes.Add(OnnxNode.Create("Mul", "scale", ["Y", "k"], ["scaled"]));
        graph.Nodes.Add(OnnxNode.Create("Add", "twice", ["Y", "Y"], ["YY"]));
        var index = new OnnxGraphIndex(graph);

        Assert.True(index.TryGetInitializer("W", out OnnxTensor? w));
        Assert.Equal([4L, 3L], w.Dims);
        Assert.False(index.TryGetInitializer("X", out _));
        Assert.True(index.IsRuntimeInput("X"));
        OnnxNode matmul = graph.Nodes[1];
        Assert.Same(w, index.GetConstantInput(matmul, 1));
        Assert.Equal([2f], index.GetConstantInput(graph.Nodes[4], 1).ToSingleArray());
        Assert.Equal(["scale", "twice"], index.GetConsumers("Y").Select(n => n.Name));
        Assert.Equal("relu", index.GetProducer("Y")!.Name);
        Assert.Null(index.GetProducer("X"));
        Assert.Empty(index.GetConsumers("nothing"));

        var ns = Assert.Throws<NotSupportedException>(() => index.GetConstantInput(matmul, 0));
        Assert.Equal("node 'matmul' (MatMul) reads 'X' (input 0), which is computed at run time; it must be an initializer or a Constant.", ns.Message);
        var e = Assert.Throws<InvalidDataException>(() => index.GetConstantInput(matmul, 2));
        Assert.Equal("node 'matmul' (MatMul) has no input 2.", e.Message);
        graph.Nodes[1].Inputs[1] = "missing";
        e = Assert.Throws<InvalidDataException>(() => new OnnxGraphIndex(graph).GetConstantInput(matmul, 1));
        Assert.Equal("node 'matmul' (MatMul) reads 'missing' (input 1), which no node, input or initializer of graph 'matmul_add_relu' provides.", e.Message);
    }

    [Fact]
    public void Graph_index_rejects_duplicate_names()
    {
        OnnxGraph graph = OnnxTestModels.MatMulAddRelu().RequireGraph();
        graph.Initializers.Add(OnnxTensor.Create("W", [1], [1f]));
        var e = Assert.Throws<InvalidDataException>(() => new OnnxGraphIndex(graph));
        Assert.Equal("graph 'matmul_add_relu' has two initializers named 'W'.", e.Message);

        graph = OnnxTestModels.MatMulAddRelu().RequireGraph();
        graph.Nodes.Add(OnnxNode.Create("Relu", "again", ["Z"], ["Y"]));
        e = Assert.Throws<InvalidDataException>(() => new OnnxGraphIndex(graph));
        Assert.Equal("In graph 'matmul_add_relu', the value 'Y' is produced twice: by node 'relu' (Relu) and by node 'again' (Relu).", e.Message);

        graph = OnnxTestModels.MatMulAddRelu().RequireGraph();
        graph.Nodes.Add(OnnxNode.Create("Relu", "overwrite", ["Z"], ["W"]));
        e = Assert.Throws<InvalidDataException>(() => new OnnxGraphIndex(graph));
        Assert.Contains("produces 'W', which is also a graph input or initializer", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tensor_values_of_unreadable_kinds_say_why()
    {
        var external = new OnnxTensor { Name = "big", DataType = OnnxDataType.Float, Dims = [2], DataLocation = OnnxDataLocation.External };
        var ns = Assert.Throws<NotSupportedException>(() => external.ToSingleArray());
        Assert.Equal("tensor 'big' keeps its values in external data (data_location = EXTERNAL), which is not supported.", ns.Message);

        var bytes = new OnnxTensor { Name = "q", DataType = OnnxDataType.UInt8, Dims = [2], RawData = [1, 2] };
        ns = Assert.Throws<NotSupportedException>(() => bytes.ToSingleArray());
        Assert.Equal("Tensor 'q' has data type UINT8 (2), which is not supported; supported are FLOAT (1), DOUBLE (11), INT32 (6) and INT64 (7).", ns.Message);
        var unknown = new OnnxTensor { Name = "u", DataType = (OnnxDataType)77, Dims = [] };
        ns = Assert.Throws<NotSupportedException>(() => unknown.ToDoubleArray());
        Assert.Contains("data type 77", ns.Message, StringComparison.Ordinal);

        var segment = new OnnxTensor { Name = "s", DataType = OnnxDataType.Float, Dims = [2], Segment = new OnnxTensorSegment { End = 2 }, FloatData = [1, 2] };
        Assert.Throws<NotSupportedException>(() => segment.ToSingleArray());

        OnnxTensor doubles = OnnxTensor.Create("d", [2], [1.0, 2.0]);
        var e = Assert.Throws<InvalidDataException>(() => doubles.ToSingleArray());
        Assert.Equal("tensor 'd' holds DOUBLE (11) values, not FLOAT (1).", e.Message);

        // A tensor changed after decoding is checked again when read.
        doubles.Dims = [3];
        e = Assert.Throws<InvalidDataException>(() => doubles.ToDoubleArray());
        Assert.Contains("raw_data holds 16 bytes, not 3 x 8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_a_tensor_checks_its_element_count()
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxTensor.Create("w", [2, 3], new float[5]));
        Assert.Contains("describe 6 elements but 5 values were given", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => OnnxTensor.Create("w", [-1], ReadOnlySpan<float>.Empty));
        Assert.Equal(1, OnnxTensor.Create("scalar", [], [5L]).ElementCount);
        Assert.Equal([5L], OnnxTensor.Create("scalar", [], [5L], useRawData: false).ToInt64Array());
    }

    [Fact]
    public void Writing_a_string_with_a_lone_surrogate_is_an_argument_error()
    {
        var graph = new OnnxGraph { Name = "bad\uD800name" };
        Assert.Throws<ArgumentException>(() => OnnxTestModels.Wrap(graph).Encode());
    }
}
