namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Builds small graphs by hand for the importer's tests: an input "x" [N x features] of FLOAT or DOUBLE, constants
/// with seeded random values (in raw_data or the typed field), nodes chained by name, and an output "y".
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Random _random;
    private int _nodes;

    public OnnxGraphBuilder(int features, ProtoDataType type = ProtoDataType.Float, int seed = 7)
    {
        Type = type;
        _random = new Random(seed);
        Graph.Inputs.Add(ValueInfoProto.CreateTensor("x", type, "N", (long)features));
    }

    public GraphProto Graph { get; } = new() { Name = "forms" };

    public ProtoDataType Type { get; }

    /// <summary>The values of each constant as stored (rounded to float in a FLOAT graph).</summary>
    public Dictionary<string, double[]> Values { get; } = [];

    /// <summary>Adds an initializer of the graph's type; random values in [-1, 1] unless given.</summary>
    public string Constant(string name, long[] dims, bool raw = true, double[]? values = null)
    {
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        values ??= [.. Enumerable.Range(0, count).Select(_ => Math.Round((2 * _random.NextDouble()) - 1, 4))];
        Graph.Initializers.Add(Type == ProtoDataType.Double
            ? TensorProto.Create(name, dims, values, raw)
            : TensorProto.Create(name, dims, values.Select(v => (float)v).ToArray(), raw));
        Values[name] = Type == ProtoDataType.Double ? values : [.. values.Select(v => (double)(float)v)];
        return name;
    }

    /// <summary>Adds an INT64 initializer, such as a Reshape's target shape.</summary>
    public string Integers(string name, params long[] values)
    {
        Graph.Initializers.Add(TensorProto.Create(name, [values.Length], values));
        return name;
    }

    /// <summary>Adds node "{op}{n}" with the given inputs and returns its output's name.</summary>
    public string Node(string op, string[] inputs, params AttributeProto[] attributes)
    {
        string name = $"{op.ToLowerInvariant()}{_nodes++}";
        Graph.Nodes.Add(NodeProto.Create(op, name, inputs, [name + "_out"], attributes));
        return name + "_out";
    }

    /// <summary>The model whose output "y" is the value <paramref name="last"/>, [N x <paramref name="width"/>].</summary>
    public ModelProto Model(string last, int width, long opset = 13)
    {
        Graph.Nodes.Single(n => n.Outputs.Contains(last)).Outputs[0] = "y";
        Graph.Outputs.Add(ValueInfoProto.CreateTensor("y", Type, "N", (long)width));
        return OnnxTestModels.Wrap(Graph, opset);
    }
}
