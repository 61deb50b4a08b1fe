using System.Globalization;
using Backprop.Simd.Cli.Output;
using Backprop.Simd.Training;

namespace Backprop.Simd.Cli.Training;

/// <summary>How <c>train</c> shows its progress: JSON lines, plain lines, or a live display on a terminal.</summary>
internal abstract class TrainingDisplay
{
    /// <summary>Runs the training; a live display draws around it.</summary>
    public virtual void Run(Action train)
    {
        ArgumentNullException.ThrowIfNull(train);
        train();
    }

    /// <summary>After each minibatch.</summary>
    public virtual void OnBatch(BatchProgress progress)
    {
    }

    /// <summary>After each epoch.</summary>
    public abstract void OnEpoch(EpochReport report);

    /// <summary>A note for a person (data set, model saved); JSON output leaves notes out so every line parses.</summary>
    public abstract void Note(string text);

    /// <summary>
    /// The end of the run: for a person, early stopping and the test accuracy (the rest is in the epoch lines and
    /// notes); <c>--json</c> overrides this with its summary object.
    /// </summary>
    public virtual void Finish(TrainingSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Cancelled)
        {
            return;
        }

        TrainingHistory history = summary.History;
        if (history.StoppedEarly)
        {
            Note($"stopped early after epoch {history[^1].Epoch}: no lower validation loss for {summary.EarlyStoppingPatience} epochs; kept the weights of epoch {history.BestEpoch}.");
        }

        if (summary.TestSamples > 0)
        {
            Note(string.Create(CultureInfo.InvariantCulture, $"test accuracy {Format.Percent(summary.TestAccuracy)} on {summary.TestSamples:N0} samples after {Format.Count(history.Count, "epoch")} ({summary.Seconds:F1} s training)"));
        }
    }
}
