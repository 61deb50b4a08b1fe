namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// A graph as the chain reader sees it: nodes in file order, initializers, and the graph's inputs and outputs, indexed by
/// value name (the initializer, the node that produces a value, the nodes that consume it). Building the index checks that
/// names are unique: one initializer per name, one producer per value.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, OnnxTensor> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _runtimeInputs = new(StringComparer.Ordinal);

    /// <summary>Indexes the graph; throws <see cref="InvalidDataException"/> for duplicate or empty names.</summary>
    public OnnxGraph(string name, List<OnnxNode> nodes, List<OnnxTensor> initializers, List<OnnxValue> inputs, List<OnnxValue> outputs)
    {
        (Name, Nodes, Inputs, Outputs) = (name, nodes, inputs, outputs);
        foreach (OnnxTensor initializer in initializers)
        {
            if (initializer.Name.Length == 0 || !_initializers.TryAdd(initializer.Name, initializer))
            {
                throw new InvalidDataException(initializer.Name.Length == 0
                    ? $"{Describe()} has an initializer without a name."
                    : $"{Describe()} has two initializers named '{initializer.Name}'.");
            }
        }

        foreach (OnnxValue input in inputs)
        {
            if (!_initializers.ContainsKey(input.Name) && !_runtimeInputs.Add(input.Name))
            {
                throw new InvalidDataException($"{Describe()} has two inputs named '{input.Name}'.");
            }
        }

        foreach (OnnxNode node in nodes)
        {
            foreach (string input in node.Inputs.Where(i => i.Length != 0).Distinct())
            {
                (_consumers.TryGetValue(input, out List<OnnxNode>? consumers) ? consumers : _consumers[input] = []).Add(node);
            }

            foreach (string output in node.Outputs.Where(o => o.Length != 0))
            {
                if (_producers.TryGetValue(output, out OnnxNode? other))
                {
                    throw new InvalidDataException($"In {Describe()}, the value '{output}' is produced twice: by {other.Describe()} and by {node.Describe()}.");
                }

                if (_initializers.ContainsKey(output) || _runtimeInputs.Contains(output))
                {
                    throw new InvalidDataException($"In {Describe()}, {node.Describe()} produces '{output}', which is also a graph input or initializer.");
                }

                _producers[output] = node;
            }
        }
    }

    /// <summary>The graph name.</summary>
    public string Name { get; }

    /// <summary>The nodes, in file order.</summary>
    public List<OnnxNode> Nodes { get; }

    /// <summary>The graph inputs; models of IR version 3 and older list the initializers here too.</summary>
    public List<OnnxValue> Inputs { get; }

    /// <summary>The graph outputs.</summary>
    public List<OnnxValue> Outputs { get; }

    /// <summary>The initializers.</summary>
    public IReadOnlyCollection<OnnxTensor> Initializers => _initializers.Values;

    /// <summary>"graph 'main_graph'", or "unnamed graph": how error messages name this graph.</summary>
    public string Describe() => Name.Length != 0 ? $"graph '{Name}'" : "unnamed graph";

    /// <summary>Whether <paramref name="name"/> is a graph input fed at run time (not an initializer listed among the inputs).</summary>
    public bool IsRuntimeInput(string name) => _runtimeInputs.Contains(name);

    /// <summary>The initializer named <paramref name="name"/>, or <see langword="null"/>.</summary>
    public OnnxTensor? GetInitializer(string name) => _initializers.GetValueOrDefault(name);

    /// <summary>The node whose output <paramref name="name"/> is, or <see langword="null"/> for a graph input, an initializer or an unknown name.</summary>
    public OnnxNode? GetProducer(string name) => _producers.GetValueOrDefault(name);

    /// <summary>The nodes that take <paramref name="name"/> as an input, in file order.</summary>
    public IReadOnlyList<OnnxNode> GetConsumers(string name) => _consumers.TryGetValue(name, out List<OnnxNode>? consumers) ? consumers : [];
}

/// <summary>A graph input or output: its name and, when the model declares a tensor type, its element type and shape.</summary>
/// <param name="Name">The value's name.</param>
/// <param name="IsTensor">Whether the model declares a tensor type for it.</param>
/// <param name="ElementType">The element type, a TensorProto.DataType value (0 when not declared).</param>
/// <param name="Shape">The dimensions, outermost first, or <see langword="null"/> when the rank is unknown.</param>
internal sealed record OnnxValue(string Name, bool IsTensor, int ElementType, OnnxDimension[]? Shape)
{
    /// <summary>Formats the shape as "[batch, 4]".</summary>
    public string FormatShape() => $"[{string.Join(", ", Shape ?? [])}]";
}

/// <summary>One dimension of a declared shape: a fixed size, a symbolic name such as "batch", or neither (unknown).</summary>
internal readonly record struct OnnxDimension(long? Value, string? Param)
{
    /// <inheritdoc/>
    public override string ToString() => Value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Param ?? "?";
}
