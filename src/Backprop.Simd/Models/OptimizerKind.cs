namespace Backprop.Simd.Models;

/// <summary>The optimizer an <see cref="MlpClassifier{T}"/> trains with.</summary>
public enum OptimizerKind
{
    /// <summary>Stochastic gradient descent, with <see cref="MlpClassifierOptions.Momentum"/> (0 for plain SGD).</summary>
    Sgd = 0,

    /// <summary>SGD with Nesterov momentum.</summary>
    Nesterov = 1,

    /// <summary>Adam.</summary>
    Adam = 2,

    /// <summary>Adam with decoupled weight decay (<see cref="MlpClassifierOptions.WeightDecay"/>).</summary>
    AdamW = 3,
}
