using Backprop.Simd.Serialization.Onnx;

namespace Backprop.Simd.Tests.Onnx;

/// <summary>
/// Builds small graphs by hand for the importer's tests: an input "x" [N x features] of FLOAT or DOUBLE, constants
/// with seeded random values (in raw_data or the typed field), nodes chained by name, and an output "y".
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly Random _random;
    private int _nodes;

    public OnnxGraphBuilder(int features, OnnxDataType type = OnnxDataType.Float, int seed = 7)
    {
        Type = type;
        _random = new Random(seed);
        Graph.Inputs.Add(OnnxValueInfo.CreateTensor("x", type, OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(features)));
    }

    public OnnxGraph Graph { get; } = new() { Name = "forms" };

    public OnnxDataType Type { get; }

    /// <summary>Adds an initializer of the graph's type; random values in [-1, 1] unless given.</summary>
    public string Constant(string name, long[] dims, bool raw = true, double[]? values = null)
    {
        int count = (int)dims.Aggregate(1L, (a, b) => a * b);
        values ??= [.. Enumerable.Range(0, count).Select(_ => Math.Round((2 * _random.NextDouble()) - 1, 4))];
        Graph.Initializers.Add(Type == OnnxDataType.Double
            ? OnnxTensor.Create(name, dims, values, raw)
            : OnnxTensor.Create(name, dims, values.Select(v => (float)v).ToArray(), raw));
        return name;
    }

    /// <summary>Adds node "{op}{n}" with the given inputs and returns its output's name.</summary>
    public string Node(string op, string[] inputs, params OnnxAttribute[] attributes)
    {
        string name = $"{op.ToLowerInvariant()}{_nodes++}";
        Graph.Nodes.Add(OnnxNode.Create(op, name, inputs, [name + "_out"], attributes));
        return name + "_out";
    }

    /// <summary>The model whose output "y" is the value <paramref name="last"/>, [N x <paramref name="width"/>].</summary>
    public OnnxModel Model(string last, int width, long opset = 13)
    {
        Graph.Nodes.Single(n => n.Outputs.Contains(last)).Outputs[0] = "y";
        Graph.Outputs.Add(OnnxValueInfo.CreateTensor("y", Type, OnnxDimension.Symbolic("N"), OnnxDimension.Fixed(width)));
        return OnnxTestModels.Wrap(Graph, opset);
    }
}
