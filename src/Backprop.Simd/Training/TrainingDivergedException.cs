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

    internal TrainingDivergedException(int epoch, int batch, double loss, double gradientNorm, bool weightsFinite)
        : base(weightsFinite
            ? $"Training diverged in epoch {epoch}, minibatch {batch}: loss {loss}, gradient norm {gradientNorm}. The step was not applied; the weights are those of the last finite step. Try a lower learning rate."
            : $"Training diverged in epoch {epoch}, minibatch {batch}: loss {loss}, gradient norm {gradientNorm}, because the weights are no longer finite: the previous step's update overflowed the element type (a learning rate far too large). The weights are not usable; reload them.")
    {
        Epoch = epoch;
        Batch = batch;
        WeightsAreFinite = weightsFinite;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The minibatch within the epoch, from 1.</summary>
    public int Batch { get; }

    /// <summary>
    /// Whether the weights are finite: true unless an update itself overflowed (a finite gradient times a huge
    /// learning rate), the one case where the weights are not those of a finite step.
    /// </summary>
    public bool WeightsAreFinite { get; } = true;
}
