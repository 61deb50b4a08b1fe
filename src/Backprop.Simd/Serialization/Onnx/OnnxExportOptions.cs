using System.Numerics;
using Backprop.Simd.Data;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>How <see cref="OnnxExporter"/> writes a network: its input standardisation, value names, operator set and metadata.</summary>
/// <typeparam name="T">float or double, the network's element type.</typeparam>
public sealed class OnnxExportOptions<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// The standardisation the network's inputs went through in training, or <see langword="null"/> (the default) for
    /// none. It is written in front of the first layer as <c>Sub(mean)</c> then <c>Mul(1 / standard deviation)</c>,
    /// exactly the arithmetic <see cref="Standardizer{T}.Transform(ReadOnlySpan{T}, Span{T})"/> does, with a factor
    /// of 0 for a constant column. (A <c>Div</c> by the standard deviation could not express constant columns, which
    /// map to 0, and folding into the first layer's weights would round differently and lose the standardizer on
    /// import.) The exported model then takes raw, unstandardised features.
    /// </summary>
    public Standardizer<T>? Normalization { get; set; }

    /// <summary>The name of the graph input, [batch x features]; "input" by default.</summary>
    public string InputName { get; set; } = "input";

    /// <summary>The name of the graph output, [batch x outputs]; "output" by default.</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>The version of the default ONNX operator set to declare, from 13 to 23; 17 by default.</summary>
    public int OpsetVersion { get; set; } = 17;

    /// <summary>
    /// Whether to end the graph with a Softmax over the outputs, for a network that ends in logits (a classifier
    /// trained with a fused softmax cross-entropy loss), so that the model outputs probabilities. A network that already
    /// ends in a softmax layer cannot take a second one.
    /// </summary>
    public bool AppendSoftmax { get; set; }

    /// <summary>The producer name written into the model, or <see langword="null"/> for "Backprop.Simd".</summary>
    public string? ProducerName { get; set; }

    /// <summary>Documentation written into the model (its doc_string), or <see langword="null"/> for none.</summary>
    public string? DocString { get; set; }
}
