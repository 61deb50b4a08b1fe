using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>What <c>train</c> reports after an epoch: the library's metrics and the test accuracy.</summary>
/// <param name="Metrics">The epoch's metrics from the trainer.</param>
/// <param name="TotalEpochs">The last epoch this run will reach.</param>
/// <param name="HasValidation">Whether a validation set exists (else its fields are NaN and left out).</param>
/// <param name="TestAccuracy">The accuracy on the test set after the epoch; NaN without a test set.</param>
internal readonly record struct EpochReport(EpochMetrics Metrics, int TotalEpochs, bool HasValidation, double TestAccuracy)
{
    /// <summary>The accuracy to show: the test set's, else the validation set's, else NaN.</summary>
    public double ShownAccuracy => double.IsNaN(TestAccuracy) ? Metrics.ValidationAccuracy : TestAccuracy;
}
