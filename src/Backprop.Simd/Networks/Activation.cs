namespace Backprop.Simd.Networks;

/// <summary>The activation a <see cref="NetworkBuilder{T}"/> puts after a dense layer.</summary>
public enum Activation
{
    /// <summary>None: the dense layer's output is used as is (logits, regression outputs).</summary>
    Identity = 0,

    /// <summary>The logistic sigmoid.</summary>
    Sigmoid = 1,

    /// <summary>The hyperbolic tangent.</summary>
    Tanh = 2,

    /// <summary>The rectified linear unit.</summary>
    Relu = 3,

    /// <summary>The leaky rectified linear unit with slope 0.01.</summary>
    LeakyRelu = 4,

    /// <summary>Row-wise softmax.</summary>
    Softmax = 5,
}
