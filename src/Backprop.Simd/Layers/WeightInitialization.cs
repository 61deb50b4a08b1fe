namespace Backprop.Simd.Layers;

/// <summary>How a <see cref="Dense{T}"/> layer's parameters start.</summary>
public enum WeightInitialization
{
    /// <summary>Glorot (Xavier) uniform weights, ±sqrt(6 / (in + out)); zero biases. Suits sigmoid and tanh.</summary>
    GlorotUniform = 0,

    /// <summary>He (Kaiming) normal weights, standard deviation sqrt(2 / in); zero biases. Suits ReLU.</summary>
    HeNormal = 1,

    /// <summary>Weights and biases uniform in (-1, 1), as the original notebook initialises them.</summary>
    UniformUnit = 2,

    /// <summary>
    /// Weights and biases uniform in ±1/sqrt(in): the default of PyTorch's <c>nn.Linear</c> (its Kaiming uniform with
    /// a = √5), for reproducing a PyTorch recipe.
    /// </summary>
    FanInUniform = 3,
}
