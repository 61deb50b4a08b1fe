using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>The checks the chain reader builds on: typed attributes, the default opset, the graph index and unreadable tensors.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxValidationTests
{
    [Fact]
    public void Attribute_of_the_wrong_type_names_node_attribute_and_types()
    {
        OnnxNode gemm = Node("Gemm", "/0/Gemm", new OnnxAttribute { Name = "transB", Type = 1, F = 1f }, new OnnxAttribute { Name = "alpha", Type = 2, I = 2 });
        var e = Assert.Throws<InvalidDataException>(() => gemm.GetInt("transB", 0));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'transB' has type FLOAT, expected INT.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => gemm.GetFloat("alpha", 1f));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'alpha' has type INT, expected FLOAT.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => gemm.GetInts("alpha"));
        Assert.Equal("node '/0/Gemm' (Gemm): attribute 'alpha' has type INT, expected INTS.", e.Message);

        OnnxNode unnamed = Node("Softmax", "", new OnnxAttribute { Name = "axis", Type = 3, S = "1"u8.ToArray() });
        e = Assert.Throws<InvalidDataException>(() => unnamed.GetInt("axis", -1));
        Assert.Equal("Softmax node producing 'y': attribute 'axis' has type STRING, expected INT.", e.Message);
    }

    [Fact]
    public void Attributes_read_with_defaults_and_checks()
    {
        OnnxNode node = OnnxModelReader.Read(OnnxTestModels.Wrap(Graph(NodeProto.Create(
            "Gemm", "g", ["x"], ["y"],
            AttributeProto.FromInt("transA", 1), AttributeProto.FromFloat("beta", 0.5f), AttributeProto.FromInts("perm", 1, 0),
            AttributeProto.FromString("mode", "é"), AttributeProto.FromInt("flag", 2), AttributeProto.FromString("bad", "x"),
            AttributeProto.FromTensor("value", TensorProto.Create("", [1], [3f])),
            new AttributeProto { Name = "legacy", I = 4 }))).Encode()).Graph!.Nodes[0];
        node.Attributes.Single(a => a.Name == "bad").S = [0xC3, 0x28];
        Assert.True(node.GetBool("transA", false));
        Assert.False(node.GetBool("transB", false));
        Assert.Equal(0.5f, node.GetFloat("beta", 1f));
        Assert.Equal(1f, node.GetFloat("alpha", 1f));
        Assert.Equal([1L, 0L], node.GetInts("perm"));
        Assert.Null(node.GetInts("axes"));
        Assert.Equal("é", node.GetString("mode", ""));
        Assert.Equal([3.0], node.GetTensor("value")!.Values!);
        Assert.Equal(4, node.GetInt("legacy", 0)); // no type (IR version 1): inferred from the value field
        var e = Assert.Throws<InvalidDataException>(() => node.GetBool("flag", false));
        Assert.Equal("node 'g' (Gemm): attribute 'flag' is 2, but must be 0 or 1.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => node.GetString("bad", ""));
        Assert.Equal("node 'g' (Gemm): attribute 'bad' is not valid UTF-8.", e.Message);

        var ns = Assert.Throws<NotSupportedException>(() => node.EnsureOnlyAttributes("transA", "beta"));
        Assert.Equal("node 'g' (Gemm): attribute 'perm' is not supported; supported attributes of Gemm are transA, beta.", ns.Message);
    }

    [Fact]
    public void Duplicate_and_referring_attributes_are_rejected()
    {
        OnnxNode twice = Node("LeakyRelu", "lr", new OnnxAttribute { Name = "alpha", Type = 1, F = 0.1f }, new OnnxAttribute { Name = "alpha", Type = 1, F = 0.2f });
        var e = Assert.Throws<InvalidDataException>(() => twice.GetFloat("alpha", 0.01f));
        Assert.Equal("node 'lr' (LeakyRelu): attribute 'alpha' is given twice.", e.Message);

        OnnxNode referring = Node("LeakyRelu", "lr", new OnnxAttribute { Name = "alpha", Type = 1, RefAttrName = "slope" });
        var ns = Assert.Throws<NotSupportedException>(() => referring.GetFloat("alpha", 0.01f));
        Assert.Contains("refers to the function attribute 'slope'", ns.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_opset_is_the_one_of_domain_empty_or_ai_onnx()
    {
        ModelProto model = OnnxTestModels.SingleGemm();
        model.OpsetImports.Add(("com.microsoft", 1));
        Assert.Equal(13, OnnxModelReader.Read(model.Encode()).Opset);
        model.OpsetImports[0] = ("ai.onnx", 17);
        Assert.Equal(17, OnnxModelReader.Read(model.Encode()).Opset);
        model.OpsetImports[0] = (null, 15);
        Assert.Equal(15, OnnxModelReader.Read(model.Encode()).Opset);

        model.OpsetImports.Add(("", 17));
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(model.Encode()));
        Assert.Equal("The ONNX model imports the default operator set (domain \"\" or \"ai.onnx\") twice.", e.Message);

        model.OpsetImports.Clear();
        e = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(model.Encode()));
        Assert.Contains("imports no operator set for the default domain", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(new ModelProto { OpsetImports = { ("", 13) } }.Encode()));
        Assert.Equal("The ONNX model has no graph.", e.Message);
    }

    [Fact]
    public void Graph_index_finds_initializers_producers_and_consumers()
    {
        ModelProto model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Nodes.Add(NodeProto.Create("Mul", "scale", ["Y", "k"], ["scaled"]));
        model.Graph.Nodes.Add(NodeProto.Create("Add", "twice", ["Y", "Y"], ["YY"]));
        OnnxGraph graph = OnnxModelReader.Read(model.Encode()).Graph!;

        Assert.Equal([4L, 3L], graph.GetInitializer("W")!.Dims);
        Assert.Null(graph.GetInitializer("X"));
        Assert.True(graph.IsRuntimeInput("X"));
        Assert.False(graph.IsRuntimeInput("W"));
        Assert.Equal(["scale", "twice"], graph.GetConsumers("Y").Select(n => n.Name));
        Assert.Equal("relu", graph.GetProducer("Y")!.Name);
        Assert.Null(graph.GetProducer("X"));
        Assert.Empty(graph.GetConsumers("nothing"));
    }

    [Fact]
    public void Graph_index_rejects_duplicate_and_missing_names()
    {
        ModelProto model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Initializers.Add(TensorProto.Create("W", [1], [1f]));
        Invalid(model, "graph 'matmul_add_relu' has two initializers named 'W'.");

        model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Nodes.Add(NodeProto.Create("Relu", "again", ["Z"], ["Y"]));
        Invalid(model, "In graph 'matmul_add_relu', the value 'Y' is produced twice: by node 'relu' (Relu) and by node 'again' (Relu).");

        model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Nodes.Add(NodeProto.Create("Relu", "overwrite", ["Z"], ["W"]));
        Invalid(model, "In graph 'matmul_add_relu', node 'overwrite' (Relu) produces 'W', which is also a graph input or initializer.");

        model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Inputs.Add(ValueInfoProto.CreateTensor("X", ProtoDataType.Float));
        Invalid(model, "graph 'matmul_add_relu' has two inputs named 'X'.");

        model = OnnxTestModels.MatMulAddRelu();
        model.Graph!.Initializers.Add(TensorProto.Create("", [1], [1f]));
        Invalid(model, "graph 'matmul_add_relu' has an initializer without a name.");
    }

    [Fact]
    public void Tensors_of_types_a_chain_does_not_use_keep_their_dims_but_no_values()
    {
        var graph = new GraphProto();
        graph.Initializers.Add(new TensorProto { Name = "q", DataType = ProtoDataType.UInt8, Dims = [2], RawData = [1, 2] });
        graph.Initializers.Add(new TensorProto { Name = "u", DataType = (ProtoDataType)77, Dims = [] });
        graph.Initializers.Add(new TensorProto { Name = "b", DataType = ProtoDataType.Bool, Dims = [3], RawData = [1, 0, 7] });
        OnnxGraph read = OnnxModelReader.Read(OnnxTestModels.Wrap(graph).Encode()).Graph!;
        Assert.Equal([2L], read.GetInitializer("q")!.Dims);
        Assert.Equal(2, read.GetInitializer("q")!.DataType);
        Assert.Null(read.GetInitializer("q")!.Values);
        Assert.Null(read.GetInitializer("q")!.Integers);
        Assert.Equal("data type 77", OnnxTensor.DescribeType(read.GetInitializer("u")!.DataType));
        Assert.Equal([1L, 0, 1], read.GetInitializer("b")!.Integers!);
    }

    [Fact]
    public void Writing_a_string_with_a_lone_surrogate_is_an_argument_error()
    {
        var graph = new GraphProto { Name = "bad\uD800name" };
        var e = Assert.Throws<ArgumentException>(() => OnnxTestModels.Wrap(graph).Encode());
        Assert.Contains("not valid UTF-16 (a lone surrogate at index 3)", e.Message, StringComparison.Ordinal);
    }

    private static OnnxNode Node(string opType, string name, params OnnxAttribute[] attributes) =>
        new() { OpType = opType, Name = name, Inputs = ["x"], Outputs = ["y"], Attributes = [.. attributes] };

    private static GraphProto Graph(NodeProto node)
    {
        var graph = new GraphProto();
        graph.Nodes.Add(node);
        return graph;
    }

    private static void Invalid(ModelProto model, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxModelReader.Read(model.Encode()));
        Assert.Equal(message, e.Message);
    }
}
