using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Serialization;

/// <summary>One layer as the architecture section stores it: its kind, sizes and the hyperparameter of its kind.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="InputSize">Features in.</param>
/// <param name="OutputSize">Features out (the input size for all kinds but Dense).</param>
/// <param name="Slope">LeakyReLU's slope, else 0.</param>
/// <param name="Rate">Dropout's rate, else 0.</param>
/// <param name="Key">Dropout's key, else 0.</param>
internal readonly record struct LayerRecord(LayerKind Kind, int InputSize, int OutputSize, double Slope = 0, double Rate = 0, ulong Key = 0)
{
    /// <summary>The weights and bias of a Dense layer; 0 for the rest.</summary>
    public long ParameterCount => Kind == LayerKind.Dense ? ((long)InputSize * OutputSize) + OutputSize : 0;

    /// <summary>The record of a built-in layer.</summary>
    /// <exception cref="ArgumentException">A layer type the format does not know (a user's own layer).</exception>
    public static LayerRecord From<T>(Layer<T> layer, int index)
        where T : unmanaged, IFloatingPointIeee754<T> => layer switch
        {
            Dense<T> => new(LayerKind.Dense, layer.InputSize, layer.OutputSize),
            Sigmoid<T> => new(LayerKind.Sigmoid, layer.InputSize, layer.OutputSize),
            Tanh<T> => new(LayerKind.Tanh, layer.InputSize, layer.OutputSize),
            Relu<T> => new(LayerKind.Relu, layer.InputSize, layer.OutputSize),
            LeakyRelu<T> leaky => new(LayerKind.LeakyRelu, layer.InputSize, layer.OutputSize, Slope: double.CreateChecked(leaky.Slope)),
            Softmax<T> => new(LayerKind.Softmax, layer.InputSize, layer.OutputSize),
            Dropout<T> dropout => new(LayerKind.Dropout, layer.InputSize, layer.OutputSize, Rate: dropout.Rate, Key: dropout.Key),
            _ => throw new ArgumentException(
                $"Layer {index} ({layer.Description}, a {layer.GetType().Name}) cannot be saved: a model file stores only the built-in layers Dense, Sigmoid, Tanh, ReLU, LeakyReLU, Softmax and Dropout."),
        };

    /// <summary>The layer, with zero weights for Dense (the parameter section fills them).</summary>
    public Layer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
        {
            LayerKind.Dense => new Dense<T>(new Matrix<T>(InputSize, OutputSize), new T[OutputSize]),
            LayerKind.Sigmoid => new Sigmoid<T>(InputSize),
            LayerKind.Tanh => new Tanh<T>(InputSize),
            LayerKind.Relu => new Relu<T>(InputSize),
            LayerKind.LeakyRelu => new LeakyRelu<T>(InputSize, T.CreateTruncating(Slope)),
            LayerKind.Softmax => new Softmax<T>(InputSize),
            LayerKind.Dropout => new Dropout<T>(InputSize, Rate, Key),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown layer kind."),
        };

    /// <summary>The layer's <see cref="Layer{T}.Description"/>, without allocating a Dense layer's weights.</summary>
    public string Describe<T>()
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Kind == LayerKind.Dense ? Dense<T>.Describe(InputSize, OutputSize) : Create<T>().Description;
}
