using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Models written by the real ONNX toolchain (Fixtures/make_fixture.py: torch.onnx.export and onnx.helper, checked
/// with onnx.checker): the reader reads their graphs and weights, the weights it reads reproduce the outputs torch and
/// numpy computed, and the writer, re-encoding their fields, reproduces their bytes exactly.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxFixtureTests
{
    public static TheoryData<string> Fixtures => ["mlp_torch", "mlp_helper", "mlp_double"];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reader_reads_graph_and_initializers(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        byte[] bytes = File.ReadAllBytes(path);
        OnnxModelContents model = OnnxModelReader.Read(bytes);
        Assert.Equal(expected.Producer, model.ProducerName);
        Assert.Equal(expected.IrVersion, ProtoTree.Decode(bytes).Int(1));
        Assert.Equal(expected.Opset, model.Opset);
        OnnxGraph graph = model.Graph!;
        Assert.Equal(expected.OpTypes, graph.Nodes.Select(n => n.OpType));
        Assert.Equal(expected.InputName, graph.Inputs[0].Name);
        Assert.Equal(expected.OutputName, graph.Outputs[0].Name);

        Assert.Equal(expected.Initializers.Count, graph.Initializers.Count);
        foreach ((string initializer, (long[] dims, double[] values)) in expected.Initializers)
        {
            OnnxTensor tensor = graph.GetInitializer(initializer)!;
            Assert.Equal(dims, tensor.Dims);
            Assert.Equal(values, tensor.Values);
        }

        // The batch dimension is symbolic, the feature dimension fixed.
        Assert.NotNull(graph.Inputs[0].Shape![0].Param);
        Assert.Equal(4, graph.Inputs[0].Shape![1].Value);
    }

    [Fact]
    public void Torch_export_is_gemm_relu_gemm_with_raw_weights()
    {
        byte[] bytes = File.ReadAllBytes(OnnxTestFiles.Load("mlp_torch").OnnxPath);
        OnnxGraph graph = OnnxModelReader.Read(bytes).Graph!;
        Assert.Equal("batch", graph.Inputs[0].Shape![0].Param);
        Assert.Equal(OnnxTensor.Float, graph.Inputs[0].ElementType);
        OnnxNode gemm = graph.Nodes[0];
        gemm.EnsureOnlyAttributes("alpha", "beta", "transA", "transB");
        Assert.True(gemm.GetBool("transB", false));
        Assert.False(gemm.GetBool("transA", false));
        Assert.Equal(1f, gemm.GetFloat("alpha", 0f));
        Assert.Equal(1f, gemm.GetFloat("beta", 0f));
        Assert.Equal([8L, 4L], graph.GetInitializer(gemm.Inputs[1])!.Dims);
        Assert.Same(graph.Nodes[1], graph.GetConsumers(gemm.Outputs[0]).Single());
        Assert.Same(gemm, graph.GetProducer(graph.Nodes[1].Inputs[0]));
        Assert.All(ProtoTree.Decode(bytes).Child(7)!.Children(5), t => Assert.NotNull(t.Fields.SingleOrDefault(f => f.Number == 9)));
    }

    [Fact]
    public void Helper_fixtures_keep_weights_in_typed_fields()
    {
        ProtoTree single = ProtoTree.Decode(File.ReadAllBytes(OnnxTestFiles.Load("mlp_helper").OnnxPath)).Child(7)!;
        Assert.All(single.Children(5), t => Assert.Equal([4], t.Fields.Where(f => f.Number is 4 or 9 or 10).Select(f => f.Number).Distinct()));
        ProtoTree twice = ProtoTree.Decode(File.ReadAllBytes(OnnxTestFiles.Load("mlp_double").OnnxPath)).Child(7)!;
        Assert.All(twice.Children(5), t => Assert.Equal([10], t.Fields.Where(f => f.Number is 4 or 9 or 10).Select(f => f.Number).Distinct()));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Writer_reencodes_the_toolchain_bytes_exactly(string name)
    {
        byte[] original = File.ReadAllBytes(OnnxTestFiles.Load(name).OnnxPath);
        Assert.Equal(original, ProtoTree.Decode(original).Encode());
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Weights_read_reproduce_the_toolchain_outputs(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        double[,] y = ReferenceEvaluator.Run(File.ReadAllBytes(path), ReferenceEvaluator.Matrix(expected.Inputs));
        double tolerance = name == "mlp_double" ? 1e-12 : 2e-6;
        AssertClose(expected.Outputs.SelectMany(r => r).ToArray(), ReferenceEvaluator.Flatten(y), tolerance);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reencoded_fixtures_run_in_onnx_runtime(string name)
    {
        (string path, OnnxFixture expected) = OnnxTestFiles.Load(name);
        byte[] reencoded = ProtoTree.Decode(File.ReadAllBytes(path)).Encode();
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
