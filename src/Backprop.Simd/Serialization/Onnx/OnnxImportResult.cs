using System.Numerics;
using Backprop.Simd.Data;
using Backprop.Simd.Networks;

namespace Backprop.Simd.Serialization.Onnx;

/// <summary>What <see cref="OnnxImporter"/> read from an ONNX model: the network, its input standardisation and the model's names.</summary>
/// <typeparam name="T">float or double, the element type the model was imported as.</typeparam>
public sealed class OnnxImportResult<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    internal OnnxImportResult(Network<T> network, Standardizer<T>? normalization, string inputName, string outputName, long opsetVersion, string? producerName, bool logSoftmaxOutput)
    {
        LogSoftmaxOutput = logSoftmaxOutput;
        Network = network;
        Normalization = normalization;
        InputName = inputName;
        OutputName = outputName;
        OpsetVersion = opsetVersion;
        ProducerName = producerName;
    }

    /// <summary>
    /// The layers of the model as a network that predicts and trains like any other. It takes the features after
    /// <see cref="Normalization"/>: apply that first, as the model did. When <see cref="LogSoftmaxOutput"/> is set, it
    /// outputs the logits the model's LogSoftmax takes.
    /// </summary>
    public Network<T> Network { get; }

    /// <summary>
    /// The standardisation the model applies to its input before the first layer (its leading Sub, then Div or Mul, by
    /// constants), or <see langword="null"/> when it has none.
    /// </summary>
    public Standardizer<T>? Normalization { get; }

    /// <summary>
    /// Whether the model ends in LogSoftmax, as PyTorch's classifiers that train with <c>nll_loss</c> do. The network then
    /// ends in the logits before it, and the model's outputs are their log-softmax, which
    /// <c>Kernels.LogSoftmaxRows</c> computes from <see cref="Network"/>'s outputs exactly as the
    /// model does; their softmax gives the class probabilities, and training the network on with
    /// <see cref="Losses.SoftmaxCrossEntropy{T}"/> minimises the loss the model was trained with.
    /// </summary>
    public bool LogSoftmaxOutput { get; }

    /// <summary>The name of the model's input.</summary>
    public string InputName { get; }

    /// <summary>The name of the model's output.</summary>
    public string OutputName { get; }

    /// <summary>The version of the default ONNX operator set the model declares.</summary>
    public long OpsetVersion { get; }

    /// <summary>The tool that wrote the model (e.g. "pytorch"), or <see langword="null"/> when the model does not say.</summary>
    public string? ProducerName { get; }
}
