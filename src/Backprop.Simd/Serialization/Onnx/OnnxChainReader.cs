namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Walks an MLP graph from its one input to its one output, node by node, and reads each operator into a layer: the
/// graph must be a simple chain (every value feeds exactly one node, every other operand is a constant), so that it
/// means exactly what the resulting <see cref="Networks.Network{T}"/> computes. Supported: Gemm and MatMul (then Add)
/// as dense layers, Relu, Sigmoid, Tanh, LeakyRelu and Softmax over the last axis, Flatten to [batch x features],
/// Identity, and a leading standardisation Sub, then Div or Mul, by constants. Anything else gives a
/// <see cref="NotSupportedException"/> naming the node and what it has that is not supported; a graph that breaks the
/// ONNX rules gives an <see cref="InvalidDataException"/>. How each operator becomes a layer is in
/// OnnxChainReader.Operators.cs.
/// </summary>
internal sealed partial class OnnxChainReader
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

            if (value > Array.MaxLength / features)
            {
                throw new NotSupportedException($"The input '{Input.Name}' has shape {shape}: more features per row than an array can hold.");
            }

            dims[i] = value;
            features *= value;
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

    /// <summary>Dense layers, their Add and the activations need the data as [batch x features]; a higher rank must be flattened first.</summary>
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
