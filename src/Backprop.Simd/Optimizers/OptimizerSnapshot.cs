using System.Diagnostics;
using System.Numerics;

namespace Backprop.Simd.Optimizers;

/// <summary>Which optimizer a <see cref="OptimizerSnapshot"/> describes (the codes are stored in model files).</summary>
internal enum OptimizerSnapshotKind : byte
{
    /// <summary><see cref="Sgd{T}"/>, plain, with momentum or Nesterov.</summary>
    Sgd = 1,

    /// <summary><see cref="Adam{T}"/>, with or without decoupled weight decay.</summary>
    Adam = 2,
}

/// <summary>
/// An optimizer without its element type: kind, hyperparameters, base learning rate, step count and state, so a
/// non-generic checkpoint can hold it and rebuild an identical <see cref="Optimizer{T}"/>.
/// </summary>
/// <remarks>
/// The state is kept as the array it came from (float[] or double[]), not widened, so a checkpoint costs no more
/// memory than the optimizer. Only <see cref="Sgd{T}"/> and <see cref="Adam{T}"/> exist: <see cref="Optimizer{T}"/>
/// has an internal abstract member, so no other assembly can derive from it.
/// </remarks>
internal sealed class OptimizerSnapshot
{
    private readonly Array _state;

    /// <summary>A snapshot of hyperparameters and state; arguments are trusted (validated by the caller or by <see cref="Create{T}"/>).</summary>
    public OptimizerSnapshot(OptimizerSnapshotKind kind, double learningRate, double momentum, bool nesterov, double beta1, double beta2, double epsilon, double weightDecay, long stepCount, Array state)
    {
        Kind = kind;
        LearningRate = learningRate;
        Momentum = momentum;
        Nesterov = nesterov;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        StepCount = stepCount;
        _state = state;
    }

    public OptimizerSnapshotKind Kind { get; }

    public double LearningRate { get; }

    public double Momentum { get; }

    public bool Nesterov { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    public long StepCount { get; }

    /// <summary>The number of state values (0 before the first step or for plain SGD).</summary>
    public int StateLength => _state.Length;

    /// <summary>The state values the optimizer keeps per parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public int StatePerParameter => CreateWithoutState<double>().StatePerParameter;

    /// <summary>This snapshot with another state array (taken over, not copied).</summary>
    public OptimizerSnapshot WithState(Array state) =>
        new(Kind, LearningRate, Momentum, Nesterov, Beta1, Beta2, Epsilon, WeightDecay, StepCount, state);

    /// <summary>Captures <paramref name="optimizer"/>: a copy of its state, so later steps do not change the snapshot.</summary>
    public static OptimizerSnapshot Capture<T>(Optimizer<T> optimizer)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] state = optimizer.State.ToArray();
        return optimizer switch
        {
            Sgd<T> sgd => new(OptimizerSnapshotKind.Sgd, sgd.LearningRate, sgd.Momentum, sgd.Nesterov, 0, 0, 0, 0, sgd.StepCount, state),
            Adam<T> adam => new(OptimizerSnapshotKind.Adam, adam.LearningRate, 0, false, adam.Beta1, adam.Beta2, adam.Epsilon, adam.WeightDecay, adam.StepCount, state),
            _ => throw new UnreachableException($"Unknown optimizer {optimizer.GetType().Name}; only Sgd and Adam can derive from Optimizer<T>."),
        };
    }

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

    /// <summary>A new optimizer with these hyperparameters, step count and (a copy of the) state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    /// <exception cref="ArgumentException">The state does not fit the optimizer.</exception>
    public Optimizer<T> Create<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Optimizer<T> optimizer = CreateWithoutState<T>();
        optimizer.RestoreState(GetState<T>(), StepCount);
        return optimizer;
    }

    /// <summary>The description the rebuilt optimizer gives, for example <c>Adam(lr 0.001, β₁ 0.9, β₂ 0.999, ε 1E-08)</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is out of range.</exception>
    public string Describe() => CreateWithoutState<double>().Description;

    private Optimizer<T> CreateWithoutState<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Kind switch
        {
            OptimizerSnapshotKind.Sgd => new Sgd<T>(LearningRate, Momentum, Nesterov),
            OptimizerSnapshotKind.Adam => new Adam<T>(LearningRate, Beta1, Beta2, Epsilon, WeightDecay),
            _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown optimizer kind."),
        };
}
