using Backprop.Simd.Layers;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>
/// One layer read from a graph, before it is created in the element type asked for: its kind and the values of the
/// kind's record fields (as a model file stores them), and for a dense layer its weights [in x out] and bias in double
/// (exact for FLOAT and DOUBLE files), which a following Add or BatchNormalization may still change.
/// </summary>
internal sealed class OnnxImportedLayer(LayerKind kind, OnnxNode node, ulong[] fields)
{
    /// <summary>The kind of layer.</summary>
    public LayerKind Kind { get; } = kind;

    /// <summary>The node the layer came from (for a dense layer, the MatMul or Gemm; for a form of several nodes, its characteristic one).</summary>
    public OnnxNode Node { get; } = node;

    /// <summary>The values of <see cref="LayerKind.FileFields"/>, as in a <see cref="LayerRecord"/>.</summary>
    public ulong[] Fields { get; } = fields;

    /// <summary>A dense layer's input features.</summary>
    public int Inputs { get; init; }

    /// <summary>A dense layer's output features.</summary>
    public int Outputs { get; init; }

    /// <summary>A dense layer's weights, [<see cref="Inputs"/> x <see cref="Outputs"/>] row-major; a folded BatchNormalization scales them.</summary>
    public double[] Weights { get; init; } = [];

    /// <summary>A dense layer's bias, <see cref="Outputs"/> values; a following Add or BatchNormalization changes it.</summary>
    public double[] Bias { get; init; } = [];
}
