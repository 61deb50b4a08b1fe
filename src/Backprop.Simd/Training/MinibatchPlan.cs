namespace Backprop.Simd.Training;

/// <summary>The minibatch boundaries of an epoch: fixed-size batches, or numpy's <c>array_split</c> into k nearly equal parts.</summary>
internal static class MinibatchPlan
{
    /// <summary>The number of minibatches of an epoch over <paramref name="samples"/> rows.</summary>
    /// <exception cref="ArgumentException">
    /// <see cref="TrainingOptions.BatchCount"/> exceeds <paramref name="samples"/>: numpy's <c>array_split</c> would
    /// make empty batches, on which the notebook's loop takes steps of the L2 penalty alone; refused rather than imitated.
    /// </exception>
    public static int Count(int samples, TrainingOptions options)
    {
        if (options.BatchCount > samples)
        {
            throw new ArgumentException(
                $"BatchCount is {options.BatchCount} but there are only {samples} samples to train on: numpy's array_split would leave {options.BatchCount - samples} batches empty (steps of the L2 penalty alone in the notebook's loop). Use a BatchCount of at most {samples}.");
        }

        return options.BatchCount > 0 ? options.BatchCount : (int)((samples + (long)options.BatchSize - 1) / options.BatchSize);
    }

    /// <summary>The start of batch <paramref name="batch"/> (and, with batch + 1, its end).</summary>
    public static int Start(int batch, int samples, TrainingOptions options)
    {
        if (options.BatchCount <= 0)
        {
            // In long: a batch size near int.MaxValue must not wrap around.
            return (int)Math.Min((long)batch * options.BatchSize, samples);
        }

        // array_split: the first (samples mod k) parts get one extra sample.
        int k = options.BatchCount;
        int size = samples / k;
        int extra = samples % k;
        return (batch * size) + Math.Min(batch, extra);
    }

    /// <summary>The largest batch.</summary>
    public static int MaxSize(int samples, TrainingOptions options) =>
        options.BatchCount > 0 ? (samples + options.BatchCount - 1) / options.BatchCount : Math.Min(options.BatchSize, samples);
}
