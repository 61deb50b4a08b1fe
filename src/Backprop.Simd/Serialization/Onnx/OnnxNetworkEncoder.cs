using System.Numerics;
using System.Runtime.InteropServices;
using Backprop.Simd.Data;
using Backprop.Simd.Layers;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// Builds the ONNX model of a network: a chain input → [Sub → Mul] → one node per layer → [Softmax] → output, with
/// [batch x features] values whose batch dimension is the symbolic "batch". A dense layer becomes
/// <c>Gemm(x, W, b)</c> with W stored as the layer holds it, [in x out], so no value is transposed or rounded.
/// Dropout, the identity at inference, writes no node.
/// </summary>
internal static class OnnxNetworkEncoder
{
    /// <summary>The producer name written when the options give none.</summary>
    public const string DefaultProducerName = "Backprop.Simd";

    private const string BatchDimension = "batch";

    /// <summary>The model of <paramref name="network"/>; throws for invalid options or a layer ONNX export does not know.</summary>
    public static OnnxModel Build<T>(Network<T> network, OnnxExportOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Validate(network, options);
        OnnxDataType type = typeof(T) == typeof(float) ? OnnxDataType.Float : OnnxDataType.Double;
        var graph = new OnnxGraph { Name = "network" };
        var chain = new Chain(graph, options.InputName);
        if (options.Normalization is Standardizer<T> normalization)
        {
            graph.Initializers.Add(Tensor("normalization.mean", [network.InputSize], normalization.Mean));
            chain.Add("Sub", "normalization_sub", ["normalization.mean"]);
            graph.Initializers.Add(Tensor("normalization.scale", [network.InputSize], normalization.Scale));
            chain.Add("Mul", "normalization_mul", ["normalization.scale"]);
        }

        for (int i = 0; i < network.Layers.Count; i++)
        {
            AddLayer(chain, graph, network.Layers[i], $"layer{i}");
        }

        if (options.AppendSoftmax)
        {
            chain.Add("Softmax", "softmax", [], OnnxAttribute.FromInt("axis", 1));
        }

        chain.Finish(options.OutputName);
        CheckNames(graph, options);
        graph.Inputs.Add(OnnxValueInfo.CreateTensor(options.InputName, type, OnnxDimension.Symbolic(BatchDimension), OnnxDimension.Fixed(network.InputSize)));
        graph.Outputs.Add(OnnxValueInfo.CreateTensor(options.OutputName, type, OnnxDimension.Symbolic(BatchDimension), OnnxDimension.Fixed(network.OutputSize)));

        var model = new OnnxModel
        {
            IrVersion = OnnxOpsets.IrVersion(options.OpsetVersion),
            ProducerName = options.ProducerName ?? DefaultProducerName,
            ProducerVersion = typeof(OnnxNetworkEncoder).Assembly.GetName().Version?.ToString(3) ?? "",
            DocString = options.DocString ?? "",
            Graph = graph,
        };
        model.OpsetImports.Add(new OnnxOperatorSetId { Domain = "", Version = options.OpsetVersion });
        return model;
    }

    private static void Validate<T>(Network<T> network, OnnxExportOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (options.OpsetVersion is < OnnxOpsets.OldestExport or > OnnxOpsets.Newest)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.OpsetVersion, $"OpsetVersion must be from {OnnxOpsets.OldestExport} to {OnnxOpsets.Newest}.");
        }

        if (string.IsNullOrEmpty(options.InputName) || string.IsNullOrEmpty(options.OutputName))
        {
            throw new ArgumentException("InputName and OutputName must not be empty.", nameof(options));
        }

        if (options.InputName == options.OutputName)
        {
            throw new ArgumentException($"InputName and OutputName are both '{options.InputName}'; they must differ.", nameof(options));
        }

        // ONNX strings are UTF-8: a lone surrogate has no encoding. Named here, where the option is known.
        foreach ((string name, string? value) in (ReadOnlySpan<(string, string?)>)[("InputName", options.InputName), ("OutputName", options.OutputName), ("ProducerName", options.ProducerName), ("DocString", options.DocString)])
        {
            int index = value is null ? -1 : LoneSurrogate(value);
            if (index >= 0)
            {
                throw new ArgumentException($"{name} has a lone UTF-16 surrogate at index {index}, which UTF-8 (and so ONNX) cannot encode.", nameof(options));
            }
        }

        if (options.Normalization is { } normalization && normalization.FeatureCount != network.InputSize)
        {
            throw new ArgumentException(
                $"The normalization has {normalization.FeatureCount} columns but the network takes {network.InputSize} inputs.", nameof(options));
        }

        if (options.AppendSoftmax && network.Layers[^1] is Softmax<T>)
        {
            throw new ArgumentException("AppendSoftmax is set but the network already ends in a softmax layer.", nameof(options));
        }
    }

    private static void AddLayer<T>(Chain chain, OnnxGraph graph, Layer<T> layer, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Dense<T> dense:
                // W: (In, Out), used as is (transB = 0); b: (Out).
                graph.Initializers.Add(Tensor($"{name}.weight", [dense.InputSize, dense.OutputSize], dense.Weights.Value.AsSpan()));
                graph.Initializers.Add(Tensor($"{name}.bias", [dense.OutputSize], dense.Bias.Value.AsSpan()));
                chain.Add("Gemm", $"{name}_gemm", [$"{name}.weight", $"{name}.bias"]);
                break;
            case Sigmoid<T>:
                chain.Add("Sigmoid", $"{name}_sigmoid", []);
                break;
            case Tanh<T>:
                chain.Add("Tanh", $"{name}_tanh", []);
                break;
            case Relu<T>:
                chain.Add("Relu", $"{name}_relu", []);
                break;
            case LeakyRelu<T> leaky:
                // ONNX stores the slope as a float attribute; a double slope is rounded to float here.
                chain.Add("LeakyRelu", $"{name}_leaky_relu", [], OnnxAttribute.FromFloat("alpha", float.CreateTruncating(leaky.Slope)));
                break;
            case Softmax<T>:
                chain.Add("Softmax", $"{name}_softmax", [], OnnxAttribute.FromInt("axis", 1));
                break;
            case Dropout<T>:
                break;
            default:
                throw new NotSupportedException(
                    $"{name} ({layer.Description}, a {layer.GetType().Name}) has no ONNX form; supported are Dense, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax and Dropout.");
        }
    }

    /// <summary>The index of the first surrogate not part of a pair, or −1.</summary>
    private static int LoneSurrogate(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static void CheckNames<T>(OnnxGraph graph, OnnxExportOptions<T> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Every value but the graph output: the weights and the intermediate results.
        var inner = new HashSet<string>(graph.Initializers.Select(t => t.Name), StringComparer.Ordinal);
        inner.UnionWith(graph.Nodes.Take(graph.Nodes.Count - 1).Select(n => n.Outputs[0]));
        foreach (string name in (string[])[options.InputName, options.OutputName])
        {
            if (inner.Contains(name))
            {
                throw new ArgumentException($"The name '{name}' is also used inside the exported graph; choose another input or output name.", nameof(options));
            }
        }
    }

    private static OnnxTensor Tensor<T>(string name, long[] dims, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float)
            ? OnnxTensor.Create(name, dims, MemoryMarshal.Cast<T, float>(values))
            : OnnxTensor.Create(name, dims, MemoryMarshal.Cast<T, double>(values));

    /// <summary>The nodes being chained: each takes the previous one's output as its first input.</summary>
    private sealed class Chain(OnnxGraph graph, string input)
    {
        private string _value = input;

        /// <summary>Adds node <paramref name="name"/> computing opType(previous value, <paramref name="constants"/>...).</summary>
        public void Add(string opType, string name, string[] constants, OnnxAttribute? attribute = null)
        {
            string output = name + "_output";
            graph.Nodes.Add(OnnxNode.Create(opType, name, [_value, .. constants], [output], attribute is null ? [] : [attribute]));
            _value = output;
        }

        /// <summary>Names the last node's output <paramref name="output"/>; a graph without nodes gets one Identity.</summary>
        public void Finish(string output)
        {
            if (graph.Nodes.Count == 0)
            {
                graph.Nodes.Add(OnnxNode.Create("Identity", "identity", [_value], [output]));
                return;
            }

            graph.Nodes[^1].Outputs[0] = output;
        }
    }
}
