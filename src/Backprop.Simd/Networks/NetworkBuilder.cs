using System.Numerics;
using Backprop.Simd.Layers;
using Backprop.Simd.Numerics;

namespace Backprop.Simd.Networks;

/// <summary>
/// Builds a <see cref="Network{T}"/> layer by layer, each new layer taking the previous one's output size:
/// <code>
/// Network&lt;float&gt; net = Network&lt;float&gt;.Create(inputSize: 784, seed: 42)
///     .Dense(256, Activation.Relu)
///     .Dense(128, Activation.Relu)
///     .Dense(10)
///     .Build();
/// </code>
/// </summary>
/// <typeparam name="T">float or double.</typeparam>
public sealed class NetworkBuilder<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly List<Layer<T>> _layers = [];
    private readonly SeededRandom _random;
    private readonly ulong _seed;
    private int _size;

    internal NetworkBuilder(int inputSize, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputSize);
        _size = inputSize;
        _seed = seed;
        _random = new SeededRandom(seed);
    }

    /// <summary>Adds a dense layer of <paramref name="units"/> outputs, optionally followed by an activation.</summary>
    /// <param name="units">The number of outputs.</param>
    /// <param name="activation">The activation after it; null for <see cref="Activation.Identity"/>.</param>
    /// <param name="initialization">The initialisation; by default the activation's <see cref="Activation.DefaultInitialization"/> (He for ReLU-like activations, Glorot otherwise).</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Dense(int units, Activation? activation = null, WeightInitialization? initialization = null)
    {
        // Checked before the layer is added (and the random stream drawn from), so a failed call changes nothing.
        if (initialization is { } given && !Enum.IsDefined(given))
        {
            throw new ArgumentOutOfRangeException(nameof(initialization), given, "Unknown weight initialisation.");
        }

        activation ??= Activation.Identity;
        Add(new Dense<T>(_size, units, initialization ?? activation.DefaultInitialization, _random));
        return activation.CreateLayer<T>(_size) is { } layer ? Add(layer) : this;
    }

    /// <summary>Adds a sigmoid.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Sigmoid() => Add(new Sigmoid<T>(_size));

    /// <summary>Adds a tanh.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Tanh() => Add(new Tanh<T>(_size));

    /// <summary>Adds a ReLU.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Relu() => Add(new Relu<T>(_size));

    /// <summary>Adds a leaky ReLU.</summary>
    /// <param name="slope">The slope for negative inputs.</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> LeakyRelu(double slope = LeakyReluKind.DefaultSlope) => Add(new LeakyRelu<T>(_size, T.CreateChecked(slope)));

    /// <summary>Adds a row-wise softmax.</summary>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Softmax() => Add(new Softmax<T>(_size));

    /// <summary>Adds inverted dropout.</summary>
    /// <param name="rate">The drop probability, in [0, 1).</param>
    /// <returns>This builder.</returns>
    public NetworkBuilder<T> Dropout(double rate) => Add(new Dropout<T>(_size, rate, StreamKey.Mix(_seed, (ulong)_layers.Count)));

    /// <summary>Adds any layer; its input size must be the current output size.</summary>
    /// <param name="layer">The layer.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">The layer's input size does not match.</exception>
    public NetworkBuilder<T> Add(Layer<T> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer.InputSize != _size)
        {
            throw new ArgumentException($"{layer.Description} takes {layer.InputSize} inputs but the previous layer gives {_size}.", nameof(layer));
        }

        _layers.Add(layer);
        _size = layer.OutputSize;
        return this;
    }

    /// <summary>Creates the network.</summary>
    /// <returns>The network.</returns>
    /// <exception cref="InvalidOperationException">No layer was added.</exception>
    public Network<T> Build() => _layers.Count == 0
        ? throw new InvalidOperationException("A network needs at least one layer.")
        : new Network<T>(_layers);
}
