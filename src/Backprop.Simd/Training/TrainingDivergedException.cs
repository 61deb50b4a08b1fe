namespace Backprop.Simd.Training;

/// <summary>
/// Training produced a non-finite loss or gradient. The step was not applied: the weights are those of the last
/// finite step (unless <see cref="WeightsAreFinite"/> says an update itself overflowed).
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TrainingDivergedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TrainingDivergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal TrainingDivergedException(int epoch, int batch, double loss, double gradientNorm, DivergedWeights weights)
        : base(weights switch
        {
            DivergedWeights.LastFiniteStep => $"Training diverged in epoch {epoch}, minibatch {batch}: loss {loss}, gradient norm {gradientNorm}. The step was not applied; the weights are those of the last finite step. Try a lower learning rate.",
            DivergedWeights.OverflowedByThisStep => $"Training diverged in epoch {epoch}, minibatch {batch}: with loss {loss} and gradient norm {gradientNorm} finite, the optimizer's update overflowed the element type (a learning rate far too large), so the weights are no longer finite. They are not usable; reload them.",
            _ => $"Training diverged in epoch {epoch}, minibatch {batch}: loss {loss}, gradient norm {gradientNorm}, because the weights were not finite before this step (they were set so). They are not usable; reload them.",
        })
    {
        Epoch = epoch;
        Batch = batch;
        WeightsAreFinite = weights == DivergedWeights.LastFiniteStep;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The minibatch within the epoch, from 1.</summary>
    public int Batch { get; }

    /// <summary>
    /// Whether the weights are finite, those of the last finite step: false when the update itself overflowed (a
    /// finite gradient times a huge learning rate) or the weights were not finite before the step.
    /// </summary>
    public bool WeightsAreFinite { get; } = true;
}

/// <summary>What became of the weights when training diverged.</summary>
internal enum DivergedWeights
{
    /// <summary>The diverging step was not applied.</summary>
    LastFiniteStep,

    /// <summary>The step's update itself made weights infinite or NaN.</summary>
    OverflowedByThisStep,

    /// <summary>The weights were not finite before the step.</summary>
    NotFiniteBefore,
}
