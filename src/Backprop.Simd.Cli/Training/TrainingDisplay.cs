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
}
