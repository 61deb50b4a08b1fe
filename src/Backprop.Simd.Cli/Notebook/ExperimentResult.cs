using System.Numerics;
using Backprop.Simd.Models;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Notebook;

/// <summary>What the replay of one experiment measured, and the trained model.</summary>
/// <typeparam name="T">float or double.</typeparam>
/// <param name="Experiment">The experiment.</param>
/// <param name="FirstEpoch">The number of its first epoch: 1, or after the epochs of the experiment it continues.</param>
/// <param name="TestAccuracy">Accuracy on the 500 test digits prepared as the notebook prepared them.</param>
/// <param name="FittedTestAccuracy">For standardised inputs, the accuracy with the test digits standardised with the training set's mean and deviation; NaN for raw pixels.</param>
/// <param name="TrainAccuracy">Accuracy on the training digits.</param>
/// <param name="Seconds">Wall-clock seconds of the training.</param>
/// <param name="History">The metrics of each epoch; <see cref="EpochMetrics.Loss"/> is the mean over the epoch's minibatches of each one's cost, as the notebook's <c>error_</c> averages its minibatch errors.</param>
/// <param name="TestAccuracies">The test accuracy (as <paramref name="TestAccuracy"/>) after each epoch.</param>
/// <param name="Model">The trained classifier.</param>
internal sealed record ExperimentResult<T>(
    NotebookExperiment Experiment,
    int FirstEpoch,
    double TestAccuracy,
    double FittedTestAccuracy,
    double TrainAccuracy,
    double Seconds,
    IReadOnlyList<EpochMetrics> History,
    double[] TestAccuracies,
    MlpClassifier<T> Model)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The last epochs whose test accuracies <see cref="RecentRange"/> spans: about one period of the error spikes the notebook saw.</summary>
    public const int RecentEpochs = 25;

    /// <summary>The epochs trained.</summary>
    public int Epochs => History.Count;

    /// <summary>The cost of each epoch, as <see cref="History"/> says.</summary>
    public double[] Errors => [.. History.Select(m => m.Loss)];

    /// <summary>
    /// The lowest and highest test accuracy of the last <see cref="RecentEpochs"/> epochs: how far the figure moves
    /// from epoch to epoch around the one the notebook stopped at.
    /// </summary>
    public (double Low, double High) RecentRange => TestAccuracies.Length == 0
        ? (double.NaN, double.NaN)
        : (TestAccuracies[^Math.Min(RecentEpochs, TestAccuracies.Length)..].Min(), TestAccuracies[^Math.Min(RecentEpochs, TestAccuracies.Length)..].Max());

    /// <summary>Ours minus the notebook's test accuracy.</summary>
    public double Difference => TestAccuracy - Experiment.PublishedTestAccuracy;
}
