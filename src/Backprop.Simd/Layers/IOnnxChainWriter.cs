using System.Numerics;

namespace Backprop.Simd.Layers;

/// <summary>
/// What a layer kind writes its ONNX form through (<see cref="LayerKind.WriteOnnx"/>): nodes, each taking the data the
/// one before gave, and constants of the network's element type. The ONNX exporter implements it, so that a kind
/// declares its ONNX form beside its layer while <c>Layers/</c> knows nothing of the ONNX file.
/// </summary>
internal interface IOnnxChainWriter
{
    /// <summary>The default-domain opset being written: an operator added later (such as Gelu, at 20) is written only from its opset on.</summary>
    int Opset { get; }

    /// <summary>The data the chain has reached: the output of the last node, or the graph input.</summary>
    string Current { get; }

    /// <summary>Adds a constant holding <paramref name="values"/> (row-major, stored in the network's element type) and returns its name.</summary>
    string Constant<T>(string name, long[] dims, ReadOnlySpan<T> values)
        where T : unmanaged, IFloatingPointIeee754<T>;

    /// <summary>Adds node <paramref name="name"/> computing <paramref name="opType"/>(<paramref name="inputs"/>), with at most one float or int attribute; its output becomes <see cref="Current"/>.</summary>
    void Node(string opType, string name, string[] inputs, (string Name, float? F, long? I)? attribute = null);
}
