using Backprop.Simd.Layers;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Hand-built graphs for every form the importer accepts: the imported network computes what
/// <see cref="ReferenceEvaluator"/> computes from the graph (exactly, up to rounding, when imported as double).
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxImportFormTests
{
    /// <summary>transB, alpha, beta (NaN: attribute absent) and the bias: [n], [1, n], scalar [], [1], absent or an empty name.</summary>
    public static TheoryData<bool, float, float, string> GemmVariants => new()
    {
        { false, float.NaN, float.NaN, "vector" },
        { true, float.NaN, float.NaN, "vector" },
        { true, 0.5f, 2f, "row" },
        { false, -1.25f, 0.75f, "vector" },
        { true, 1f, 1f, "scalar" },
        { false, 2f, float.NaN, "one" },
        { true, 0.5f, 3f, "none" },
        { false, float.NaN, 2f, "empty" },
    };

    [Theory]
    [MemberData(nameof(GemmVariants))]
    public void Gemm_with_transB_alpha_beta_and_any_broadcast_bias(bool transB, float alpha, float beta, string bias)
    {
        var g = new OnnxGraphBuilder(features: 4);
        string w = g.Constant("w", transB ? [3, 4] : [4, 3]);
        List<string> inputs = ["x", w];
        switch (bias)
        {
            case "vector":
                inputs.Add(g.Constant("b", [3]));
                break;
            case "row":
                inputs.Add(g.Constant("b", [1, 3]));
                break;
            case "scalar":
                inputs.Add(g.Constant("b", []));
                break;
            case "one":
                inputs.Add(g.Constant("b", [1]));
                break;
            case "empty":
                inputs.Add("");
                break;
        }

        var attributes = new List<AttributeProto>();
        if (transB)
        {
            attributes.Add(AttributeProto.FromInt("transB", 1));
        }

        if (!float.IsNaN(alpha))
        {
            attributes.Add(AttributeProto.FromFloat("alpha", alpha));
        }

        if (!float.IsNaN(beta))
        {
            attributes.Add(AttributeProto.FromFloat("beta", beta));
        }

        ModelProto model = g.Model(g.Node("Gemm", [.. inputs], [.. attributes]), 3);
        AssertMatchesReference(model, ["Dense(4 → 3)"]);
    }

    [Fact]
    public void Matmul_then_add_is_a_dense_layer_whichever_operand_the_bias_is()
    {
        var g = new OnnxGraphBuilder(features: 5);
        string h = g.Node("Add", [g.Node("MatMul", ["x", g.Constant("w1", [5, 4])]), g.Constant("b1", [4])]);
        h = g.Node("Tanh", [h]);
        // A bias of [1 x n], added as the first operand.
        string y = g.Node("Add", [g.Constant("b2", [1, 2]), g.Node("MatMul", [h, g.Constant("w2", [4, 2])])]);
        ModelProto model = g.Model(y, 2);

        // The evaluator adds its first operand to its second, so it gets the bias second.
        NodeProto add = model.Graph!.Nodes[^1];
        OnnxImportResult<double> swapped = OnnxImporter.Import<double>(model.Encode());
        (add.Inputs[0], add.Inputs[1]) = (add.Inputs[1], add.Inputs[0]);
        AssertMatchesReference(model, ["Dense(5 → 4)", "Tanh(4)", "Dense(4 → 2)"]);
        Assert.Equal(OnnxImporter.Import<double>(model.Encode()).Network.Parameters.ToArray(), swapped.Network.Parameters.ToArray());
    }

    [Fact]
    public void Matmul_alone_has_a_zero_bias_and_gemm_then_add_adds_both_biases()
    {
        var g = new OnnxGraphBuilder(features: 3);
        string h = g.Node("Relu", [g.Node("MatMul", ["x", g.Constant("w1", [3, 4])])]);
        string y = g.Node("Add", [g.Node("Gemm", [h, g.Constant("w2", [4, 2]), g.Constant("b2", [2])]), g.Constant("extra", [2])]);
        ModelProto model = g.Model(y, 2);
        OnnxImportResult<double> imported = AssertMatchesReference(model, ["Dense(3 → 4)", "ReLU(4)", "Dense(4 → 2)"]);
        Assert.All(((Dense<double>)imported.Network.Layers[0]).Bias.Value.AsSpan().ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void Flatten_and_identity_pass_the_data_through()
    {
        var g = new OnnxGraphBuilder(features: 4);
        string h = g.Node("Flatten", [g.Node("Identity", ["x"])], AttributeProto.FromInt("axis", 1));
        h = g.Node("Sigmoid", [g.Node("Gemm", [h, g.Constant("w", [4, 3]), g.Constant("b", [3])])]);
        h = g.Node("Flatten", [h], AttributeProto.FromInt("axis", -1));
        ModelProto model = g.Model(g.Node("Identity", [g.Node("Flatten", [h])]), 3);
        AssertMatchesReference(model, ["Dense(4 → 3)", "Sigmoid(3)"]);
    }

    [Fact]
    public void Flatten_of_a_higher_rank_input_gives_its_features_in_row_major_order()
    {
        var g = new OnnxGraphBuilder(features: 1);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 2L, 3L);
        string h = g.Node("Div", [g.Node("Sub", ["x", g.Constant("mean", [3])]), g.Constant("std", [2, 3], values: [1, 2, 4, 0.5, 0.25, 8])]);
        ModelProto model = g.Model(g.Node("Gemm", [g.Node("Flatten", [h]), g.Constant("w", [6, 2]), g.Constant("b", [2])]), 2);
        OnnxImportResult<double> imported = OnnxImporter.Import<double>(model.Encode());
        Assert.Equal(6, imported.Network.InputSize);
        double[] mean = g.Values["mean"];
        Assert.Equal([.. mean, .. mean], imported.Normalization!.Mean.ToArray());
        Assert.Equal([1, 2, 4, 0.5, 0.25, 8], imported.Normalization.StandardDeviation.ToArray());
    }

    [Fact]
    public void Typed_fields_and_raw_data_give_the_same_network()
    {
        ModelProto Build(bool raw)
        {
            var g = new OnnxGraphBuilder(features: 3, ProtoDataType.Double);
            return g.Model(g.Node("Gemm", ["x", g.Constant("w", [3, 2], raw), g.Constant("b", [2], raw)]), 2);
        }

        ModelProto typed = Build(raw: false);
        ModelProto raw = Build(raw: true);
        Assert.All(typed.Graph!.Initializers, t => Assert.Null(t.RawData));
        Assert.All(raw.Graph!.Initializers, t => Assert.Empty(t.DoubleData));
        Assert.Equal(
            OnnxImporter.Import<double>(raw.Encode()).Network.Parameters.ToArray(),
            AssertMatchesReference(typed, ["Dense(3 → 2)"]).Network.Parameters.ToArray());
    }

    [Fact]
    public void Weights_may_come_from_constant_nodes()
    {
        var g = new OnnxGraphBuilder(features: 3);
        g.Constant("w", [3, 2]);
        TensorProto weights = g.Graph.Initializers[0];
        g.Graph.Initializers.Clear();
        g.Graph.Nodes.Add(NodeProto.Create("Constant", "weights", [], ["w"], AttributeProto.FromTensor("value", weights)));
        ModelProto model = g.Model(g.Node("MatMul", ["x", "w"]), 2);
        Network<double> network = OnnxImporter.Import<double>(model.Encode()).Network;
        Assert.Equal(g.Values["w"], network.Parameters[..6].ToArray());
    }

    [Fact]
    public void Sub_then_div_or_mul_at_the_input_is_the_standardisation()
    {
        var g = new OnnxGraphBuilder(features: 3);
        string h = g.Node("Div", [g.Node("Sub", ["x", g.Constant("mean", [3])]), g.Constant("std", [1, 3], values: [0.5, 2, 4])]);
        ModelProto model = g.Model(g.Node("Relu", [g.Node("Gemm", [h, g.Constant("w", [3, 2]), g.Constant("b", [2])])]), 2);
        OnnxImportResult<double> imported = AssertMatchesReference(model, ["Dense(3 → 2)", "ReLU(2)"]);
        Assert.Equal(g.Values["mean"], imported.Normalization!.Mean.ToArray());
        Assert.Equal([0.5, 2, 4], imported.Normalization.StandardDeviation.ToArray());

        // Mul by a scale, 0 for a constant column, with the data as either operand.
        g = new OnnxGraphBuilder(features: 3);
        h = g.Node("Mul", [g.Constant("scale", [3], values: [2, 0, 0.25]), g.Node("Sub", ["x", g.Constant("mean", [3])])]);
        model = g.Model(g.Node("Gemm", [h, g.Constant("w", [3, 2])]), 2);
        imported = OnnxImporter.Import<double>(model.Encode());
        Assert.Equal([0.5, 0, 4], imported.Normalization!.StandardDeviation.ToArray());
        Assert.Equal([2, 0, 0.25], imported.Normalization.Scale.ToArray());
        (model.Graph!.Nodes[1].Inputs[0], model.Graph.Nodes[1].Inputs[1]) = (model.Graph.Nodes[1].Inputs[1], model.Graph.Nodes[1].Inputs[0]);
        AssertMatchesReference(model, ["Dense(3 → 2)"]);
    }

    [Fact]
    public void Sub_alone_and_div_by_a_scalar_alone_standardise_too()
    {
        var g = new OnnxGraphBuilder(features: 3);
        ModelProto model = g.Model(g.Node("MatMul", [g.Node("Sub", ["x", g.Constant("mean", [], values: [1.5])]), g.Constant("w", [3, 2])]), 2);
        OnnxImportResult<double> imported = AssertMatchesReference(model, ["Dense(3 → 2)"]);
        Assert.Equal([1.5, 1.5, 1.5], imported.Normalization!.Mean.ToArray());
        Assert.Equal([1, 1, 1], imported.Normalization.StandardDeviation.ToArray());

        g = new OnnxGraphBuilder(features: 2);
        model = g.Model(g.Node("MatMul", [g.Node("Div", ["x", g.Constant("std", [1], values: [4])]), g.Constant("w", [2, 2])]), 2);
        imported = AssertMatchesReference(model, ["Dense(2 → 2)"]);
        Assert.Equal([0, 0], imported.Normalization!.Mean.ToArray());
        Assert.Equal([4, 4], imported.Normalization.StandardDeviation.ToArray());
    }

    [Theory]
    [InlineData(13, 1L)]
    [InlineData(13, -1L)]
    [InlineData(13, null)]
    [InlineData(11, null)]
    [InlineData(7, 1L)]
    public void Softmax_over_the_last_axis_at_old_and_new_opsets(int opset, long? axis)
    {
        var g = new OnnxGraphBuilder(features: 3);
        string logits = g.Node("Gemm", ["x", g.Constant("w", [3, 4]), g.Constant("b", [4])]);
        ModelProto model = g.Model(axis is long a ? g.Node("Softmax", [logits], AttributeProto.FromInt("axis", a)) : g.Node("Softmax", [logits]), 4, opset);
        Assert.Equal(opset, AssertMatchesReference(model, ["Dense(3 → 4)", "Softmax(4)"]).OpsetVersion);
    }

    [Fact]
    public void Leaky_relu_reads_its_slope_and_defaults_to_0_01()
    {
        var g = new OnnxGraphBuilder(features: 3);
        string h = g.Node("LeakyRelu", [g.Node("Gemm", ["x", g.Constant("w1", [3, 3])])], AttributeProto.FromFloat("alpha", 0.25f));
        ModelProto model = g.Model(g.Node("LeakyRelu", [g.Node("Gemm", [h, g.Constant("w2", [3, 2])])]), 2);
        Network<double> network = OnnxImporter.Import<double>(model.Encode()).Network;
        Assert.Equal(["Dense(3 → 3)", "LeakyReLU(3, slope 0.25)", "Dense(3 → 2)", "LeakyReLU(2, slope 0.01)"], network.Layers.Select(l => l.Description));
    }

    [Fact]
    public void Initializers_listed_as_inputs_and_an_input_without_shape_are_read()
    {
        // IR version 3 and older list every initializer among the graph inputs; the input's shape is optional.
        var g = new OnnxGraphBuilder(features: 3);
        string h = g.Node("Gemm", ["x", g.Constant("w", [3, 2]), g.Constant("b", [2])]);
        ModelProto model = g.Model(h, 2);
        model.Graph!.Inputs[0] = new ValueInfoProto { Name = "x", ElementType = ProtoDataType.Float };
        model.Graph.Inputs.Add(ValueInfoProto.CreateTensor("w", ProtoDataType.Float, 3L, 2L));
        model.Graph.Inputs.Add(ValueInfoProto.CreateTensor("b", ProtoDataType.Float, 2L));
        model.IrVersion = 3;
        AssertMatchesReference(model, ["Dense(3 → 2)"]);
    }

    /// <summary>
    /// Imports the model as double and as float and compares both networks' predictions on 20 random inputs with the
    /// reference evaluator's: to 1e-12 in double (the same arithmetic up to rounding) and 1e-5 in float.
    /// </summary>
    private static OnnxImportResult<double> AssertMatchesReference(ModelProto model, string[] layers)
    {
        byte[] bytes = model.Encode();
        OnnxImportResult<double> asDouble = OnnxImporter.Import<double>(bytes);
        OnnxImportResult<float> asFloat = OnnxImporter.Import<float>(bytes);
        Assert.Equal(layers, asDouble.Network.Layers.Select(l => l.Description));
        int features = asDouble.Network.InputSize;
        double[,] x = OnnxTestModels.Inputs(20, features, seed: features);
        double[] expected = ReferenceEvaluator.Flatten(ReferenceEvaluator.Run(bytes, x));
        var doubles = new Matrix<double>(x);
        OnnxFixtureTests.AssertClose(expected, ReferenceEvaluator.Flatten(OnnxTestNetworks.Predict(asDouble.Network, asDouble.Normalization, doubles, softmax: false)), 1e-12);
        var floats = new Matrix<float>(20, features, ReferenceEvaluator.Flatten(x).Select(v => (float)v).ToArray());
        OnnxFixtureTests.AssertClose(expected, ReferenceEvaluator.Flatten(OnnxTestNetworks.Predict(asFloat.Network, asFloat.Normalization, floats, softmax: false)), 1e-5);
        return asDouble;
    }
}
