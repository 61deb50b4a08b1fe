using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// The ONNX form of each built-in layer kind, one entry per kind: the nodes the exporter writes for a layer, the
/// operator the importer reads as it, and the layer it then creates. The only file of the ONNX module that names
/// concrete layer classes, so that each kind's entry can move into that kind's own description as it stands.
/// </summary>
internal static class OnnxLayerMap
{
    /// <summary>
    /// Export: writes the nodes of <paramref name="layer"/>, named after <paramref name="name"/>; <see langword="false"/>
    /// for a layer with no ONNX form.
    /// </summary>
    public static bool TryWrite<T>(Layer<T> layer, OnnxChainWriter writer, string name)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (layer)
        {
            case Dense<T> dense:
                // W: (In, Out), stored as the layer holds it (transB = 0); b: (Out).
                string weights = writer.Constant($"{name}.weight", [dense.InputSize, dense.OutputSize], dense.Weights.Value.AsSpan());
                writer.Node("Gemm", $"{name}_gemm", [writer.Current, weights, writer.Constant($"{name}.bias", [dense.OutputSize], dense.Bias.Value.AsSpan())]);
                return true;
            case Sigmoid<T>:
                writer.Node("Sigmoid", $"{name}_sigmoid", [writer.Current]);
                return true;
            case Tanh<T>:
                writer.Node("Tanh", $"{name}_tanh", [writer.Current]);
                return true;
            case Relu<T>:
                writer.Node("Relu", $"{name}_relu", [writer.Current]);
                return true;
            case LeakyRelu<T> leaky when typeof(T) == typeof(float):
                writer.Node("LeakyRelu", $"{name}_leaky_relu", [writer.Current], ("alpha", float.CreateTruncating(leaky.Slope), null));
                return true;
            case LeakyRelu<T> leaky:
                // The alpha attribute is a float, and ONNX Runtime has no double LeakyRelu at most opsets: Max(x, slope x)
                // with the slope a double constant is the same function for a slope in [0, 1), exact and runnable everywhere.
                string x = writer.Current;
                writer.Node("Mul", $"{name}_leaky_relu_scale", [x, writer.Constant($"{name}.slope", [], [leaky.Slope])]);
                writer.Node("Max", $"{name}_leaky_relu", [x, writer.Current]);
                return true;
            case Softmax<T>:
                writer.Node("Softmax", $"{name}_softmax", [writer.Current], ("axis", null, 1));
                return true;
            case Dropout<T>:
                // The identity at inference: no node.
                return true;
            default:
                return false;
        }
    }

    /// <summary>Export: whether the network ends in a softmax layer, which takes no appended Softmax.</summary>
    public static bool IsSoftmax<T>(Layer<T> layer)
        where T : unmanaged, IFloatingPointIeee754<T> => layer is Softmax<T>;

    /// <summary>Import: the layer kind of an element-wise activation operator without attributes (Relu, Sigmoid, Tanh).</summary>
    public static bool TryGetActivation(string opType, out OnnxLayerKind kind)
    {
        (bool found, kind) = opType switch
        {
            "Relu" => (true, OnnxLayerKind.Relu),
            "Sigmoid" => (true, OnnxLayerKind.Sigmoid),
            "Tanh" => (true, OnnxLayerKind.Tanh),
            _ => (false, default),
        };
        return found;
    }

    /// <summary>Import: the layer in <typeparamref name="T"/>, taking <paramref name="size"/> features (the previous layer's output).</summary>
    public static Layer<T> Create<T>(OnnxImportedLayer layer, int size)
        where T : unmanaged, IFloatingPointIeee754<T> => layer.Kind switch
        {
            OnnxLayerKind.Dense => new Dense<T>(
                new Matrix<T>(layer.Inputs, layer.Outputs, OnnxConstants.Convert<T>(layer.Weights, layer.Node, "weight")),
                OnnxConstants.Convert<T>(layer.Bias, layer.Node, "bias")),
            OnnxLayerKind.Sigmoid => new Sigmoid<T>(size),
            OnnxLayerKind.Tanh => new Tanh<T>(size),
            OnnxLayerKind.Relu => new Relu<T>(size),
            OnnxLayerKind.LeakyRelu => new LeakyRelu<T>(size, T.CreateTruncating(layer.Slope)),
            OnnxLayerKind.Softmax => new Softmax<T>(size),
            OnnxLayerKind.Gelu => throw NotYetSupported(layer, "GELU"),
            OnnxLayerKind.Silu => throw NotYetSupported(layer, "SiLU"),
            _ => throw new ArgumentOutOfRangeException(nameof(layer), layer.Kind, "Not a layer kind."),
        };

    private static NotSupportedException NotYetSupported(OnnxImportedLayer layer, string activation) =>
        new($"{layer.Node.Describe()}: {activation} is recognised but not yet supported by this version; the network has no {activation} layer.");
}

/// <summary>The kinds of layer an imported graph maps to.</summary>
internal enum OnnxLayerKind
{
    Dense,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Softmax,
    Gelu,
    Silu,
}

/// <summary>
/// One layer read from a graph, before it is created in the element type asked for: a dense layer's weights
/// [in x out] and bias in double (exact for FLOAT and DOUBLE files), or an activation and the node it came from.
/// </summary>
internal sealed class OnnxImportedLayer(OnnxLayerKind kind, OnnxNode node)
{
    /// <summary>The kind of layer.</summary>
    public OnnxLayerKind Kind { get; } = kind;

    /// <summary>The node the layer came from (for a dense layer, the MatMul or Gemm; for a form of several nodes, its characteristic one).</summary>
    public OnnxNode Node { get; } = node;

    /// <summary>A dense layer's input features.</summary>
    public int Inputs { get; init; }

    /// <summary>A dense layer's output features.</summary>
    public int Outputs { get; init; }

    /// <summary>A dense layer's weights, [<see cref="Inputs"/> x <see cref="Outputs"/>] row-major; a folded BatchNormalization scales them.</summary>
    public double[] Weights { get; init; } = [];

    /// <summary>A dense layer's bias, <see cref="Outputs"/> values; a following Add or BatchNormalization changes it.</summary>
    public double[] Bias { get; init; } = [];

    /// <summary>A leaky ReLU's slope.</summary>
    public double Slope { get; init; }
}
