using System.Numerics;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Training;

/// <summary>
/// What a <see cref="Trainer{T}"/> needs, besides the network's weights, to continue training exactly where it
/// stopped: the optimizer (name, hyperparameters, base learning rate, state and step count), the options, the epochs
/// and steps completed (which place the learning-rate schedule and the dropout keys), the shuffling generator's state
/// and the current sample order, and the history.
/// </summary>
/// <remarks>
/// Create one with <see cref="Trainer{T}.CreateCheckpoint"/>, store it with the weights in a model file
/// (<see cref="Serialization.SavedModel{T}.Checkpoint"/>), and continue with <see cref="Trainer{T}.Resume"/>. The
/// checkpoint is a snapshot: training on does not change it. It holds no element type, so it serves float and double
/// trainers alike; optimizer state taken from a float trainer converts back to float exactly.
/// </remarks>
public sealed class TrainingCheckpoint
{
    private readonly TrainingOptions _options;
    private readonly ulong[] _shuffleState;
    private readonly int[] _sampleOrder;

    /// <summary>Takes ownership of the arrays and the history; the options are copied.</summary>
    internal TrainingCheckpoint(OptimizerSnapshot optimizer, TrainingOptions options, int epochsCompleted, long stepsCompleted, ulong[] shuffleState, int[] sampleOrder, TrainingHistory history)
    {
        Optimizer = optimizer;
        _options = options.Clone();
        EpochsCompleted = epochsCompleted;
        StepsCompleted = stepsCompleted;
        _shuffleState = shuffleState;
        _sampleOrder = sampleOrder;
        History = history;
    }

    /// <summary>
    /// The checkpoint of a trainer that has not trained yet: what <see cref="Trainer{T}.CreateCheckpoint"/> returns
    /// right after the trainer's constructor, so that resuming from it trains as a new trainer would.
    /// </summary>
    internal static TrainingCheckpoint Initial<T>(Optimizer<T> optimizer, TrainingOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shuffleState = new ulong[Numerics.SeededRandom.StateLength];
        new Numerics.SeededRandom(options.Seed).GetState(shuffleState);
        return new TrainingCheckpoint(OptimizerSnapshot.Capture(optimizer), options, 0, 0, shuffleState, [], new TrainingHistory());
    }

    /// <summary>This checkpoint with another base learning rate and options (the state shared, not copied).</summary>
    internal TrainingCheckpoint With(double learningRate, TrainingOptions options) =>
        new(Optimizer.WithLearningRate(learningRate), options, EpochsCompleted, StepsCompleted, _shuffleState, _sampleOrder, History);

    /// <summary>The optimizer's name, as <see cref="OptimizerRegistry"/> knows it, for example <c>adam</c>.</summary>
    public string OptimizerName => Optimizer.Name;

    /// <summary>The optimizer with its hyperparameters, for example <c>SGD(lr 0.1, momentum 0.9)</c>.</summary>
    public string OptimizerDescription => Optimizer.Describe();

    /// <summary>The optimizer's step count (Adam's bias correction depends on it).</summary>
    public long OptimizerStepCount => Optimizer.StepCount;

    /// <summary>A copy of the options the trainer used.</summary>
    public TrainingOptions Options => _options.Clone();

    /// <summary>Epochs completed; the learning-rate schedule continues from here.</summary>
    public int EpochsCompleted { get; }

    /// <summary>Minibatch steps applied; dropout keys continue from here.</summary>
    public long StepsCompleted { get; }

    /// <summary>The metrics of every epoch so far.</summary>
    public TrainingHistory History { get; }

    internal OptimizerSnapshot Optimizer { get; }

    /// <summary>The shuffling generator's <see cref="Numerics.SeededRandom.GetState"/> words.</summary>
    internal ReadOnlySpan<ulong> ShuffleState => _shuffleState;

    /// <summary>The sample order after the last shuffle (each epoch shuffles it further); empty before the first epoch.</summary>
    internal ReadOnlySpan<int> SampleOrder => _sampleOrder;

    /// <summary>
    /// A new optimizer with the checkpoint's hyperparameters, base learning rate, state and step count, built by the
    /// factory registered under its name (<see cref="OptimizerRegistry"/>, which has the library's own from the start).
    /// </summary>
    /// <typeparam name="T">float or double.</typeparam>
    /// <returns>The optimizer.</returns>
    /// <exception cref="InvalidOperationException">No factory is registered under the optimizer's name.</exception>
    public Optimizer<T> CreateOptimizer<T>()
        where T : unmanaged, IFloatingPointIeee754<T> => Optimizer.Create<T>();
}
