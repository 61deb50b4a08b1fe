using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Hand-built graphs of the forms the importer recognises beyond one operator per layer (Reshape targets, folded
/// BatchNormalization, leaky ReLU as Max, Dropout at inference, LogSoftmax): each imported network computes what ONNX
/// Runtime computes from the same file, to 1e-12 for DOUBLE graphs and 2e-6 for FLOAT ones.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxImportRuntimeFormTests
{
    [Theory]
    [InlineData(13, new long[] { 0, -1 }, false)]
    [InlineData(14, new long[] { 0, -1 }, true)]
    [InlineData(13, new long[] { -1, 6 }, false)]
    [InlineData(21, new long[] { -1, 6 }, true)]
    public void Reshape_to_batch_by_features(int opset, long[] target, bool explicitAllowZero)
    {
        var g = new OnnxGraphBuilder(features: 1, ProtoDataType.Double);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Double, "N", 2L, 3L);
        string flat = g.Node("Reshape", ["x", g.Integers("shape", target)], explicitAllowZero ? [AttributeProto.FromInt("allowzero", 0)] : []);
        ModelProto model = g.Model(g.Node("Tanh", [g.Node("Gemm", [flat, g.Constant("w", [6, 3]), g.Constant("b", [3])])]), 3, opset);
        AssertMatchesRuntime(model, ["Dense(6 → 3)", "Tanh(3)"], sampleShape: [2, 3]);
    }

    [Fact]
    public void Reshape_by_the_datas_own_shape()
    {
        // x.view(x.size(0), -1) at opset 13, with the Shape of the input and a Gather by an index of -3 (the batch axis).
        var g = new OnnxGraphBuilder(features: 1);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 2L, 2L);
        string index = g.Integers("index", -3);
        g.Graph.Initializers[^1].Dims = []; // a scalar index, as torch writes it
        string batch = g.Node("Gather", [g.Node("Shape", ["x"]), index]);
        string target = g.Node("Concat", [g.Node("Unsqueeze", [batch, g.Integers("axes", 0)]), g.Integers("rest", -1)], AttributeProto.FromInt("axis", 0));
        ModelProto model = g.Model(g.Node("Gemm", [g.Node("Reshape", ["x", target]), g.Constant("w", [4, 2])]), 2);
        AssertMatchesRuntime(model, ["Dense(4 → 2)"], sampleShape: [2, 2]);
    }

    [Theory]
    [InlineData(true, 9)]
    [InlineData(false, 15)]
    public void Batch_normalization_after_matmul_and_add_folds_into_them(bool isFloat, int opset)
    {
        // As torch writes equal initializers once: the mean and variance of a fresh layer name the bias and scale through Identity.
        var g = new OnnxGraphBuilder(features: 3, isFloat ? ProtoDataType.Float : ProtoDataType.Double);
        string dense = g.Node("Add", [g.Node("MatMul", ["x", g.Constant("w", [3, 4])]), g.Constant("b", [4])]);
        string scale = g.Constant("scale", [4], values: [0.5, 2, -1.5, 1]);
        string variance = g.Node("Identity", [g.Constant("var", [4], values: [0.25, 1, 4, 0.5])]);
        string normalized = g.Node("BatchNormalization", [dense, scale, g.Constant("shift", [4]), g.Node("Identity", [scale]), variance], AttributeProto.FromFloat("epsilon", 1e-3f));
        AssertMatchesRuntime(g.Model(g.Node("Relu", [normalized]), 4, opset), ["Dense(3 → 4)", "ReLU(4)"]);
    }

    [Theory]
    [InlineData(true, 0.2, "LeakyReLU(4, slope 0.2)")]
    [InlineData(false, 1.0 / 3, "LeakyReLU(4, slope 0.3333333333333333)")]
    [InlineData(false, 0, "LeakyReLU(4, slope 0)")]
    public void Leaky_relu_written_as_max_of_x_and_slope_x(bool isFloat, double slope, string layer)
    {
        var g = new OnnxGraphBuilder(features: 3, isFloat ? ProtoDataType.Float : ProtoDataType.Double);
        string x = g.Node("Gemm", ["x", g.Constant("w", [3, 4]), g.Constant("b", [4])]);
        string scaled = g.Node("Mul", [g.Constant("slope", [], values: [slope]), x]);
        AssertMatchesRuntime(g.Model(g.Node("Max", [scaled, x]), 4), ["Dense(3 → 4)", layer]);
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(13, false)]
    [InlineData(13, true)]
    public void Dropout_at_inference_is_the_identity(int opset, bool trainingModeInput)
    {
        var g = new OnnxGraphBuilder(features: 3);
        string x = g.Node("Gemm", ["x", g.Constant("w", [3, 4]), g.Constant("b", [4])]);
        if (trainingModeInput)
        {
            g.Graph.Initializers.Add(new TensorProto { Name = "ratio", Dims = [], DataType = ProtoDataType.Float, FloatData = [0.5f] });
            g.Graph.Initializers.Add(new TensorProto { Name = "training", Dims = [], DataType = ProtoDataType.Bool, RawData = [0] });
        }

        string dropped = g.Node("Dropout", trainingModeInput ? [x, "ratio", "training"] : [x]);
        g.Graph.Nodes[^1].Outputs.Add("mask");
        AssertMatchesRuntime(g.Model(g.Node("Sigmoid", [dropped]), 4, opset), ["Dense(3 → 4)", "Sigmoid(4)"]);
    }

    [Theory]
    [InlineData(11, null)]
    [InlineData(13, null)]
    [InlineData(13, 1L)]
    public void Log_softmax_at_the_end_is_applied_to_the_networks_logits(int opset, long? axis)
    {
        var g = new OnnxGraphBuilder(features: 3, ProtoDataType.Double);
        string logits = g.Node("Gemm", ["x", g.Constant("w", [3, 5]), g.Constant("b", [5])]);
        ModelProto model = g.Model(g.Node("LogSoftmax", [logits], axis is long a ? [AttributeProto.FromInt("axis", a)] : []), 5, opset);
        Assert.True(AssertMatchesRuntime(model, ["Dense(3 → 5)"]).LogSoftmaxOutput);
    }

    /// <summary>
    /// Imports the model as double and float and compares what each computes (the network, then the log-softmax where
    /// the model ends in one) on 20 random inputs with ONNX Runtime's outputs on the same file.
    /// </summary>
    private static OnnxImportResult<double> AssertMatchesRuntime(ModelProto model, string[] layers, long[]? sampleShape = null)
    {
        byte[] bytes = model.Encode();
        OnnxImportResult<double> asDouble = OnnxImporter.Import<double>(bytes);
        Assert.Equal(layers, asDouble.Network.Layers.Select(l => l.Description));
        bool isDouble = OnnxModelReader.Read(bytes).Graph!.Inputs[0].ElementType == OnnxTensor.Double;
        double[,] x = OnnxTestModels.Inputs(20, asDouble.Network.InputSize, seed: layers.Length);
        double[][] rows = [.. Enumerable.Range(0, 20).Select(i => Enumerable.Range(0, x.GetLength(1)).Select(j => isDouble ? x[i, j] : (float)x[i, j]).ToArray())];
        (double[] expected, _) = OrtRunner.Run(bytes, "x", "y", ReferenceEvaluator.Matrix(rows), isDouble, sampleShape);
        OnnxFixtureTests.AssertClose(expected, OnnxTorchExportTests.Outputs(asDouble, rows), isDouble ? 1e-12 : 2e-6);
        OnnxFixtureTests.AssertClose(expected, OnnxTorchExportTests.Outputs(OnnxImporter.Import<float>(bytes), rows), 1e-5);
        return asDouble;
    }
}
