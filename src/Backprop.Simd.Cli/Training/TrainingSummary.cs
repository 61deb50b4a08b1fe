using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>How a <c>train</c> run ended: what its last line (or, with <c>--json</c>, its last object) reports.</summary>
/// <param name="History">Every epoch of the model, those of a resumed run's earlier runs included.</param>
/// <param name="EpochsRun">The epochs this run trained.</param>
/// <param name="HasValidation">Whether a validation set was held out.</param>
/// <param name="EarlyStoppingPatience">The early-stopping patience; 0 when off.</param>
/// <param name="TestAccuracy">The test set's accuracy at the end; NaN without a test set or when cancelled.</param>
/// <param name="TestSamples">The test set's size; 0 without one.</param>
/// <param name="ModelPath">Where the model was saved; null when it was not.</param>
/// <param name="Cancelled">Whether Ctrl+C stopped the run.</param>
internal sealed record TrainingSummary(
    TrainingHistory History,
    int EpochsRun,
    bool HasValidation,
    int EarlyStoppingPatience,
    double TestAccuracy,
    int TestSamples,
    string? ModelPath,
    bool Cancelled)
{
    /// <summary>The training seconds of every epoch in <see cref="History"/>.</summary>
    public double Seconds => History.Sum(m => m.Seconds);

    /// <summary>The last epoch's metrics; null when no epoch finished.</summary>
    public EpochMetrics? Last => History.Count == 0 ? null : History[^1];
}
