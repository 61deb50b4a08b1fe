using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Models written by the real ONNX toolchain (Fixtures/make_fixture.py: torch.onnx.export and onnx.helper, checked
/// with onnx.checker): the decoder reads their graphs and weights, re-encoding reproduces their bytes exactly, and the
/// weights it decodes reproduce the outputs torch and numpy computed.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxFixtureTests
{
    public static TheoryData<string> Fixtures => ["mlp_torch", "mlp_helper", "mlp_double"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoder_reads_graph_and_initializers(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        OnnxModel model = OnnxModel.Load(path);
        Assert.Equal(expected.Producer, model.ProducerName);
        Assert.Equal(expected.IrVersion, model.IrVersion);
        Assert.Equal(expected.Opset, model.GetDefaultOpsetVersion());
        OnnxGraph graph = model.RequireGraph();
        Assert.Equal(expected.OpTypes, graph.Nodes.Select(n => n.OpType));
        Assert.Equal(expected.InputName, graph.Inputs[0].Name);
        Assert.Equal(expected.OutputName, graph.Outputs[0].Name);

        var index = new OnnxGraphIndex(graph);
        Assert.Equal(expected.Initializers.Count, index.Initializers.Count);
        foreach ((string initializer, (long[] dims, double[] values)) in expected.Initializers)
        {
            Assert.True(index.TryGetInitializer(initializer, out OnnxTensor? tensor), initializer);
            Assert.Equal(dims, tensor.Dims);
            double[] actual = tensor.DataType == OnnxDataType.Double
                ? tensor.ToDoubleArray()
                : tensor.ToSingleArray().Select(v => (double)v).ToArray();
            Assert.Equal(values, actual);
        }

        // The batch dimension is symbolic, the feature dimension fixed.
        OnnxTensorType input = graph.Inputs[0].TensorType!;
        Assert.NotNull(input.Shape!.Dims[0].Param);
        Assert.Equal(4, input.Shape.Dims[1].Value);
    }

    [Fact]
    public void Torch_export_is_gemm_relu_gemm_with_raw_weights()
    {
        OnnxModel model = OnnxModel.Load(OnnxTestFiles.Load("mlp_torch").OnnxPath);
        OnnxGraph graph = model.RequireGraph();
        Assert.Equal("batch", graph.Inputs[0].TensorType!.Shape!.Dims[0].Param);
        Assert.Equal(OnnxDataType.Float, graph.Inputs[0].TensorType!.ElementType);
        OnnxNode gemm = graph.Nodes[0];
        gemm.EnsureOnlyAttributes("alpha", "beta", "transA", "transB");
        Assert.True(gemm.GetBool("transB", false));
        Assert.False(gemm.GetBool("transA", false));
        Assert.Equal(1f, gemm.GetFloat("alpha", 0f));
        Assert.Equal(1f, gemm.GetFloat("beta", 0f));
        var index = new OnnxGraphIndex(graph);
        OnnxTensor weights = index.GetConstantInput(gemm, 1);
        Assert.Equal([8L, 4L], weights.Dims);
        Assert.NotNull(weights.RawData);
        Assert.Same(graph.Nodes[1], index.GetConsumers(gemm.Outputs[0]).Single());
        Assert.Same(gemm, index.GetProducer(graph.Nodes[1].Inputs[0]));
    }

    [Fact]
    public void Helper_fixtures_keep_weights_in_typed_fields()
    {
        OnnxGraph single = OnnxModel.Load(OnnxTestFiles.Load("mlp_helper").OnnxPath).RequireGraph();
        Assert.All(single.Initializers, t => Assert.Null(t.RawData));
        Assert.All(single.Initializers, t => Assert.NotEmpty(t.FloatData));
        OnnxGraph twice = OnnxModel.Load(OnnxTestFiles.Load("mlp_double").OnnxPath).RequireGraph();
        Assert.All(twice.Initializers, t => Assert.NotEmpty(t.DoubleData));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reencoding_reproduces_the_toolchain_bytes(string name)
    {
        byte[] original = File.ReadAllBytes(OnnxTestFiles.Load(name).OnnxPath);
        Assert.Equal(original, OnnxModel.Decode(original).Encode());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Decoded_weights_reproduce_the_toolchain_outputs(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        OnnxModel model = OnnxModel.Load(path);
        double[,] y = ReferenceEvaluator.Run(model, ReferenceEvaluator.Matrix(expected.Inputs));
        double tolerance = name == "mlp_double" ? 1e-12 : 2e-6;
        AssertClose(expected.Outputs.SelectMany(r => r).ToArray(), ReferenceEvaluator.Flatten(y), tolerance);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reencoded_fixtures_run_in_onnx_runtime(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        byte[] reencoded = OnnxModel.Load(path).Encode();
        (double[] y, long[] shape) = OrtRunner.Run(
            reencoded, expected.InputName, expected.OutputName, ReferenceEvaluator.Matrix(expected.Inputs), asDouble: name == "mlp_double");
        Assert.Equal([expected.Outputs.Length, expected.Outputs[0].Length], shape);
        AssertClose(expected.Outputs.SelectMany(r => r).ToArray(), y, name == "mlp_double" ? 1e-12 : 2e-6);
    }

    internal static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = tolerance * Math.Max(1, Math.Abs(expected[i]));
            Assert.True(Math.Abs(expected[i] - actual[i]) <= bound, $"element {i}: expected {expected[i]}, got {actual[i]} (tolerance {bound})");
        }
    }
}
