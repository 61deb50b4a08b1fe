using Backprop.Simd.Losses;
using Backprop.Simd.Optimizers;

namespace Backprop.Simd.Training;

/// <summary>How a <see cref="Trainer{T}"/> trains. The defaults are what a modern user expects; the original
/// notebook's recipe is <c>BatchCount = 25, Shuffle = false, Reduction = Sum</c>.</summary>
public sealed class TrainingOptions
{
    /// <summary>Epochs per <c>Fit</c> call. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Samples per minibatch (the last one may be smaller); used when <see cref="BatchCount"/> is 0. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>
    /// When positive, the epoch is split into this many nearly equal minibatches instead (numpy's
    /// <c>array_split</c>: the first n mod k batches hold one extra sample). Default 0. <c>Fit</c> refuses a count above
    /// the number of samples, where <c>array_split</c> would make empty batches.
    /// </summary>
    public int BatchCount { get; set; }

    /// <summary>Reshuffle the training set at the start of every epoch (seeded). Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>The seed of shuffling and dropout. Default 42.</summary>
    public ulong Seed { get; set; } = 42;

    /// <summary>
    /// Each minibatch is split into this many shards that run forward and backward in parallel, their gradients then
    /// summed in a fixed order (or, with many shards of few rows, the dense layers' gradients computed once for the
    /// whole minibatch). The trained weights depend on this number but never on the thread count, so results are
    /// bitwise identical on any machine. Use about as many shards as the threads you train on. From 1 to
    /// <see cref="MaxShards"/> (each shard keeps its own copy of the layers' buffers). Default 2.
    /// </summary>
    public int Shards { get; set; } = 2;

    /// <summary>The most shards a minibatch may be split into: 1,024.</summary>
    public const int MaxShards = 1024;

    /// <summary>The most threads to use: 0 (default) for every processor, 1 for the calling thread only.</summary>
    public int MaxDegreeOfParallelism { get; set; }

    /// <summary>Mean (default) or sum of the per-sample losses and gradients over a minibatch.</summary>
    public Reduction Reduction { get; set; } = Reduction.Mean;

    /// <summary>L1 penalty λ₁ Σ|w| on weights (gradient λ₁ sign(w)). Default 0.</summary>
    public double L1 { get; set; }

    /// <summary>L2 penalty (λ₂/2) Σw² on weights (gradient λ₂ w). Default 0.</summary>
    public double L2 { get; set; }

    /// <summary>Whether L1/L2 also apply to biases. Default false.</summary>
    public bool RegularizeBiases { get; set; }

    /// <summary>When no validation set is given, hold out this fraction of the training set (its last rows). Default 0.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>
    /// Stop after this many epochs without a lower validation loss, and keep the best weights of that <c>Fit</c> call;
    /// 0 (default) disables. Needs validation data: <c>Fit</c> throws when there is none.
    /// </summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>
    /// Record every optimizer step of <c>Fit</c> (its objective, gradient norm and learning rate) in
    /// <see cref="TrainingHistory.Steps"/>, as well as the per-epoch averages. Default false. A diagnostic of one run: a
    /// model file does not store it or the steps, so a trainer resumed from a file records only when its options ask.
    /// </summary>
    public bool RecordSteps { get; set; }

    /// <summary>The learning-rate schedule. Default constant.</summary>
    public LearningRateSchedule Schedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>A copy of these options.</summary>
    /// <returns>The copy.</returns>
    public TrainingOptions Clone() => (TrainingOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs, nameof(Epochs));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(BatchCount, nameof(BatchCount));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Shards, nameof(Shards));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Shards, MaxShards, nameof(Shards));
        ArgumentOutOfRangeException.ThrowIfNegative(EarlyStoppingPatience, nameof(EarlyStoppingPatience));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxDegreeOfParallelism, nameof(MaxDegreeOfParallelism));
        if (!Enum.IsDefined(Reduction))
        {
            throw new ArgumentOutOfRangeException(nameof(Reduction), Reduction, $"{Reduction} is not a Reduction.");
        }

        if (!(L1 >= 0) || !double.IsFinite(L1))
        {
            throw new ArgumentOutOfRangeException(nameof(L1), L1, "L1 must be non-negative and finite.");
        }

        if (!(L2 >= 0) || !double.IsFinite(L2))
        {
            throw new ArgumentOutOfRangeException(nameof(L2), L2, "L2 must be non-negative and finite.");
        }

        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
        }

        ArgumentNullException.ThrowIfNull(Schedule, nameof(Schedule));
    }
}
