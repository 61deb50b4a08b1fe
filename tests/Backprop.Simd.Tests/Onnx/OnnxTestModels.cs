namespace Backprop.Simd.Tests.Onnx;

/// <summary>Small MLP models built by hand with the tests' own messages (<see cref="ModelProto"/> and the rest).</summary>
internal static class OnnxTestModels
{
    /// <summary>Gemm weights W (2 x 3), used transposed: Y = 0.5 * X W^T + 2 * B.</summary>
    public static readonly float[] GemmWeights = [1f, 2f, 3f, -1f, 0.5f, 0.25f];

    /// <summary>Gemm bias B (2).</summary>
    public static readonly float[] GemmBias = [0.5f, -1f];

    /// <summary>A model around <paramref name="graph"/>: IR version 8, default-domain opset <paramref name="opset"/>.</summary>
    public static ModelProto Wrap(GraphProto graph, long opset = 13)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = "Backprop.Simd.Tests", ProducerVersion = "0.1", Graph = graph };
        model.OpsetImports.Add(("", opset));
        return model;
    }

    /// <summary>Y = Gemm(X, W, B; transB = 1, alpha = 0.5, beta = 2) with X: (batch, 3), Y: (batch, 2).</summary>
    public static ModelProto SingleGemm()
    {
        var graph = new GraphProto { Name = "single_gemm" };
        graph.Inputs.Add(ValueInfoProto.CreateTensor("X", ProtoDataType.Float, "batch", 3L));
        graph.Outputs.Add(ValueInfoProto.CreateTensor("Y", ProtoDataType.Float, "batch", 2L));
        graph.Initializers.Add(TensorProto.Create("W", [2, 3], GemmWeights));
        graph.Initializers.Add(TensorProto.Create("B", [2], GemmBias));
        graph.Nodes.Add(NodeProto.Create(
            "Gemm", "gemm", ["X", "W", "B"], ["Y"],
            AttributeProto.FromFloat("alpha", 0.5f), AttributeProto.FromFloat("beta", 2f), AttributeProto.FromInt("transB", 1)));
        return Wrap(graph);
    }

    /// <summary>Y = Relu(X W + B) with X: (batch, 4), W: (4, 3) in float_data (typed field), B: (3) in raw_data.</summary>
    public static ModelProto MatMulAddRelu()
    {
        var graph = new GraphProto { Name = "matmul_add_relu" };
        graph.Inputs.Add(ValueInfoProto.CreateTensor("X", ProtoDataType.Float, "N", 4L));
        graph.Outputs.Add(ValueInfoProto.CreateTensor("Y", ProtoDataType.Float, "N", 3L));
        graph.Initializers.Add(TensorProto.Create("W", [4, 3], [0.5f, -1f, 2f, 0.25f, 1f, -0.5f, -2f, 0.75f, 1.5f, 1f, 0f, -1f], raw: false));
        graph.Initializers.Add(TensorProto.Create("B", [3], [0.1f, -0.2f, 0.3f]));
        graph.Nodes.Add(NodeProto.Create("MatMul", "matmul", ["X", "W"], ["XW"]));
        graph.Nodes.Add(NodeProto.Create("Add", "add", ["XW", "B"], ["Z"]));
        graph.Nodes.Add(NodeProto.Create("Relu", "relu", ["Z"], ["Y"]));
        return Wrap(graph);
    }

    /// <summary>
    /// Every operator of the subset in one FLOAT or DOUBLE graph, X: (batch, 4) -> Y: (batch, 4): Flatten, Sub/Div
    /// standardisation, Gemm (transB), Tanh, MatMul + Add, LeakyRelu, Gemm (alpha, beta, bias (1, 3)), Sigmoid, Gemm,
    /// Relu, Gemm, Softmax, Identity. Weights come from <paramref name="seed"/>, alternately in raw_data and typed fields.
    /// ONNX Runtime 1.32 has no DOUBLE kernel for LeakyRelu-6 (opset 13 to 15), so a DOUBLE graph at those opsets uses
    /// Relu in its place.
    /// </summary>
    public static ModelProto FullMlp(ProtoDataType type, int seed, long opset = 13)
    {
        var random = new Random(seed);
        var graph = new GraphProto { Name = "full_mlp" };
        graph.Inputs.Add(ValueInfoProto.CreateTensor("input", type, "batch", 4L));
        graph.Outputs.Add(ValueInfoProto.CreateTensor("output", type, "batch", 4L));
        int count = 0;
        void Add(string name, long[] dims, double low = -1, double high = 1)
        {
            long n = dims.Aggregate(1L, (a, b) => a * b);
            double[] values = Enumerable.Range(0, (int)n).Select(_ => low + ((high - low) * random.NextDouble())).ToArray();
            bool raw = count++ % 2 == 0;
            graph.Initializers.Add(type == ProtoDataType.Double
                ? TensorProto.Create(name, dims, values, raw)
                : TensorProto.Create(name, dims, values.Select(v => (float)v).ToArray(), raw));
        }

        Add("mean", [4]);
        Add("std", [4], 0.5, 2);
        Add("w1", [5, 4]);
        Add("b1", [5]);
        Add("w2", [5, 6]);
        Add("b2", [6]);
        Add("w3", [6, 3]);
        Add("b3", [1, 3]);
        Add("w4", [3, 3]);
        Add("b4", [3]);
        Add("w5", [3, 4]);
        Add("b5", [4]);
        graph.Nodes.Add(NodeProto.Create("Flatten", "flatten", ["input"], ["flat"], AttributeProto.FromInt("axis", 1)));
        graph.Nodes.Add(NodeProto.Create("Sub", "standardise_sub", ["flat", "mean"], ["centred"]));
        graph.Nodes.Add(NodeProto.Create("Div", "standardise_div", ["centred", "std"], ["z"]));
        graph.Nodes.Add(NodeProto.Create("Gemm", "dense1", ["z", "w1", "b1"], ["a1"], AttributeProto.FromInt("transB", 1)));
        graph.Nodes.Add(NodeProto.Create("Tanh", "tanh1", ["a1"], ["h1"]));
        graph.Nodes.Add(NodeProto.Create("MatMul", "dense2_matmul", ["h1", "w2"], ["m2"]));
        graph.Nodes.Add(NodeProto.Create("Add", "dense2_add", ["m2", "b2"], ["a2"]));
        graph.Nodes.Add(type == ProtoDataType.Double && opset < 16
            ? NodeProto.Create("Relu", "relu2", ["a2"], ["h2"])
            : NodeProto.Create("LeakyRelu", "leaky2", ["a2"], ["h2"], AttributeProto.FromFloat("alpha", 0.2f)));
        graph.Nodes.Add(NodeProto.Create(
            "Gemm", "dense3", ["h2", "w3", "b3"], ["a3"], AttributeProto.FromFloat("alpha", 0.75f), AttributeProto.FromFloat("beta", 0.5f)));
        graph.Nodes.Add(NodeProto.Create("Sigmoid", "sigmoid3", ["a3"], ["h3"]));
        graph.Nodes.Add(NodeProto.Create("Gemm", "dense4", ["h3", "w4", "b4"], ["a4"], AttributeProto.FromInt("transB", 1)));
        graph.Nodes.Add(NodeProto.Create("Relu", "relu4", ["a4"], ["h4"]));
        graph.Nodes.Add(NodeProto.Create("Gemm", "dense5", ["h4", "w5", "b5"], ["a5"]));
        graph.Nodes.Add(NodeProto.Create("Softmax", "softmax5", ["a5"], ["p"], AttributeProto.FromInt("axis", 1)));
        graph.Nodes.Add(NodeProto.Create("Identity", "identity", ["p"], ["output"]));
        return Wrap(graph, opset);
    }

    /// <summary>Rows of inputs in [-2, 2] from a seed.</summary>
    public static double[,] Inputs(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var x = new double[rows, columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                x[i, j] = Math.Round((4 * random.NextDouble()) - 2, 3);
            }
        }

        return x;
    }
}
