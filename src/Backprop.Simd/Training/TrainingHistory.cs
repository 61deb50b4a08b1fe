using System.Collections;

namespace Backprop.Simd.Training;

/// <summary>The per-epoch metrics of a model, across all its training calls.</summary>
public sealed class TrainingHistory : IReadOnlyList<EpochMetrics>
{
    private readonly List<EpochMetrics> _epochs = [];

    /// <summary>The number of epochs recorded.</summary>
    public int Count => _epochs.Count;

    /// <summary>The metrics of one epoch.</summary>
    /// <param name="index">From 0.</param>
    public EpochMetrics this[int index] => _epochs[index];

    /// <summary>Whether the last training call stopped early (patience exhausted).</summary>
    public bool StoppedEarly { get; internal set; }

    /// <summary>The epoch (from 1) whose weights were kept by early stopping; 0 when not used.</summary>
    public int BestEpoch { get; internal set; }

    /// <inheritdoc/>
    public IEnumerator<EpochMetrics> GetEnumerator() => _epochs.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(EpochMetrics metrics) => _epochs.Add(metrics);

    /// <summary>A copy, for a checkpoint that must not change as training goes on.</summary>
    internal TrainingHistory Clone()
    {
        var copy = new TrainingHistory { StoppedEarly = StoppedEarly, BestEpoch = BestEpoch };
        copy._epochs.AddRange(_epochs);
        return copy;
    }

    /// <summary>Replaces this history's contents with a copy of <paramref name="source"/>'s (a resumed trainer's).</summary>
    internal void CopyFrom(TrainingHistory source)
    {
        _epochs.Clear();
        _epochs.AddRange(source._epochs);
        StoppedEarly = source.StoppedEarly;
        BestEpoch = source.BestEpoch;
    }
}
