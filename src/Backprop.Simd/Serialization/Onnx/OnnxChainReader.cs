using Backprop.Simd.Layers;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Walks an MLP graph from its one input to its one output, node by node, and reads each operator into a layer: the
/// graph must be a chain (every other operand a constant), so that it means exactly what the resulting
/// <see cref="Networks.Network{T}"/> computes. The only branches allowed are those of a form it recognises: a Shape
/// feeding a Reshape's target (OnnxChainReader.Shapes.cs), and activations written out of several operators
/// (OnnxChainReader.Forms.cs). Anything else gives a <see cref="NotSupportedException"/> naming the node and what it has
/// that is not supported, with the fix where there is one; a graph that breaks the ONNX rules gives an
/// <see cref="InvalidDataException"/>. An operator that a layer kind declares (<see cref="LayerKind.OnnxOperators"/>)
/// becomes a layer of that kind; how the others are read is in OnnxChainReader.Operators.cs.
/// </summary>
internal sealed partial class OnnxChainReader
{
    private static readonly Dictionary<string, string> s_hints = new(StringComparer.Ordinal)
    {
        ["Conv"] = "only fully connected networks (multilayer perceptrons) are supported",
        ["MaxPool"] = "only fully connected networks (multilayer perceptrons) are supported",
        ["Shape"] = "Shape, Gather, Unsqueeze and Concat are supported only computing the target of a Reshape to [batch x features]",
        ["Erf"] = "Erf is supported only in GELU's form x * (1 + erf(x / sqrt(2))) / 2",
        ["Max"] = "Max is supported only as leaky ReLU, Max(x, alpha * x)",
    };

    /// <summary>
    /// The operators the importer reads: those of the chain's own structure, those a layer kind declares, and those
    /// that only a form of several nodes uses, where the form's kind exists.
    /// </summary>
    public static IReadOnlyList<string> SupportedOperators { get; } =
    [
        "Gemm", "MatMul", "Add", "BatchNormalization",
        .. LayerKind.All.SelectMany(k => k.OnnxOperators),
        .. FormOperators.Where(f => LayerKind.Named(f.Kind) is not null).SelectMany(f => f.Operators),
        "LogSoftmax", "Flatten", "Reshape", "Shape", "Gather", "Unsqueeze", "Concat", "Identity", "Dropout", "Sub", "Div", "Mul", "Constant",
    ];

    private readonly OnnxGraph _graph;
    private readonly long _opset;
    private readonly List<OnnxImportedLayer> _layers = [];
    private readonly HashSet<OnnxNode> _visited = new(ReferenceEqualityComparer.Instance);
    private int? _rank;
    private long[]? _featureDims;
    private long? _batch;

    private OnnxChainReader(OnnxGraph graph, OnnxValue input, OnnxValue output, long opset)
    {
        (_graph, _opset, Input, Output) = (graph, opset, input, output);
        if (!input.IsTensor)
        {
            throw new InvalidDataException($"The input '{input.Name}' of {graph.Describe()} has no tensor type.");
        }

        ElementType = input.ElementType is OnnxTensor.Float or OnnxTensor.Double ? input.ElementType : throw new NotSupportedException(
            $"The input '{input.Name}' has data type {OnnxTensor.DescribeType(input.ElementType)}, which is not supported; it must be FLOAT (1) or DOUBLE (11).");
        ReadInputShape(input.Shape);
    }

    /// <summary>The graph input.</summary>
    public OnnxValue Input { get; }

    /// <summary>The graph output.</summary>
    public OnnxValue Output { get; }

    /// <summary>FLOAT or DOUBLE: the element type of the input, and of every constant.</summary>
    public int ElementType { get; }

    /// <summary>The layers, first to last.</summary>
    public IReadOnlyList<OnnxImportedLayer> Layers => _layers;

    /// <summary>Features per input row after any Flatten or Reshape: from the input shape or the first weights; null while neither has said.</summary>
    public int? InputFeatures { get; private set; }

    /// <summary>Whether <see cref="InputFeatures"/> was confirmed by the first layer's weights, which the file holds, and not only claimed by the input shape.</summary>
    public bool InputFeaturesFromWeights { get; private set; }

    /// <summary>The leading Sub's node and constant (the mean), and the dimensions of a sample where it applies.</summary>
    public Step? Mean { get; private set; }

    /// <summary>The Div's or Mul's node and constant, after the mean if any.</summary>
    public Step? Scale { get; private set; }

    /// <summary>The LogSoftmax that ends the graph, or <see langword="null"/>: it is applied to the network's output, not a layer.</summary>
    public OnnxNode? LogSoftmax { get; private set; }

    /// <summary>Features per row of the data reached so far, when known.</summary>
    private int? Features => _featureDims is null ? null : (int)Product(_featureDims);

    /// <summary>Reads <paramref name="graph"/>, a graph of default-domain opset <paramref name="opset"/>.</summary>
    public static OnnxChainReader Read(OnnxGraph graph, long opset)
    {
        OnnxValue[] inputs = [.. graph.Inputs.Where(i => graph.IsRuntimeInput(i.Name))];
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

        var reader = new OnnxChainReader(graph, inputs[0], graph.Outputs[0], opset);
        reader.Walk();
        return reader;
    }

    private void ReadInputShape(OnnxDimension[]? shape)
    {
        if (shape is null)
        {
            return;
        }

        _rank = shape.Length >= 2 ? shape.Length : throw new NotSupportedException($"The input '{Input.Name}' has shape {Input.FormatShape()}; a [batch x features] input is needed.");
        _batch = shape[0].Value;
        long features = 1;
        var dims = new long[shape.Length - 1];
        for (int i = 0; i < dims.Length; i++)
        {
            if (shape[i + 1].Value is not long value)
            {
                return;
            }

            if (value <= 0)
            {
                throw new InvalidDataException($"The input '{Input.Name}' has shape {Input.FormatShape()}, with a dimension of {value}.");
            }

            dims[i] = value <= Array.MaxLength / features ? value
                : throw new NotSupportedException($"The input '{Input.Name}' has shape {Input.FormatShape()}: more features per row than an array can hold.");
            features *= value;
        }

        _featureDims = dims;
        InputFeatures = (int)features;
    }

    private void Walk()
    {
        string value = Input.Name;
        RecordShape(value);
        while (value != Output.Name)
        {
            // A Shape of the data is read when the Reshape it feeds asks for it.
            List<OnnxNode> consumers = [.. _graph.GetConsumers(value).Where(n => !n.Is("Shape"))];
            value = consumers.Count switch
            {
                0 => throw new InvalidDataException($"In {_graph.Describe()}, the value '{value}' feeds no node and is not the output '{Output.Name}'."),
                1 => Apply(Visit(consumers[0]), value),
                _ => ReadForm(value, consumers) ?? throw new NotSupportedException(
                    $"The value '{value}' feeds {consumers.Count} nodes ({string.Join(", ", consumers.Select(n => n.Describe()))}); branches are not supported, only a simple chain of operators."),
            };
            RecordShape(value);
        }

        if (_graph.GetConsumers(value) is [OnnxNode consumer, ..])
        {
            throw new NotSupportedException($"The output '{value}' also feeds {consumer.Describe()}; only a simple chain of operators is supported.");
        }

        if (_graph.Nodes.FirstOrDefault(n => !_visited.Contains(n) && !n.Is("Constant")) is OnnxNode stray)
        {
            throw new NotSupportedException(
                $"{stray.Describe()} is not on the chain from the input '{Input.Name}' to the output '{Output.Name}'; only a simple chain of operators is supported.");
        }
    }

    /// <summary>Reads <paramref name="node"/>, which takes the data <paramref name="value"/>, and returns the data it gives.</summary>
    private string Apply(OnnxNode node, string value)
    {
        if (!node.IsDefaultDomain)
        {
            throw Unsupported(node, $"operators of domain '{node.Domain}' are not supported", node.Domain == "com.microsoft"
                ? "ONNX Runtime's graph optimisations write them: import the model as it was exported, before optimising it"
                : null);
        }

        if (LogSoftmax is not null)
        {
            throw new NotSupportedException($"{node.Describe()} follows {LogSoftmax.Describe()}; LogSoftmax is supported only as the last operator of the graph.");
        }

        switch (node.OpType)
        {
            case "Identity": Unary(node); break;
            case "Dropout": Dropout(node); break;
            case "Flatten": Flatten(node); break;
            case "Reshape": Reshape(node, value); break;
            case "Gemm" or "MatMul": Dense(node, value); break;
            case "Add": Add(node, value); break;
            case "BatchNormalization": BatchNormalization(node, value); break;
            case "Sub" or "Div" or "Mul": Standardize(node, value); break;
            case "LogSoftmax": ReadLogSoftmax(node); break;
            default:
                LayerKind kind = LayerKind.All.FirstOrDefault(k => k.OnnxOperators.Contains(node.OpType)) ?? throw Unsupported(
                    node, $"operator '{node.OpType}' is not supported", s_hints.GetValueOrDefault(node.OpType is "Gather" or "Unsqueeze" or "Concat" ? "Shape" : node.OpType));
                double[] values = kind.ReadOnnx(node, _opset);
                CheckArity(node, 1, 1);
                Layer(kind, node, values);
                break;
        }

        return node.Outputs[0];
    }

    /// <summary>"node 'x' (Conv): operator 'Conv' is not supported (hint); supported are ...".</summary>
    private static NotSupportedException Unsupported(OnnxNode node, string problem, string? hint) =>
        new($"{node.Describe()}: {problem}{(hint is null ? "" : $" ({hint})")}; supported are {string.Join(", ", OnnxImporter.SupportedOperators)}.");

    /// <summary>Marks <paramref name="node"/> as read; reaching it twice means the graph is not a chain.</summary>
    private OnnxNode Visit(OnnxNode node) => _visited.Add(node) ? node
        : throw new InvalidDataException($"In {_graph.Describe()}, {node.Describe()} is reached twice: the graph has a cycle or uses one value both as data and as a constant.");

    /// <summary>
    /// The constant tensor feeding input <paramref name="inputIndex"/> of <paramref name="node"/>: an initializer, a
    /// Constant's value, or either through Identity nodes. Throws <see cref="InvalidDataException"/> when the input is
    /// missing or unknown, and <see cref="NotSupportedException"/> when it is computed at run time.
    /// </summary>
    private OnnxTensor GetConstantInput(OnnxNode node, int inputIndex)
    {
        if ((uint)inputIndex >= (uint)node.Inputs.Count || node.Inputs[inputIndex].Length == 0)
        {
            throw new InvalidDataException($"{node.Describe()} has no input {inputIndex}.");
        }

        string name = node.Inputs[inputIndex];
        for (int hops = 0; hops < 16; hops++)
        {
            OnnxNode? producer = _graph.GetProducer(name);
            if (_graph.GetInitializer(name) is OnnxTensor tensor)
            {
                return tensor;
            }
            else if (producer is not null && producer.Is("Constant"))
            {
                _visited.Add(producer);
                producer.EnsureOnlyAttributes("value");
                return producer.GetTensor("value") ?? throw new InvalidDataException($"{producer.Describe()} has no 'value' attribute.");
            }
            else if (producer is null || !producer.Is("Identity") || producer.Inputs.Count != 1)
            {
                break;
            }

            // torch.onnx.export keeps one copy of equal initializers and names the others through Identity.
            _visited.Add(producer);
            name = producer.Inputs[0];
        }

        if (_graph.GetProducer(name) is null && !_graph.IsRuntimeInput(name))
        {
            throw new InvalidDataException($"{node.Describe()} reads '{name}' (input {inputIndex}), which no node, input or initializer of {_graph.Describe()} provides.");
        }

        throw new NotSupportedException(
            $"{node.Describe()} reads '{name}' (input {inputIndex}), which is computed at run time; it must be an initializer or a Constant.");
    }

    /// <summary>Dense layers, their Add and the activations need the data as [batch x features]; a higher rank must be flattened first.</summary>
    private void RequireMatrix(OnnxNode node)
    {
        if (_rank is int rank && rank != 2)
        {
            throw new NotSupportedException(
                $"{node.Describe()}: its data has rank {rank}; only [batch x features] data is supported, so Flatten (axis 1) or Reshape must come first.");
        }
    }

    private static void CheckArity(OnnxNode node, int min, int max, int outputs = 1)
    {
        if (node.Inputs.Count < min || node.Inputs.Count > max)
        {
            string expected = min == max ? $"{min}" : $"{min} to {max}";
            throw new InvalidDataException($"{node.Describe()} has {node.Inputs.Count} inputs; {node.OpType} takes {expected}.");
        }

        if (node.Outputs.Count < 1 || node.Outputs.Count > outputs || node.Outputs[0].Length == 0)
        {
            throw new InvalidDataException($"{node.Describe()} has {node.Outputs.Count} outputs; {node.OpType} gives {(outputs == 1 ? "1" : $"1 to {outputs}")}.");
        }
    }

    private static long Product(long[] dims) => dims.Aggregate(1L, (product, dim) => product * dim);

    /// <summary>One step of an imported standardisation: the Sub, Div or Mul node, its constant, and the dimensions of a sample where it applies (null for [features], known only once the weights are read).</summary>
    internal sealed record Step(OnnxNode Node, OnnxTensor Tensor, long[]? FeatureDims);
}
