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
/// <param name="Model">The trained classifier.</param>
internal sealed record ExperimentResult<T>(
    NotebookExperiment Experiment,
    int FirstEpoch,
    double TestAccuracy,
    double FittedTestAccuracy,
    double TrainAccuracy,
    double Seconds,
    IReadOnlyList<EpochMetrics> History,
    MlpClassifier<T> Model)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The epochs trained.</summary>
    public int Epochs => History.Count;

    /// <summary>The cost of each epoch, as <see cref="History"/> says.</summary>
    public double[] Errors => [.. History.Select(m => m.Loss)];

    /// <summary>Ours minus the notebook's test accuracy.</summary>
    public double Difference => TestAccuracy - Experiment.PublishedTestAccuracy;
}
