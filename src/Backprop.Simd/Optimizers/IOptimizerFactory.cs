using System.Numerics;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// Builds an optimizer from what a checkpoint stores of it: its base learning rate and its named hyperparameters
/// (<see cref="Optimizer{T}.Hyperparameters"/>). Register one per optimizer name with <see cref="OptimizerRegistry"/>.
/// </summary>
public interface IOptimizerFactory
{
    /// <summary>A new optimizer without state.</summary>
    /// <param name="learningRate">The base learning rate.</param>
    /// <param name="hyperparameters">The hyperparameters by name, as the optimizer listed them.</param>
    /// <typeparam name="T">float or double.</typeparam>
    /// <returns>The optimizer.</returns>
    /// <exception cref="ArgumentException">A hyperparameter is missing, unknown or out of range.</exception>
    Optimizer<T> Create<T>(double learningRate, IReadOnlyDictionary<string, double> hyperparameters)
        where T : unmanaged, IFloatingPointIeee754<T>;
}
