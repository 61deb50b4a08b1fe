using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// Minibatch boundaries: <see cref="TrainingOptions.BatchCount"/> splits like numpy's <c>array_split</c> (the first
/// n mod k batches one sample larger), <see cref="TrainingOptions.BatchSize"/> leaves a short last batch, and without
/// shuffling every epoch takes the rows in order. Checked end to end: a Fit must give the bits of TrainStep calls on
/// exactly those row ranges.
/// </summary>
public sealed class MinibatchTests
{
    [Theory]
    [InlineData(10, 3, new[] { 4, 3, 3 })]
    [InlineData(23, 4, new[] { 6, 6, 6, 5 })]
    [InlineData(7, 7, new[] { 1, 1, 1, 1, 1, 1, 1 })]
    public void Batch_count_splits_like_numpy_array_split(int samples, int batchCount, int[] sizes)
    {
        var options = new TrainingOptions { Epochs = 1, BatchCount = batchCount, Shuffle = false, Shards = 2 };
        var batches = new RecordingProgress<BatchProgress>();
        FitMatchesSteps(samples, options, [sizes], batches);
        Assert.Equal(Enumerable.Range(1, sizes.Length), batches.Reports.Select(b => b.Batch));
        Assert.All(batches.Reports, b => Assert.Equal(sizes.Length, b.BatchCount));

        // The test tells splits apart: the same sizes in another order give other weights.
        if (sizes.Distinct().Count() > 1)
        {
            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FitMatchesSteps(samples, options, [[.. Enumerable.Reverse(sizes)]], null));
        }
    }

    /// <summary>
    /// numpy's <c>array_split</c> of 5 samples into 8 gives [1, 1, 1, 1, 1, 0, 0, 0], and the notebook's loop would take
    /// three steps of the L2 penalty alone on the empty batches; the trainer refuses instead of imitating that (it used
    /// to train on 5 batches silently, which is neither).
    /// </summary>
    [Theory]
    [InlineData(5, 8)]
    [InlineData(1, 2)]
    public void More_batches_than_samples_is_refused_naming_both_numbers(int samples, int batchCount)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(samples, 6, 3, seed: 21);
        Network<float> network = SyntheticData.Mlp<float>(6, 5, 3, seed: 22);
        float[] before = network.Parameters.ToArray();
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.3), new TrainingOptions { Epochs = 1, BatchCount = batchCount, Shuffle = false });

        ArgumentException e = Assert.Throws<ArgumentException>(() => trainer.Fit(data.Inputs, data.Targets));

        Assert.Contains($"BatchCount is {batchCount} but there are only {samples} samples", e.Message, StringComparison.Ordinal);
        Assert.Contains($"array_split would leave {batchCount - samples} batches empty", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, network.Parameters.ToArray());
        Assert.Equal(0, trainer.StepsCompleted);
    }

    [Fact]
    public void Batch_size_leaves_a_short_last_batch_and_without_shuffle_every_epoch_takes_the_rows_in_order()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, Shuffle = false, Shards = 2 };
        FitMatchesSteps(10, options, [[4, 4, 2], [4, 4, 2], [4, 4, 2]], null);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(int.MaxValue - 100)]
    public void A_batch_size_near_int_MaxValue_takes_every_row_in_one_batch(int batchSize)
    {
        // (samples + size − 1) in int wraps to a negative batch count: the epoch would train nothing, silently.
        var options = new TrainingOptions { Epochs = 2, BatchSize = batchSize, Shuffle = false, Shards = 2 };
        Assert.Equal(1, MinibatchPlan.Count(10, options));
        Assert.Equal(10, MinibatchPlan.Start(1, 10, options));
        FitMatchesSteps(10, options, [[10], [10]], null);
    }

    [Fact]
    public void Shuffling_changes_the_order()
    {
        var options = new TrainingOptions { Epochs = 2, BatchSize = 4, Shuffle = true, Shards = 2 };
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => FitMatchesSteps(10, options, [[4, 4, 2], [4, 4, 2]], null));
    }

    [Fact]
    public void Plan_matches_array_split_for_every_small_case()
    {
        for (int samples = 1; samples <= 40; samples++)
        {
            for (int k = 1; k <= samples; k++)
            {
                var options = new TrainingOptions { BatchCount = k };
                int[] expected = [.. Enumerable.Range(0, k).Select(p => (samples / k) + (p < samples % k ? 1 : 0))];
                int[] actual = [.. Enumerable.Range(0, MinibatchPlan.Count(samples, options)).Select(b => MinibatchPlan.Start(b + 1, samples, options) - MinibatchPlan.Start(b, samples, options))];
                Assert.Equal(expected, actual);
                Assert.Equal(0, MinibatchPlan.Start(0, samples, options));
                Assert.Equal(expected.Max(), MinibatchPlan.MaxSize(samples, options));
            }
        }
    }

    /// <summary>Fits a network and asserts it ends with the bits of TrainStep calls on consecutive row ranges of the given sizes, epoch by epoch.</summary>
    private static void FitMatchesSteps(int samples, TrainingOptions options, int[][] epochSizes, IProgress<BatchProgress>? batches)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(samples, 6, 3, seed: 21);
        Network<float> network = SyntheticData.Mlp<float>(6, 5, 3, seed: 22, dropout: 0.2);
        Network<float> stepped = network.Clone();
        var loss = new SoftmaxCrossEntropy<float>();
        new Trainer<float>(network, loss, new Sgd<float>(0.3, momentum: 0.9), options).Fit(data.Inputs, data.Targets, null, null, null, batches);

        var trainer = new Trainer<float>(stepped, loss, new Sgd<float>(0.3, momentum: 0.9), options);
        foreach (int[] sizes in epochSizes)
        {
            Assert.Equal(samples, sizes.Sum());
            int start = 0;
            foreach (int size in sizes)
            {
                trainer.TrainStep(data.Inputs.GetRows(start, size), data.Targets.GetRows(start, size));
                start += size;
            }
        }

        FloatAssert.SameBits<float>(network.Parameters, stepped.Parameters, $"Fit against TrainStep on batches {string.Join(" | ", epochSizes.Select(e => string.Join(",", e)))}");
    }
}
