namespace Backprop.Simd.Training;

/// <summary>The minibatch boundaries of an epoch: fixed-size batches, or numpy's <c>array_split</c> into k nearly equal parts.</summary>
internal static class MinibatchPlan
{
    public static int Count(int samples, TrainingOptions options) =>
        options.BatchCount > 0 ? Math.Min(options.BatchCount, samples) : (int)((samples + (long)options.BatchSize - 1) / options.BatchSize);

    /// <summary>The start of batch <paramref name="batch"/> (and, with batch + 1, its end).</summary>
    public static int Start(int batch, int samples, TrainingOptions options)
    {
        if (options.BatchCount <= 0)
        {
            // In long: a batch size near int.MaxValue must not wrap around.
            return (int)Math.Min((long)batch * options.BatchSize, samples);
        }

        // array_split: the first (samples mod k) parts get one extra sample.
        int k = Math.Min(options.BatchCount, samples);
        int size = samples / k;
        int extra = samples % k;
        return (batch * size) + Math.Min(batch, extra);
    }

    /// <summary>The largest batch.</summary>
    public static int MaxSize(int samples, TrainingOptions options) =>
        options.BatchCount > 0 ? (samples + Math.Min(options.BatchCount, samples) - 1) / Math.Min(options.BatchCount, samples) : Math.Min(options.BatchSize, samples);
}
