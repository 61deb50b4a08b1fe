using System.Diagnostics;
using System.Globalization;
using System.Numerics;

namespace Backprop.Simd.Optimizers;

/// <summary>
/// An optimizer without its element type, as the optimizer itself describes it: its <see cref="Optimizer{T}.Name"/>,
/// base learning rate, named <see cref="Optimizer{T}.Hyperparameters"/>, state values per parameter, step count and
/// state, so that a non-generic checkpoint can hold it and the factory registered under the name can rebuild an
/// identical <see cref="Optimizer{T}"/>.
/// </summary>
/// <remarks>
/// The state is kept as the array it came from (float[] or double[]), not widened, so a checkpoint costs no more
/// memory than the optimizer.
/// </remarks>
internal sealed class OptimizerSnapshot
{
    private readonly Array _state;

    /// <summary>A snapshot; arguments are trusted (taken from an optimizer, or checked by the reader).</summary>
    public OptimizerSnapshot(string name, double learningRate, IReadOnlyList<KeyValuePair<string, double>> hyperparameters, int statePerParameter, long stepCount, Array state)
    {
        Name = name;
        LearningRate = learningRate;
        Hyperparameters = hyperparameters;
        StatePerParameter = statePerParameter;
        StepCount = stepCount;
        _state = state;
    }

    public string Name { get; }

    public double LearningRate { get; }

    public IReadOnlyList<KeyValuePair<string, double>> Hyperparameters { get; }

    /// <summary>The state values the optimizer keeps per parameter.</summary>
    public int StatePerParameter { get; }

    public long StepCount { get; }

    /// <summary>The number of state values (0 before the first step or for plain SGD).</summary>
    public int StateLength => _state.Length;

    /// <summary>This snapshot with another state array (taken over, not copied).</summary>
    public OptimizerSnapshot WithState(Array state) => new(Name, LearningRate, Hyperparameters, StatePerParameter, StepCount, state);

    /// <summary>This snapshot with another base learning rate (the state array shared).</summary>
    public OptimizerSnapshot WithLearningRate(double learningRate) => new(Name, learningRate, Hyperparameters, StatePerParameter, StepCount, _state);

    /// <summary>Captures <paramref name="optimizer"/>: a copy of its state, so later steps do not change the snapshot.</summary>
    public static OptimizerSnapshot Capture<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        new(optimizer.Name, optimizer.LearningRate, [.. optimizer.Hyperparameters], optimizer.StatePerParameter, optimizer.StepCount, optimizer.State.ToArray());

    /// <summary>The state values in <typeparamref name="T"/>: the array itself when the types match, else a converted copy.</summary>
    public T[] GetState<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        return _state switch
        {
            T[] same => same,
            float[] single => Convert(single),
            double[] wide => Convert(wide),
            _ => throw new UnreachableException($"Optimizer state of type {_state.GetType().Name}."),
        };

        static T[] Convert<TFrom>(TFrom[] source)
            where TFrom : unmanaged, IFloatingPointIeee754<TFrom>
        {
            var result = new T[source.Length];
            for (int i = 0; i < source.Length; i++)
            {
                result[i] = T.CreateTruncating(source[i]);
            }

            return result;
        }
    }

    /// <summary>A new optimizer with these hyperparameters, step count and (a copy of the) state, from the factory registered under <see cref="Name"/>.</summary>
    /// <exception cref="InvalidOperationException">No factory is registered under the name, or it built an optimizer of another name or state size.</exception>
    /// <exception cref="ArgumentException">A hyperparameter is missing, unknown or out of range, or the state does not fit.</exception>
    public Optimizer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Optimizer<T> optimizer = CreateWithoutState<T>();
        optimizer.RestoreState(GetState<T>(), StepCount);
        return optimizer;
    }

    /// <summary>
    /// The description the rebuilt optimizer gives, for example <c>Adam(lr 0.001, β₁ 0.9, β₂ 0.999, ε 1E-08)</c>; for
    /// an optimizer whose factory is not registered here, its name and values.
    /// </summary>
    /// <exception cref="ArgumentException">A registered optimizer's hyperparameter is missing, unknown or out of range.</exception>
    /// <exception cref="InvalidOperationException">The registered factory built an optimizer of another name or state size.</exception>
    public string Describe() => OptimizerRegistry.TryGetFactory(Name, out _)
        ? CreateWithoutState<double>().Description
        : string.Create(CultureInfo.InvariantCulture, $"{Name}(lr {LearningRate}{string.Concat(Hyperparameters.Select(h => string.Create(CultureInfo.InvariantCulture, $", {h.Key} {h.Value}")))})");

    /// <summary>A new optimizer with these hyperparameters and no state, from the factory registered under <see cref="Name"/>.</summary>
    /// <exception cref="InvalidOperationException">No factory is registered under the name, or it built an optimizer of another name or state size.</exception>
    public Optimizer<T> CreateWithoutState<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!OptimizerRegistry.TryGetFactory(Name, out IOptimizerFactory? factory))
        {
            throw new InvalidOperationException($"The checkpoint's optimizer '{Name}' is not registered: call OptimizerRegistry.Register(\"{Name}\", factory) before resuming (registered: {string.Join(", ", OptimizerRegistry.Names)}).");
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach ((string key, double value) in Hyperparameters)
        {
            values.Add(key, value);
        }

        Optimizer<T> optimizer = factory.Create<T>(LearningRate, values);
        if (optimizer.Name != Name || optimizer.StatePerParameter != StatePerParameter)
        {
            throw new InvalidOperationException($"The factory registered for '{Name}' built {optimizer.Description}, named '{optimizer.Name}' with {optimizer.StatePerParameter} state values per parameter, but the checkpoint holds '{Name}' with {StatePerParameter}.");
        }

        return optimizer;
    }
}
