using System.Globalization;
using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>The kinds of layer an imported graph maps to.</summary>
internal enum OnnxLayerKind
{
    Dense,
    Sigmoid,
    Tanh,
    Relu,
    LeakyRelu,
    Softmax,
}

/// <summary>
/// One layer read from a graph, before it is created in the element type asked for: a dense layer's weights
/// [in x out] and bias in double (exact for FLOAT and DOUBLE files), or an activation and the node it came from.
/// </summary>
internal sealed class OnnxImportedLayer
{
    private OnnxImportedLayer(OnnxLayerKind kind, OnnxNode node)
    {
        Kind = kind;
        Node = node;
    }

    public OnnxLayerKind Kind { get; }

    /// <summary>The node the layer came from (for a dense layer, the MatMul or Gemm).</summary>
    public OnnxNode Node { get; }

    /// <summary>A dense layer's input features.</summary>
    public int Inputs { get; private init; }

    /// <summary>A dense layer's output features.</summary>
    public int Outputs { get; private init; }

    /// <summary>A dense layer's weights, [<see cref="Inputs"/> x <see cref="Outputs"/>] row-major.</summary>
    public double[] Weights { get; private init; } = [];

    /// <summary>A dense layer's bias, <see cref="Outputs"/> values; a following Add adds to it.</summary>
    public double[] Bias { get; private init; } = [];

    /// <summary>A leaky ReLU's slope as the file stores it, a float.</summary>
    public float Slope { get; private init; }

    public static OnnxImportedLayer Dense(OnnxNode node, int inputs, int outputs, double[] weights, double[] bias) =>
        new(OnnxLayerKind.Dense, node) { Inputs = inputs, Outputs = outputs, Weights = weights, Bias = bias };

    public static OnnxImportedLayer Activation(OnnxLayerKind kind, OnnxNode node, float slope = 0) =>
        new(kind, node) { Slope = slope };

    /// <summary>The layer in <typeparamref name="T"/>, taking <paramref name="size"/> features (the previous layer's output).</summary>
    public Layer<T> Create<T>(int size)
        where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
        {
            OnnxLayerKind.Dense => new Dense<T>(
                new Matrix<T>(Inputs, Outputs, OnnxConstants.Convert<T>(Weights, Node, "weight")),
                OnnxConstants.Convert<T>(Bias, Node, "bias")),
            OnnxLayerKind.Sigmoid => new Sigmoid<T>(size),
            OnnxLayerKind.Tanh => new Tanh<T>(size),
            OnnxLayerKind.Relu => new Relu<T>(size),
            // The shortest decimal that rounds to the float slope (0.01f → 0.01): exact for float, and for double the
            // slope the model was most likely written with, rather than the float's binary expansion 0.009999999776.
            OnnxLayerKind.LeakyRelu => new LeakyRelu<T>(size, T.Parse(Slope.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture)),
            _ => new Softmax<T>(size),
        };
}
