using System.Diagnostics.CodeAnalysis;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Looks a graph's values up by name: initializers, the node that produces a value and the nodes that consume it.
/// Building the index checks that names are unique (one initializer per name, one producer per value). Take a new
/// index after changing the graph.
/// </summary>
internal sealed class OnnxGraphIndex
{
    private readonly Dictionary<string, OnnxTensor> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OnnxNode> _producers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<OnnxNode>> _consumers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _inputs = new(StringComparer.Ordinal);

    /// <summary>Indexes <paramref name="graph"/>; throws <see cref="InvalidDataException"/> for duplicate or empty names.</summary>
    public OnnxGraphIndex(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        Graph = graph;
        foreach (OnnxTensor initializer in graph.Initializers)
        {
            if (initializer.Name.Length == 0)
            {
                throw new InvalidDataException($"{graph.Describe()} has an initializer without a name.");
            }

            if (!_initializers.TryAdd(initializer.Name, initializer))
            {
                throw new InvalidDataException($"{graph.Describe()} has two initializers named '{initializer.Name}'.");
            }
        }

        foreach (OnnxValueInfo input in graph.Inputs)
        {
            if (!_initializers.ContainsKey(input.Name) && !_inputs.Add(input.Name))
            {
                throw new InvalidDataException($"{graph.Describe()} has two inputs named '{input.Name}'.");
            }
        }

        foreach (OnnxNode node in graph.Nodes)
        {
            foreach (string input in node.Inputs)
            {
                if (input.Length == 0)
                {
                    continue;
                }

                if (!_consumers.TryGetValue(input, out List<OnnxNode>? consumers))
                {
                    _consumers[input] = consumers = [];
                }

                if (consumers.Count == 0 || consumers[^1] != node)
                {
                    consumers.Add(node);
                }
            }

            foreach (string output in node.Outputs)
            {
                if (output.Length == 0)
                {
                    continue;
                }

                if (_producers.TryGetValue(output, out OnnxNode? other))
                {
                    throw new InvalidDataException($"In {graph.Describe()}, the value '{output}' is produced twice: by {other.Describe()} and by {node.Describe()}.");
                }

                if (_initializers.ContainsKey(output) || _inputs.Contains(output))
                {
                    throw new InvalidDataException($"In {graph.Describe()}, {node.Describe()} produces '{output}', which is also a graph input or initializer.");
                }

                _producers[output] = node;
            }
        }
    }

    /// <summary>The indexed graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The initializers by name.</summary>
    public IReadOnlyDictionary<string, OnnxTensor> Initializers => _initializers;

    /// <summary>The initializer named <paramref name="name"/>, if there is one.</summary>
    public bool TryGetInitializer(string name, [NotNullWhen(true)] out OnnxTensor? tensor) => _initializers.TryGetValue(name, out tensor);

    /// <summary>Whether <paramref name="name"/> is a graph input fed at run time (not an initializer listed among the inputs).</summary>
    public bool IsRuntimeInput(string name) => _inputs.Contains(name);

    /// <summary>The node whose output <paramref name="name"/> is, or <see langword="null"/> for a graph input, an initializer or an unknown name.</summary>
    public OnnxNode? GetProducer(string name) => _producers.GetValueOrDefault(name);

    /// <summary>The nodes that take <paramref name="name"/> as an input, in graph order.</summary>
    public IReadOnlyList<OnnxNode> GetConsumers(string name) => _consumers.TryGetValue(name, out List<OnnxNode>? consumers) ? consumers : [];

    /// <summary>
    /// The constant tensor feeding input <paramref name="inputIndex"/> of <paramref name="node"/>: an initializer or the
    /// value of a Constant node. Throws <see cref="InvalidDataException"/> when the input is missing or unknown, and
    /// <see cref="NotSupportedException"/> when it is computed at run time.
    /// </summary>
    public OnnxTensor GetConstantInput(OnnxNode node, int inputIndex)
    {
        ArgumentNullException.ThrowIfNull(node);
        if ((uint)inputIndex >= (uint)node.Inputs.Count || node.Inputs[inputIndex].Length == 0)
        {
            throw new InvalidDataException($"{node.Describe()} has no input {inputIndex}.");
        }

        string name = node.Inputs[inputIndex];
        if (_initializers.TryGetValue(name, out OnnxTensor? tensor))
        {
            return tensor;
        }

        OnnxNode? producer = GetProducer(name);
        if (producer is not null && producer.OpType == "Constant" && (producer.Domain.Length == 0 || producer.Domain == OnnxModel.DefaultDomainAlias))
        {
            producer.EnsureOnlyAttributes("value");
            return producer.GetTensor("value")
                ?? throw new InvalidDataException($"{producer.Describe()} has no 'value' attribute.");
        }

        if (producer is null && !_inputs.Contains(name))
        {
            throw new InvalidDataException($"{node.Describe()} reads '{name}' (input {inputIndex}), which no node, input or initializer of {Graph.Describe()} provides.");
        }

        throw new NotSupportedException(
            $"{node.Describe()} reads '{name}' (input {inputIndex}), which is computed at run time; it must be an initializer or a Constant.");
    }
}
