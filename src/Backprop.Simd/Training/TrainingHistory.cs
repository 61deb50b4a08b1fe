using System.Collections;
using System.Collections.ObjectModel;

namespace Backprop.Simd.Training;

/// <summary>
/// The per-epoch metrics of a model, across all its training calls, and its per-step metrics when
/// <see cref="TrainingOptions.RecordSteps"/> asked for them.
/// </summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly List<EpochMetrics> _epochs = [];
    private readonly List<StepMetrics> _steps = [];
    private ReadOnlyCollection<StepMetrics>? _stepsView;

    /// <summary>The number of epochs recorded.</summary>
    public int Count => _epochs.Count;

    /// <summary>The metrics of one epoch.</summary>
    /// <param name="index">From 0.</param>
    public EpochMetrics this[int index] => _epochs[index];

    /// <summary>
    /// One record per optimizer step of the recorded epochs, in order, from the epochs trained with
    /// <see cref="TrainingOptions.RecordSteps"/> on; empty when it was off. An epoch's steps come with its
    /// <see cref="EpochMetrics"/>, so an epoch cut short by cancellation or divergence leaves none, and
    /// <see cref="Trainer{T}.TrainStep"/>, which records no epoch, records no step either.
    /// </summary>
    public IReadOnlyList<StepMetrics> Steps => _stepsView ??= _steps.AsReadOnly();

    /// <summary>Whether the last training call stopped early (patience exhausted).</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>The epoch (from 1) whose weights were kept by early stopping; 0 when not used.</summary>
    public int BestEpoch { get; internal set; }

    /// <inheritdoc/>
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(EpochMetrics metrics) => _epochs.Add(metrics);

    /// <summary>Appends an epoch's steps (recorded as it ran, added with its metrics).</summary>
    internal void AddSteps(ReadOnlySpan<StepMetrics> steps) => _steps.AddRange(steps);

    /// <summary>A copy, for a checkpoint that must not change as training goes on.</summary>
    internal TrainingHistory Clone()
    {
        var copy = new TrainingHistory { StoppedEarly = StoppedEarly, BestEpoch = BestEpoch };
        copy._epochs.AddRange(_epochs);
        copy._steps.AddRange(_steps);
        return copy;
    }

    /// <summary>Replaces this history's contents with a copy of <paramref name="source"/>'s (a resumed trainer's).</summary>
    internal void CopyFrom(TrainingHistory source)
    {
        _epochs.Clear();
        _epochs.AddRange(source._epochs);
        _steps.Clear();
        _steps.AddRange(source._steps);
        StoppedEarly = source.StoppedEarly;
        BestEpoch = source.BestEpoch;
    }
}
