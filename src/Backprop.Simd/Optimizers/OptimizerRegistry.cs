using System.Collections.Concurrent;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// Maps optimizer names (<see cref="Optimizer{T}.Name"/>) to the factories that rebuild them from a checkpoint, so that
/// <see cref="Training.TrainingCheckpoint.CreateOptimizer{T}"/> and <see cref="Training.Trainer{T}.Resume"/> can
/// continue with an optimizer of your own. <see cref="Sgd{T}"/> (<c>sgd</c>), <see cref="Adam{T}"/> (<c>adam</c>) and
/// <see cref="RmsProp{T}"/> (<c>rmsprop</c>) are registered from the start; register yours once, before loading a
/// checkpoint that uses it.
/// </summary>
public static class OptimizerRegistry
{
    private static readonly ConcurrentDictionary<string, IOptimizerFactory> s_factories = new(StringComparer.Ordinal)
    {
        [SgdFactory.Name] = SgdFactory.Instance,
        [AdamFactory.Name] = AdamFactory.Instance,
        [RmsPropFactory.Name] = RmsPropFactory.Instance,
    };

    /// <summary>The registered names.</summary>
    public static IReadOnlyCollection<string> Names => [.. s_factories.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Registers the factory of the optimizer named <paramref name="name"/>.</summary>
    /// <param name="name">The optimizer's <see cref="Optimizer{T}.Name"/>.</param>
    /// <param name="factory">Its factory.</param>
    /// <exception cref="ArgumentException">The name is empty, or another factory already has it.</exception>
    public static void Register(string name, IOptimizerFactory factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        IOptimizerFactory registered = s_factories.GetOrAdd(name, factory);
        if (!ReferenceEquals(registered, factory))
        {
            throw new ArgumentException($"An optimizer named '{name}' is registered already ({registered.GetType().Name}).", nameof(name));
        }
    }

    /// <summary>Finds the factory of the optimizer named <paramref name="name"/>.</summary>
    /// <param name="name">The optimizer's name.</param>
    /// <param name="factory">The factory, or null.</param>
    /// <returns>Whether one is registered.</returns>
    public static bool TryGetFactory(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IOptimizerFactory? factory) =>
        s_factories.TryGetValue(name, out factory);
}
