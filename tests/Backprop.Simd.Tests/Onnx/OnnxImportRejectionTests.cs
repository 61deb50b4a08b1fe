using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// What the importer cannot represent gives <see cref="NotSupportedException"/>, and what breaks ONNX's rules gives
/// <see cref="InvalidDataException"/>, each naming the node and what is wrong.
/// </summary>
[Trait("Category", "Onnx")]
public sealed class OnnxImportRejectionTests
{
    [Fact]
    public void Unknown_operator_names_the_operator_and_the_node()
    {
        var g = new OnnxGraphBuilder(features: 3);
        ModelProto model = g.Model(g.Node("Conv", ["x", g.Constant("w", [3, 2])]), 2);
        NotSupported(model, $"node 'conv0' (Conv): operator 'Conv' is not supported (only fully connected networks (multilayer perceptrons) are supported); supported are {string.Join(", ", OnnxImporter.SupportedOperators)}.");

        g = new OnnxGraphBuilder(features: 3);
        model = g.Model(g.Node("Selu", ["x"]), 3);
        NotSupported(model, $"node 'selu0' (Selu): operator 'Selu' is not supported; supported are {string.Join(", ", OnnxImporter.SupportedOperators)}.");
        Assert.Equal(
            ["Gemm", "MatMul", "Add", "BatchNormalization", "Sigmoid", "Tanh", "Relu", "LeakyRelu", "Softmax", "Gelu", "Max", "Erf", "LogSoftmax", "Flatten", "Reshape", "Shape", "Gather", "Unsqueeze", "Concat", "Identity", "Dropout", "Sub", "Div", "Mul", "Constant"],
            OnnxImporter.SupportedOperators);
    }

    [Fact]
    public void Gemm_transposing_the_data_or_taking_it_as_input_b_is_not_supported()
    {
        var g = new OnnxGraphBuilder(features: 3);
        ModelProto model = g.Model(g.Node("Gemm", ["x", g.Constant("w", [3, 2])], AttributeProto.FromInt("transA", 1)), 2);
        NotSupported(model, "node 'gemm0' (Gemm): transA = 1 would transpose the data");

        // Gemm(W, x; transA, transB): the weight in input A's place.
        g = new OnnxGraphBuilder(features: 3);
        model = g.Model(g.Node("Gemm", [g.Constant("w", [3, 2]), "x"], AttributeProto.FromInt("transA", 1), AttributeProto.FromInt("transB", 1)), 2);
        NotSupported(model, "node 'gemm0' (Gemm): the data 'x' is not input A");
    }

    [Fact]
    public void Unsupported_attributes_and_axes_are_named()
    {
        var g = new OnnxGraphBuilder(features: 3);
        ModelProto model = g.Model(g.Node("Softmax", [g.Node("Gemm", ["x", g.Constant("w", [3, 2])])], AttributeProto.FromInt("axis", 0)), 2);
        NotSupported(model, "node 'softmax1' (Softmax): axis 0 is not supported");

        g = new OnnxGraphBuilder(features: 3);
        model = g.Model(g.Node("Relu", [g.Node("Flatten", ["x"], AttributeProto.FromInt("axis", 0))]), 3);
        NotSupported(model, "node 'flatten0' (Flatten): axis 0 is not supported");

        g = new OnnxGraphBuilder(features: 3);
        model = g.Model(g.Node("LeakyRelu", ["x"], AttributeProto.FromFloat("alpha", 0.1f), AttributeProto.FromFloat("beta", 2f)), 3);
        NotSupported(model, "node 'leakyrelu0' (LeakyRelu): attribute 'beta' is not supported");

        g = new OnnxGraphBuilder(features: 3);
        model = g.Model(g.Node("LeakyRelu", ["x"], AttributeProto.FromFloat("alpha", 1.5f)), 3);
        NotSupported(model, "node 'leakyrelu0' (LeakyRelu): the LeakyReLU slope 1.5 is not supported; it must be in [0, 1).");
    }

    [Fact]
    public void Unsupported_data_types_are_named()
    {
        var g = new OnnxGraphBuilder(features: 2);
        g.Graph.Initializers.Add(new TensorProto { Name = "w", DataType = ProtoDataType.Int8, Dims = [2, 2], Int32Data = [1, 2, 3, 4] });
        ModelProto model = g.Model(g.Node("MatMul", ["x", "w"]), 2);
        NotSupported(model, "node 'matmul0' (MatMul): tensor 'w' has data type INT8 (3), which is not supported");

        g = new OnnxGraphBuilder(features: 2, ProtoDataType.Int8);
        model = g.Model(g.Node("Relu", ["x"]), 2);
        NotSupported(model, "The input 'x' has data type INT8 (3), which is not supported");
    }

    [Fact]
    public void Graphs_that_are_not_a_simple_chain_are_refused_with_the_reason()
    {
        var g = new OnnxGraphBuilder(features: 3);
        string a = g.Node("Relu", ["x"]);
        g.Node("Sigmoid", ["x"]);
        NotSupported(g.Model(a, 3), "The value 'x' feeds 2 nodes (node 'relu0' (Relu), node 'sigmoid1' (Sigmoid)); branches are not supported");

        g = new OnnxGraphBuilder(features: 3);
        string w = g.Node("Relu", [g.Constant("w0", [3, 3])]);
        NotSupported(g.Model(g.Node("MatMul", ["x", w]), 3), "node 'matmul1' (MatMul) reads 'relu0_out' (input 1), which is computed at run time");

        g = new OnnxGraphBuilder(features: 3);
        g.Node("Relu", [g.Constant("unused", [3])]);
        NotSupported(g.Model(g.Node("Tanh", ["x"]), 3), "node 'relu0' (Relu) is not on the chain from the input 'x' to the output 'y'");

        g = new OnnxGraphBuilder(features: 3);
        g.Graph.Inputs.Add(ValueInfoProto.CreateTensor("z", ProtoDataType.Float, 3L));
        NotSupported(g.Model(g.Node("Tanh", ["x"]), 3), "has 2 inputs fed at run time ('x', 'z'); exactly one is supported");

        g = new OnnxGraphBuilder(features: 3);
        ModelProto model = g.Model(g.Node("Tanh", ["x"]), 3);
        model.Graph!.Outputs.Add(ValueInfoProto.CreateTensor("x", ProtoDataType.Float));
        NotSupported(model, "has 2 outputs ('y', 'x'); exactly one is supported");
    }

    [Fact]
    public void Operators_out_of_their_place_are_refused()
    {
        var g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Add", ["x", g.Constant("c", [3])]), 3), "node 'add0' (Add): Add is supported only right after a MatMul or Gemm");

        g = new OnnxGraphBuilder(features: 3);
        NotSupported(
            g.Model(g.Node("Sub", [g.Node("Gemm", ["x", g.Constant("w", [3, 3])]), g.Constant("m", [3])]), 3),
            "node 'sub1' (Sub): Sub is supported only at the input, before any layer");

        g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Sub", [g.Constant("m", [3]), "x"]), 3), "node 'sub0' (Sub): the data 'x' is the second operand");

        g = new OnnxGraphBuilder(features: 3);
        NotSupported(
            g.Model(g.Node("Gemm", ["x", g.Constant("w", [3, 2]), g.Constant("b", [4, 2])]), 2),
            "node 'gemm0' (Gemm): tensor 'b' has dims [4, 2], applied to data [batch x 2]; only constants the same for every sample are supported");

        g = new OnnxGraphBuilder(features: 3);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 1L, 3L);
        NotSupported(g.Model(g.Node("Relu", ["x"]), 3), "node 'relu0' (Relu): its data has rank 3");

        g = new OnnxGraphBuilder(features: 2);
        NotSupported(
            g.Model(g.Node("MatMul", [g.Node("Mul", ["x", g.Constant("s", [2], values: [1, -2])]), g.Constant("w", [2, 2])]), 2),
            "node 'mul0' (Mul): tensor 's' has -2 for column 1; a standardisation multiplies by positive values only");

        g = new OnnxGraphBuilder(features: 2);
        ModelProto model = g.Model(g.Node("Relu", ["x"]), 2);
        model.Graph!.Nodes[0].Domain = "com.microsoft";
        NotSupported(model, "node 'relu0' (com.microsoft.Relu): operators of domain 'com.microsoft' are not supported (ONNX Runtime's graph optimisations write them: import the model as it was exported, before optimising it)");
    }

    [Fact]
    public void Feature_counts_only_the_input_shape_claims_are_bounded()
    {
        // No weights: the shape alone gives the width, which may be at most 4096.
        var g = new OnnxGraphBuilder(features: 3);
        Assert.Equal(["Tanh(3)"], OnnxImporter.Import<float>(g.Model(g.Node("Tanh", ["x"]), 3).Encode()).Network.Layers.Select(l => l.Description));
        g = new OnnxGraphBuilder(features: 5000);
        NotSupported(g.Model(g.Node("Tanh", ["x"]), 5000), "The input 'x' claims 5000 features, which no weights confirm; at most 4096");

        // A product of dimensions that overflows is refused, not wrapped around.
        g = new OnnxGraphBuilder(features: 1);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 2L, (long)long.MaxValue);
        NotSupported(g.Model(g.Node("Flatten", ["x"]), 2), "more features per row than an array can hold");
    }

    [Theory]
    [InlineData(6, "Export it again with opset 13 or later.")]
    [InlineData(24, "Export it with opset 23 or earlier.")]
    public void Opsets_outside_7_to_23_are_refused_with_the_fix(long opset, string fix)
    {
        var g = new OnnxGraphBuilder(features: 2);
        NotSupported(g.Model(g.Node("Relu", ["x"]), 2, opset), $"The model uses opset {opset} of the default ONNX domain; opsets 7 to 23 are supported. {fix}");
    }

    [Fact]
    public void A_double_weight_beyond_float_range_cannot_be_imported_as_float()
    {
        var g = new OnnxGraphBuilder(features: 2, ProtoDataType.Double);
        ModelProto model = g.Model(g.Node("MatMul", ["x", g.Constant("w", [2, 1], values: [1, 1e300])]), 1);
        Assert.Equal(1e300, OnnxImporter.Import<double>(model.Encode()).Network.Parameters[1]);
        var e = Assert.Throws<NotSupportedException>(() => OnnxImporter.Import<float>(model.Encode()));
        Assert.Contains("node 'matmul0' (MatMul): value 1E+300 at index 1 of the weights is beyond the range of Single", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Graphs_that_break_onnx_rules_are_invalid_data()
    {
        var g = new OnnxGraphBuilder(features: 4);
        Invalid(g.Model(g.Node("MatMul", ["x", g.Constant("w", [5, 2])]), 2), "node 'matmul0' (MatMul): the weights take 5 features but the data reaching it has 4");

        g = new OnnxGraphBuilder(features: 4);
        Invalid(
            g.Model(g.Node("Gemm", ["x", g.Constant("w", [4, 3]), g.Constant("b", [5])]), 3),
            "node 'gemm0' (Gemm): tensor 'b' has dims [5], which do not broadcast to the data [batch x 3] it applies to");

        g = new OnnxGraphBuilder(features: 2);
        Invalid(g.Model(g.Node("MatMul", ["x", g.Constant("w", [2, 1], values: [1, double.NaN])]), 1), "node 'matmul0' (MatMul): tensor 'w' holds NaN at index 1");

        g = new OnnxGraphBuilder(features: 2);
        Invalid(
            g.Model(g.Node("MatMul", [g.Node("Div", ["x", g.Constant("s", [2], values: [1, 0])]), g.Constant("w", [2, 2])]), 2),
            "node 'div0' (Div): tensor 's' divides column 1 by 0");

        g = new OnnxGraphBuilder(features: 2);
        g.Graph.Initializers.Add(TensorProto.Create("w", [2, 2], [1.0, 2, 3, 4]));
        Invalid(g.Model(g.Node("MatMul", ["x", "w"]), 2), "node 'matmul0' (MatMul): tensor 'w' holds DOUBLE (11) values but the graph input is FLOAT (1)");

        g = new OnnxGraphBuilder(features: 2);
        Invalid(g.Model(g.Node("MatMul", ["x", "missing"]), 2), "node 'matmul0' (MatMul) reads 'missing' (input 1), which no node, input or initializer");

        g = new OnnxGraphBuilder(features: 2);
        Invalid(g.Model(g.Node("Relu", ["x"]), 3), "The output 'y' is declared with shape [N, 3] but the graph computes [batch x 2]");

        g = new OnnxGraphBuilder(features: 2);
        ModelProto model = g.Model(g.Node("Relu", ["x"]), 2);
        model.Graph!.Outputs[0].Name = "elsewhere";
        Invalid(model, "the value 'y' feeds no node and is not the output 'elsewhere'");
    }

    [Fact]
    public void Reshapes_that_change_the_batch_or_leave_matrices_are_refused()
    {
        NotSupported(Reshape([2, -1]), "node 'reshape0' (Reshape): Reshape to [2, -1] fixes the batch size at 2; export with a dynamic batch axis (torch.onnx.export(..., dynamic_axes={'input': {0: 'batch'}})) or write x.view(x.size(0), -1).");
        NotSupported(Reshape([-1]), "node 'reshape0' (Reshape): Reshape to [-1] is not supported; only a Reshape to [batch x features] is, such as [-1, 6] or [0, -1].");
        NotSupported(Reshape([0, -1], allowZero: 1), "node 'reshape0' (Reshape): Reshape to [0, -1] is not supported");
        NotSupported(Reshape([-1, -1]), "node 'reshape0' (Reshape): Reshape to [-1, -1] is not supported");
        NotSupported(Reshape([0, 0]), "node 'reshape0' (Reshape): Reshape to [0, 0] of data of rank 3 would change the batch.");
        Invalid(Reshape([-1, 4]), "node 'reshape0' (Reshape): Reshape to [-1, 4] does not fit data of 6 features per sample (it would change the batch).");

        // A fixed batch in the input makes the same fixed target the identity on samples.
        ModelProto fixedBatch = Reshape([5, -1]);
        fixedBatch.Graph!.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, 5L, 2L, 3L);
        Assert.Equal(6, OnnxImporter.Import<float>(fixedBatch.Encode()).Network.InputSize);

        // A shape computed by an operator other than Shape, Gather, Unsqueeze and Concat, or from another data value.
        var g = new OnnxGraphBuilder(features: 6);
        string target = g.Node("Slice", [g.Node("Shape", ["x"]), g.Integers("start", 0), g.Integers("end", 2)]);
        NotSupported(g.Model(g.Node("Relu", [g.Node("Reshape", ["x", target])]), 6), "node 'slice1' (Slice) computes a shape for node 'reshape2' (Reshape); only Shape, Gather, Unsqueeze, Concat and constants are supported there.");

        g = new OnnxGraphBuilder(features: 6);
        Invalid(g.Model(g.Node("Relu", [g.Node("Reshape", ["x", g.Constant("shape", [2], values: [1, 6])])]), 6), "node 'reshape0' (Reshape): tensor 'shape' is a shape, which must be INT64 of rank 0 or 1, not FLOAT (1) with dims [2].");
    }

    [Fact]
    public void Batch_normalization_and_log_softmax_out_of_their_place_are_refused()
    {
        var g = new OnnxGraphBuilder(features: 3);
        string[] statistics = [g.Constant("scale", [3]), g.Constant("shift", [3]), g.Constant("mean", [3]), g.Constant("var", [3], values: [1, 1, 1])];
        NotSupported(g.Model(g.Node("BatchNormalization", ["x", .. statistics]), 3), "node 'batchnormalization0' (BatchNormalization): BatchNormalization is supported only right after a Gemm or MatMul (+ Add), whose weights and bias it is folded into.");

        g = new OnnxGraphBuilder(features: 3);
        statistics = [g.Constant("scale", [3]), g.Constant("shift", [3]), g.Constant("mean", [3]), g.Constant("var", [3], values: [1, -2, 1])];
        Invalid(
            g.Model(g.Node("BatchNormalization", [g.Node("Gemm", ["x", g.Constant("w", [3, 3])]), .. statistics], AttributeProto.FromFloat("epsilon", 0.5f)), 3),
            "node 'batchnormalization1' (BatchNormalization): output 1 has variance -2 and scale");

        g = new OnnxGraphBuilder(features: 3);
        statistics = [g.Constant("scale", [3]), g.Constant("shift", [3]), g.Constant("mean", [3]), g.Constant("var", [3], values: [1, 1, 1])];
        NotSupported(
            g.Model(g.Node("BatchNormalization", [g.Node("Gemm", ["x", g.Constant("w", [3, 3])]), .. statistics], AttributeProto.FromInt("training_mode", 1)), 3),
            "BatchNormalization in training mode is not supported; call model.eval() before torch.onnx.export");

        g = new OnnxGraphBuilder(features: 3);
        NotSupported(
            g.Model(g.Node("Relu", [g.Node("LogSoftmax", [g.Node("Gemm", ["x", g.Constant("w", [3, 3])])])]), 3),
            "node 'relu2' (Relu) follows node 'logsoftmax1' (LogSoftmax); LogSoftmax is supported only as the last operator of the graph.");
    }

    [Fact]
    public void Operators_recognised_only_in_a_form_say_which()
    {
        var g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Erf", ["x"]), 3), "node 'erf0' (Erf): operator 'Erf' is not supported (Erf is supported only in GELU's form x * (1 + erf(x / sqrt(2))) / 2)");
        g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Max", ["x", g.Constant("c", [3])]), 3), "node 'max0' (Max): operator 'Max' is not supported (Max is supported only as leaky ReLU, Max(x, alpha * x))");
        g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Gather", ["x", g.Integers("i", 0)]), 3), "(Shape, Gather, Unsqueeze and Concat are supported only computing the target of a Reshape to [batch x features])");

        // Max(x, alpha x) with a slope outside [0, 1) is not a leaky ReLU.
        g = new OnnxGraphBuilder(features: 3);
        NotSupported(g.Model(g.Node("Max", ["x", g.Node("Mul", ["x", g.Constant("alpha", [], values: [1.5])])]), 3), "node 'max1' (Max): the LeakyReLU slope 1.5 is not supported; it must be in [0, 1).");
    }

    [Fact]
    public void Dense_weights_that_are_not_a_matrix_are_named()
    {
        var g = new OnnxGraphBuilder(features: 2);
        Invalid(g.Model(g.Node("Gemm", ["x", g.Constant("w", [2, 1, 2])]), 2), "node 'gemm0' (Gemm): tensor 'w' has dims [2, 1, 2]; input B of Gemm must be a matrix.");
        g = new OnnxGraphBuilder(features: 2);
        NotSupported(g.Model(g.Node("MatMul", ["x", g.Constant("w", [2])]), 2), "node 'matmul0' (MatMul): tensor 'w' has dims [2]; only a [in x out] weight matrix is supported.");
        g = new OnnxGraphBuilder(features: 2);
        Invalid(g.Model(g.Node("MatMul", ["x", g.Constant("w", [2, 0])]), 2), "node 'matmul0' (MatMul): tensor 'w' has dims [2, 0]; a layer needs at least one input and one output.");
    }

    [Fact]
    public void Errors_of_a_file_start_with_its_path()
    {
        string path = Path.Combine(Path.GetTempPath(), $"backprop-onnx-{Guid.NewGuid():N}.onnx");
        try
        {
            var g = new OnnxGraphBuilder(features: 3);
            g.Model(g.Node("Conv", ["x"]), 3).Save(path);
            var e = Assert.Throws<NotSupportedException>(() => OnnxImporter.Import<float>(path));
            Assert.StartsWith($"{path}: node 'conv0' (Conv)", e.Message, StringComparison.Ordinal);

            File.WriteAllBytes(path, [0x3A, 0x05]);
            var invalid = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<float>(path));
            Assert.StartsWith($"{path}: ", invalid.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>x [N x 2 x 3] reshaped to <paramref name="target"/>, then Relu.</summary>
    private static ModelProto Reshape(long[] target, long? allowZero = null)
    {
        var g = new OnnxGraphBuilder(features: 1);
        g.Graph.Inputs[0] = ValueInfoProto.CreateTensor("x", ProtoDataType.Float, "N", 2L, 3L);
        string reshaped = g.Node("Reshape", ["x", g.Integers("shape", target)], allowZero is long a ? [AttributeProto.FromInt("allowzero", a)] : []);
        return g.Model(g.Node("Relu", [reshaped]), 6, opset: 14);
    }

    private static void NotSupported(ModelProto model, string expected)
    {
        var e = Assert.Throws<NotSupportedException>(() => OnnxImporter.Import<double>(model.Encode()));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static void Invalid(ModelProto model, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => OnnxImporter.Import<double>(model.Encode()));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
