using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>The exported graph's structure, the options' validation, and the atomic file write.</summary>
[Trait("Category", "Onnx")]
public sealed class OnnxExportTests
{
    [Fact]
    public void Graph_is_a_chain_with_weights_as_the_layers_hold_them()
    {
        Network<float> network = OnnxTestNetworks.Build<float>("relu", seed: 1);
        Standardizer<float> normalization = OnnxTestNetworks.Normalization<float>(6, seed: 2);
        byte[] bytes = Export(network, new OnnxExportOptions<float> { Normalization = normalization, AppendSoftmax = true, DocString = "digits" });
        ProtoTree model = ProtoTree.Decode(bytes);
        OnnxModelContents read = OnnxModelReader.Read(bytes);

        Assert.Equal(8, model.Int(1));
        Assert.Equal(17, read.Opset);
        Assert.Equal("Backprop.Simd", read.ProducerName);
        Assert.Equal("digits", model.String(6));
        OnnxGraph graph = read.Graph!;
        Assert.Equal(["Sub", "Mul", "Gemm", "Relu", "Gemm", "Softmax"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal("input", graph.Nodes[0].Inputs[0]);
        Assert.Equal("output", graph.Nodes[^1].Outputs[0]);
        for (int i = 1; i < graph.Nodes.Count; i++)
        {
            Assert.Equal(graph.Nodes[i - 1].Outputs[0], graph.Nodes[i].Inputs[0]);
        }

        // Gemm as written: no attributes, so transB = 0 and W is [in x out].
        Assert.Empty(graph.Nodes[2].Attributes);
        Assert.Equal(1, graph.Nodes[^1].GetInt("axis", -1));
        OnnxTensor w = graph.GetInitializer(graph.Nodes[4].Inputs[1])!;
        Assert.Equal([8L, 3L], w.Dims);
        Assert.Equal(((Dense<float>)network.Layers[2]).Weights.Value.AsSpan().ToArray().Select(v => (double)v), w.Values!);
        Assert.Equal(normalization.Mean.ToArray().Select(v => (double)v), graph.GetInitializer(graph.Nodes[0].Inputs[1])!.Values!);
        Assert.Equal(0, graph.GetInitializer(graph.Nodes[1].Inputs[1])!.Values![1]); // the constant column

        foreach ((OnnxValue value, long width) in new[] { (graph.Inputs.Single(), 6L), (graph.Outputs.Single(), 3L) })
        {
            Assert.Equal(OnnxTensor.Float, value.ElementType);
            Assert.Equal("batch", value.Shape![0].Param);
            Assert.Equal(width, value.Shape[1].Value);
        }
    }

    [Theory]
    [InlineData(13, 7L)]
    [InlineData(15, 8L)]
    [InlineData(19, 9L)]
    [InlineData(21, 10L)]
    [InlineData(23, 11L)]
    public void Ir_version_follows_the_opset(int opset, long irVersion)
    {
        byte[] bytes = Export(OnnxTestNetworks.Build<double>("sigmoid", 1), new OnnxExportOptions<double> { OpsetVersion = opset, ProducerName = "me" });
        OnnxModelContents read = OnnxModelReader.Read(bytes);
        Assert.Equal(irVersion, ProtoTree.Decode(bytes).Int(1));
        Assert.Equal(opset, read.Opset);
        Assert.Equal("me", read.ProducerName);
        Assert.Equal(OnnxTensor.Double, read.Graph!.Inputs[0].ElementType);
    }

    [Fact]
    public void Leaky_relu_is_the_operator_in_float_and_max_of_x_and_slope_x_with_a_double_slope_in_double()
    {
        OnnxGraph graph = OnnxModelReader.Read(Export(Network<float>.Create(2).Dense(2).LeakyRelu(0.25).Build(), null)).Graph!;
        Assert.Equal(["Gemm", "LeakyRelu"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal(0.25f, graph.Nodes[1].GetFloat("alpha", 0));

        graph = OnnxModelReader.Read(Export(Network<double>.Create(2).Dense(2).LeakyRelu().Build(), null)).Graph!;
        Assert.Equal(["Gemm", "Mul", "Max"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal([graph.Nodes[0].Outputs[0], "layer1.slope"], graph.Nodes[1].Inputs);
        Assert.Equal([graph.Nodes[0].Outputs[0], graph.Nodes[1].Outputs[0]], graph.Nodes[2].Inputs);
        OnnxTensor slope = graph.GetInitializer("layer1.slope")!;
        Assert.Equal((OnnxTensor.Double, 0), (slope.DataType, slope.Dims.Length));
        Assert.Equal(0.01, slope.Values!.Single());
    }

    [Fact]
    public void A_network_of_dropout_alone_is_one_identity()
    {
        Network<float> network = new([new Dropout<float>(3, 0.5)]);
        byte[] model = Export(network, null);
        Assert.Equal("Identity", OnnxModelReader.Read(model).Graph!.Nodes.Single().OpType);
        (double[] y, _) = OrtRunner.Run(model, "input", "output", new double[,] { { 1, -2, 3 } }, asDouble: false);
        Assert.Equal([1, -2, 3], y);
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_the_problem()
    {
        Network<float> network = OnnxTestNetworks.Build<float>("softmax", seed: 1);
        Rejected(network, new() { OpsetVersion = 12 }, "OpsetVersion must be from 13 to 23.");
        Rejected(network, new() { OpsetVersion = 24 }, "OpsetVersion must be from 13 to 23.");
        Rejected(network, new() { InputName = "" }, "InputName and OutputName must not be empty.");
        Rejected(network, new() { InputName = "same", OutputName = "same" }, "InputName and OutputName are both 'same'");
        Rejected(network, new() { OutputName = "layer0.weight" }, "The name 'layer0.weight' is also used inside the exported graph");
        Rejected(network, new() { InputName = "layer0_gemm_output" }, "The name 'layer0_gemm_output' is also used inside the exported graph");
        Rejected(network, new() { Normalization = OnnxTestNetworks.Normalization<float>(5, 1) }, "The normalization has 5 columns but the network takes 6 inputs.");
        Rejected(network, new() { AppendSoftmax = true }, "AppendSoftmax is set but the network already ends in a softmax layer.");

        // A lone surrogate is named by option and index, without echoing a possibly huge string.
        Rejected(network, new() { DocString = new string('z', 5000) + "\uD800" }, "DocString has a lone UTF-16 surrogate at index 5000, which UTF-8 (and so ONNX) cannot encode.");
        Rejected(network, new() { InputName = "in\uDC00put" }, "InputName has a lone UTF-16 surrogate at index 2");
        Rejected(network, new() { ProducerName = "\uD83D\uDE00\uD83D" }, "ProducerName has a lone UTF-16 surrogate at index 2");
    }

    [Fact]
    public void A_layer_without_onnx_form_is_named()
    {
        Network<float> network = new([new Dense<float>(new Matrix<float>(2, 2), [0, 0]), new Square(2)]);
        var e = Assert.Throws<NotSupportedException>(() => Export(network, null));
        Assert.Equal($"layer1 (Square(2), a Square) has no ONNX form; supported are the built-in layers {string.Join(", ", LayerKind.All)}.", e.Message);
        Assert.Contains("Dense, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax, Dropout", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_to_a_file_replaces_it_whole_and_leaves_nothing_behind_on_failure()
    {
        string folder = Directory.CreateTempSubdirectory("backprop-onnx-").FullName;
        try
        {
            string path = Path.Combine(folder, "model.onnx");
            File.WriteAllText(path, "old");
            Network<float> network = OnnxTestNetworks.Build<float>("tanh_dropout", seed: 4);
            OnnxExporter.Export(path, network);
            using var stream = new MemoryStream();
            OnnxExporter.Export(stream, network);
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
            Assert.Equal(["model.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName));

            // A network that cannot be exported leaves the previous file as it was and no temporary file.
            Network<float> square = new([new Square(3)]);
            Assert.Throws<NotSupportedException>(() => OnnxExporter.Export(path, square));
            Assert.Equal(stream.ToArray(), File.ReadAllBytes(path));
            Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.Export(path, network, new OnnxExportOptions<float> { OpsetVersion = 3 }));
            Assert.Equal(["model.onnx"], Directory.GetFiles(folder).Select(Path.GetFileName));

            Assert.Throws<DirectoryNotFoundException>(() => OnnxExporter.Export(Path.Combine(folder, "missing", "model.onnx"), network));
            Assert.Equal(["model.onnx"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Export<T>(Network<T> network, OnnxExportOptions<T>? options)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var stream = new MemoryStream();
        OnnxExporter.Export(stream, network, options);
        return stream.ToArray();
    }

    private static void Rejected(Network<float> network, OnnxExportOptions<float> options, string message)
    {
        using var stream = new MemoryStream();
        var e = Assert.ThrowsAny<ArgumentException>(() => OnnxExporter.Export(stream, network, options));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Equal("options", e.ParamName);
        Assert.Equal(0, stream.Length);
    }

    /// <summary>An activation ONNX export does not know.</summary>
    private sealed class Square(int size) : ActivationLayer<float>(size)
    {
        public override string Description => $"Square({InputSize})";

        protected override void Activate(ReadOnlySpan<float> x, Span<float> y) => System.Numerics.Tensors.TensorPrimitives.Multiply(x, x, y);

        // Never trained here: only its forward pass and its type matter.
        protected override void Backpropagate(ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx) => throw new NotSupportedException();

        protected internal override Layer<float> CreateReplica() => new Square(InputSize);
    }
}
