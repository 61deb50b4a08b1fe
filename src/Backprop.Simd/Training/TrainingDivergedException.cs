namespace Backprop.Simd.Training;

/// <summary>
/// Training produced a non-finite loss or gradient. The step was not applied: the weights are those of the last
/// finite step.
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

    internal TrainingDivergedException(int epoch, int batch, double loss, double gradientNorm)
        : base($"Training diverged in epoch {epoch}, minibatch {batch}: loss {loss}, gradient norm {gradientNorm}. The step was not applied; the weights are those of the last finite step. Try a lower learning rate.")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The epoch, from 1.</summary>
    public int Epoch { get; }

    /// <summary>The minibatch within the epoch, from 1.</summary>
    public int Batch { get; }
}
