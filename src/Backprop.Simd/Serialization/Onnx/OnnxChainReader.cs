namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Walks an MLP graph from its one input to its one output, node by node, and reads each operator into a layer: the
/// graph must be a simple chain (every value feeds exactly one node, every other operand is a constant), so that it
/// means exactly what the resulting <see cref="Networks.Network{T}"/> computes. Supported: Gemm and MatMul (then Add)
/// as dense layers, Relu, Sigmoid, Tanh, LeakyRelu and Softmax over the last axis, Flatten to [batch x features],
/// Identity, and a leading standardisation Sub, then Div or Mul, by constants. Anything else gives a
/// <see cref="NotSupportedException"/> naming the node and what it has that is not supported; a graph that breaks the
/// ONNX rules gives an <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class OnnxChainReader
{
    private const string SupportedOperators = "Gemm, MatMul, Add, Sub, Mul, Div, Relu, Sigmoid, Tanh, LeakyRelu, Softmax, Flatten and Identity";

    private readonly OnnxGraphIndex _index;
    private readonly long _opset;
    private readonly List<OnnxImportedLayer> _layers = [];
    private int? _rank;
    private long[]? _featureDims;

    private OnnxChainReader(OnnxGraphIndex index, OnnxValueInfo input, OnnxValueInfo output, long opset)
    {
        _index = index;
        _opset = opset;
        Input = input;
        Output = output;
        OnnxTensorType type = input.TensorType
            ?? throw new InvalidDataException($"The input '{input.Name}' of {index.Graph.Describe()} has no tensor type.");
        ElementType = type.ElementType is OnnxDataType.Float or OnnxDataType.Double
            ? type.ElementType
            : throw new NotSupportedException(
                $"The input '{input.Name}' has data type {OnnxDataTypes.Describe(type.ElementType)}, which is not supported; it must be FLOAT (1) or DOUBLE (11).");
        ReadInputShape(type.Shape);
    }

    /// <summary>The graph input.</summary>
    public OnnxValueInfo Input { get; }

    /// <summary>The graph output.</summary>
    public OnnxValueInfo Output { get; }

    /// <summary>FLOAT or DOUBLE: the element type of the input, and of every constant.</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<OnnxImportedLayer> Layers => _layers;

    /// <summary>Features per input row after any Flatten: from the input shape or the first weights; null while neither has said.</summary>
    public int? InputFeatures { get; private set; }

    /// <summary>Whether <see cref="InputFeatures"/> was confirmed by the first layer's weights, which the file holds, and not only claimed by the input shape.</summary>
    public bool InputFeaturesFromWeights { get; private set; }

    /// <summary>
    /// The leading Sub's node and constant (the mean), and the dimensions of a sample where it applies (before a
    /// Flatten, e.g. [2, 3]); null dimensions mean [<see cref="InputFeatures"/>], known only once the weights are read.
    /// </summary>
    public OnnxStandardizationStep? Mean { get; private set; }

    /// <summary>The Div's or Mul's node and constant, after the mean if any.</summary>
    public OnnxStandardizationStep? Scale { get; private set; }

    /// <summary>Features per row of the data reached so far, when known.</summary>
    private int? Features => _featureDims is null ? null : (int)Product(_featureDims);

    /// <summary>Reads <paramref name="graph"/>, a graph of default-domain opset <paramref name="opset"/>.</summary>
    public static OnnxChainReader Read(OnnxGraph graph, long opset)
    {
        var index = new OnnxGraphIndex(graph);
        OnnxValueInfo[] inputs = [.. graph.Inputs.Where(i => index.IsRuntimeInput(i.Name))];
        if (inputs.Length != 1)
        {
            throw new NotSupportedException(
                $"{graph.Describe()} has {inputs.Length} inputs fed at run time ({string.Join(", ", inputs.Select(i => $"'{i.Name}'"))}); exactly one is supported.");
        }

        if (graph.Outputs.Count != 1)
        {
            throw new NotSupportedException(
                $"{graph.Describe()} has {graph.Outputs.Count} outputs ({string.Join(", ", graph.Outputs.Select(o => $"'{o.Name}'"))}); exactly one is supported.");
        }

        var reader = new OnnxChainReader(index, inputs[0], graph.Outputs[0], opset);
        reader.Walk();
        return reader;
    }

    private void ReadInputShape(OnnxShape? shape)
    {
        if (shape is null)
        {
            return;
        }

        _rank = shape.Dims.Count;
        if (_rank < 2)
        {
            throw new NotSupportedException($"The input '{Input.Name}' has shape {shape}; a [batch x features] input is needed.");
        }

        long features = 1;
        var dims = new long[_rank.Value - 1];
        for (int i = 0; i < dims.Length; i++)
        {
            if (shape.Dims[i + 1].Value is not long value)
            {
                return;
            }

            if (value <= 0)
            {
                throw new InvalidDataException($"The input '{Input.Name}' has shape {shape}, with a dimension of {value}.");
            }

            dims[i] = value;
            features *= value;
            if (features > Array.MaxLength)
            {
                throw new NotSupportedException($"The input '{Input.Name}' has shape {shape}: more features per row than an array can hold.");
            }
        }

        _featureDims = dims;
        InputFeatures = (int)features;
    }

    private void Walk()
    {
        var visited = new HashSet<OnnxNode>(ReferenceEqualityComparer.Instance);
        string value = Input.Name;
        while (true)
        {
            IReadOnlyList<OnnxNode> consumers = _index.GetConsumers(value);
            if (value == Output.Name)
            {
                if (consumers.Count != 0)
                {
                    throw new NotSupportedException(
                        $"The output '{value}' also feeds {consumers[0].Describe()}; only a simple chain of operators is supported.");
                }

                break;
            }

            if (consumers.Count == 0)
            {
                throw new InvalidDataException(
                    $"In {_index.Graph.Describe()}, the value '{value}' feeds no node and is not the output '{Output.Name}'.");
            }

            if (consumers.Count > 1)
            {
                throw new NotSupportedException(
                    $"The value '{value}' feeds {consumers.Count} nodes ({string.Join(", ", consumers.Select(n => n.Describe()))}); branches are not supported, only a simple chain of operators.");
            }

            // No node is reached twice (no cycle): every operand but the data must be a constant, and the index
            // has checked that each value has one producer.
            OnnxNode node = consumers[0];
            visited.Add(node);
            Apply(node, value);
            value = node.Outputs[0];
        }

        foreach (OnnxNode node in _index.Graph.Nodes)
        {
            if (!visited.Contains(node) && !(node.OpType == "Constant" && IsDefaultDomain(node)))
            {
                throw new NotSupportedException(
                    $"{node.Describe()} is not on the chain from the input '{Input.Name}' to the output '{Output.Name}'; only a simple chain of operators is supported.");
            }
        }
    }

    private void Apply(OnnxNode node, string value)
    {
        if (!IsDefaultDomain(node))
        {
            throw new NotSupportedException($"{node.Describe()}: operators of domain '{node.Domain}' are not supported; supported are {SupportedOperators}.");
        }

        switch (node.OpType)
        {
            case "Identity":
                Unary(node);
                break;
            case "Flatten":
                Flatten(node);
                break;
            case "Gemm":
                Gemm(node, value);
                break;
            case "MatMul":
                MatMul(node, value);
                break;
            case "Add":
                Add(node, value);
                break;
            case "Sub":
            case "Div":
            case "Mul":
                Standardize(node, value);
                break;
            case "Relu":
                Activation(node, OnnxLayerKind.Relu);
                break;
            case "Sigmoid":
                Activation(node, OnnxLayerKind.Sigmoid);
                break;
            case "Tanh":
                Activation(node, OnnxLayerKind.Tanh);
                break;
            case "LeakyRelu":
                LeakyRelu(node);
                break;
            case "Softmax":
                Softmax(node);
                break;
            default:
                throw new NotSupportedException($"{node.Describe()}: operator '{node.OpType}' is not supported; supported are {SupportedOperators}.");
        }
    }

    private static void Unary(OnnxNode node, params ReadOnlySpan<string> attributes)
    {
        node.EnsureOnlyAttributes(attributes);
        CheckArity(node, 1, 1);
    }

    private void Flatten(OnnxNode node)
    {
        Unary(node, "axis");
        long axis = node.GetInt("axis", 1);
        if (axis < 0 && _rank is int rank)
        {
            axis += rank;
        }

        if (axis != 1)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: axis {node.GetInt("axis", 1)} is not supported; only Flatten to [batch x features] (axis 1) is.");
        }

        _rank = 2;
        _featureDims = Features is int features ? [features] : null;
    }

    private void Activation(OnnxNode node, OnnxLayerKind kind)
    {
        Unary(node);
        RequireMatrix(node);
        _layers.Add(OnnxImportedLayer.Activation(kind, node));
    }

    private void LeakyRelu(OnnxNode node)
    {
        Unary(node, "alpha");
        RequireMatrix(node);
        float alpha = node.GetFloat("alpha", 0.01f);
        if (!(alpha >= 0 && alpha < 1))
        {
            throw new NotSupportedException($"{node.Describe()}: alpha {alpha} is not supported; the slope must be in [0, 1).");
        }

        _layers.Add(OnnxImportedLayer.Activation(OnnxLayerKind.LeakyRelu, node, alpha));
    }

    private void Softmax(OnnxNode node)
    {
        Unary(node, "axis");
        RequireMatrix(node);
        // Opset 13 made the default axis -1; before, 1 (with the input coerced to 2-D). On [batch x n] both mean the last axis.
        long axis = node.GetInt("axis", _opset >= 13 ? -1 : 1);
        if (axis is not (1 or -1))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: axis {axis} is not supported; only a softmax over the last axis (1 or -1) of [batch x features] is.");
        }

        _layers.Add(OnnxImportedLayer.Activation(OnnxLayerKind.Softmax, node));
    }

    private void Gemm(OnnxNode node, string value)
    {
        // Y = alpha A' B' + beta C, with A = the running value x and B = the weights.
        node.EnsureOnlyAttributes("alpha", "beta", "transA", "transB");
        CheckArity(node, 2, 3);
        RequireMatrix(node);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: the data '{value}' is not input A; only Gemm(data, weights[, bias]) is supported.");
        }

        if (node.GetBool("transA", false))
        {
            throw new NotSupportedException($"{node.Describe()}: transA = 1 would transpose the data [batch x features]; it is not supported.");
        }

        float alpha = node.GetFloat("alpha", 1f);
        float beta = node.GetFloat("beta", 1f);
        if (!float.IsFinite(alpha) || !float.IsFinite(beta))
        {
            throw new InvalidDataException($"{node.Describe()}: alpha {alpha} and beta {beta} must be finite.");
        }

        OnnxTensor b = _index.GetConstantInput(node, 1);
        if (b.Dims.Length != 2)
        {
            throw new InvalidDataException($"{node.Describe()}: input B, {b.Describe()}, has dims {OnnxTensor.FormatDims(b.Dims)}; Gemm needs a matrix.");
        }

        bool transB = node.GetBool("transB", false);
        double[] weights = Weights(node, b, transB, alpha, out int inputs, out int outputs);
        var bias = new double[outputs];
        if (node.Inputs.Count == 3 && node.Inputs[2].Length != 0)
        {
            bias = OnnxConstants.Row(_index.GetConstantInput(node, 2), node, ElementType, [outputs]);
            Multiply(node, bias, beta, "beta");
        }

        AddDense(node, inputs, outputs, weights, bias);
    }

    private void MatMul(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        RequireMatrix(node);
        if (node.Inputs[0] != value)
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is not the first input; only MatMul(data, weights) is supported.");
        }

        OnnxTensor b = _index.GetConstantInput(node, 1);
        if (b.Dims.Length != 2)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {b.Describe()} has dims {OnnxTensor.FormatDims(b.Dims)}; only a [in x out] weight matrix is supported.");
        }

        double[] weights = Weights(node, b, transpose: false, alpha: 1f, out int inputs, out int outputs);
        AddDense(node, inputs, outputs, weights, new double[outputs]);
    }

    /// <summary>Adds a constant to the bias of the dense layer just before: the Add of MatMul + Add, or a Gemm's extra bias.</summary>
    private void Add(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        RequireMatrix(node);
        if (_layers.Count == 0 || _layers[^1].Kind != OnnxLayerKind.Dense)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: Add is supported only right after a MatMul or Gemm, where it adds the bias.");
        }

        OnnxImportedLayer dense = _layers[^1];
        double[] row = OnnxConstants.Row(_index.GetConstantInput(node, node.Inputs[0] == value ? 1 : 0), node, ElementType, [dense.Outputs]);
        for (int j = 0; j < row.Length; j++)
        {
            dense.Bias[j] += row[j];
        }
    }

    /// <summary>
    /// Sub, then Div or Mul, by constants, before the first layer: the input standardisation. It may come before a
    /// Flatten, element by element on [batch x 2 x 3] data, for example, when the input shape fixes those dimensions.
    /// </summary>
    private void Standardize(OnnxNode node, string value)
    {
        node.EnsureOnlyAttributes();
        CheckArity(node, 2, 2);
        if (_rank is > 2 && _featureDims is null)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: its data has rank {_rank} with dimensions the input shape does not fix; only [batch x features] data or fixed dimensions are supported.");
        }

        bool sub = node.OpType == "Sub";
        if (_layers.Count != 0 || Scale is not null || (sub && Mean is not null))
        {
            throw new NotSupportedException(
                $"{node.Describe()}: {node.OpType} is supported only at the input, before any layer, as a standardisation: Sub, then Div or Mul, by constants.");
        }

        int position = node.Inputs[0] == value ? 0 : 1;
        if (position != 0 && node.OpType != "Mul")
        {
            throw new NotSupportedException($"{node.Describe()}: the data '{value}' is the second operand; only data {(sub ? "-" : "/")} constant is supported.");
        }

        var step = new OnnxStandardizationStep(node, _index.GetConstantInput(node, 1 - position), _featureDims);
        if (sub)
        {
            Mean = step;
        }
        else
        {
            Scale = step;
        }
    }

    /// <summary>The weights of B as [in x out], transposed from [out x in] when <paramref name="transpose"/>, times alpha.</summary>
    private double[] Weights(OnnxNode node, OnnxTensor b, bool transpose, float alpha, out int inputs, out int outputs)
    {
        long rows = b.Dims[0];
        long columns = b.Dims[1];
        if (rows == 0 || columns == 0)
        {
            throw new InvalidDataException($"{node.Describe()}: {b.Describe()} has dims {OnnxTensor.FormatDims(b.Dims)}; a layer needs at least one input and one output.");
        }

        // Both are at most the element count, which the file's data bounds, so they fit an int.
        double[] values = OnnxConstants.Read(b, node, ElementType);
        (inputs, outputs) = transpose ? ((int)columns, (int)rows) : ((int)rows, (int)columns);
        if (transpose)
        {
            var transposed = new double[values.Length];
            for (int i = 0; i < inputs; i++)
            {
                for (int j = 0; j < outputs; j++)
                {
                    transposed[(i * outputs) + j] = values[(j * inputs) + i];
                }
            }

            values = transposed;
        }

        Multiply(node, values, alpha, "alpha");
        return values;
    }

    private void AddDense(OnnxNode node, int inputs, int outputs, double[] weights, double[] bias)
    {
        if (Features is int features && features != inputs)
        {
            throw new InvalidDataException($"{node.Describe()}: the weights take {inputs} features but the data reaching it has {features}.");
        }

        if (!_layers.Exists(l => l.Kind == OnnxLayerKind.Dense))
        {
            InputFeatures = inputs;
            InputFeaturesFromWeights = true;
        }

        _layers.Add(OnnxImportedLayer.Dense(node, inputs, outputs, weights, bias));
        _featureDims = [outputs];
    }

    /// <summary>Multiplies by Gemm's alpha or beta (1, the default, leaves the values bit for bit as stored).</summary>
    private static void Multiply(OnnxNode node, double[] values, float factor, string name)
    {
        if (factor == 1f)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] *= factor;
            if (!double.IsFinite(values[i]))
            {
                throw new InvalidDataException($"{node.Describe()}: {name} {factor} times value {i} overflows.");
            }
        }
    }

    /// <summary>Every operator but Flatten and Identity needs the data as [batch x features]; a higher rank must be flattened first.</summary>
    private void RequireMatrix(OnnxNode node)
    {
        if (_rank is int rank && rank != 2)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: its data has rank {rank}; only [batch x features] data is supported, so Flatten (axis 1) must come first.");
        }
    }

    private static void CheckArity(OnnxNode node, int min, int max)
    {
        if (node.Inputs.Count < min || node.Inputs.Count > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new InvalidDataException($"{node.Describe()} has {node.Inputs.Count} inputs; {node.OpType} takes {expected}.");
        }

        if (node.Outputs.Count != 1 || node.Outputs[0].Length == 0)
        {
            throw new InvalidDataException($"{node.Describe()} has {node.Outputs.Count} outputs; {node.OpType} gives 1.");
        }
    }

    private static long Product(long[] dims) => dims.Aggregate(1L, (product, dim) => product * dim);

    private static bool IsDefaultDomain(OnnxNode node) => node.Domain.Length == 0 || node.Domain == OnnxModel.DefaultDomainAlias;
}
