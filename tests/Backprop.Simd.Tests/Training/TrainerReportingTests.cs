using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>What a trainer reports: progress per epoch and per minibatch, and validation metrics from a given set or a held-out fraction.</summary>
public sealed class TrainerReportingTests
{
    [Fact]
    public void Progress_is_reported_per_epoch_and_per_batch_across_fit_calls()
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(30, 4, 3, seed: 1);
        var trainer = new Trainer<float>(SyntheticData.Mlp<float>(4, 6, 3, seed: 2), new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions { Epochs = 3, BatchSize = 8 });
        var epochs = new RecordingProgress<EpochMetrics>();
        var batches = new RecordingProgress<BatchProgress>();
        trainer.Fit(data.Inputs, data.Targets, null, null, epochs, batches);
        trainer.Fit(data.Inputs, data.Targets, null, null, epochs, batches);

        Assert.Equal(trainer.History, epochs.Reports);
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, epochs.Reports.Select(e => e.Epoch));
        Assert.Equal(6 * 4, batches.Reports.Count);
        for (int i = 0; i < batches.Reports.Count; i++)
        {
            BatchProgress batch = batches.Reports[i];
            Assert.Equal((1 + (i / 4), 1 + (i % 4), 4), (batch.Epoch, batch.Batch, batch.BatchCount));
            Assert.True(double.IsFinite(batch.Loss) && batch.Loss > 0 && batch.SamplesPerSecond > 0, $"batch {i}: {batch}");
        }

        // An epoch's objective is the mean of its minibatch objectives.
        foreach (EpochMetrics epoch in epochs.Reports)
        {
            double mean = batches.Reports.Where(b => b.Epoch == epoch.Epoch).Average(b => b.Loss);
            Assert.True(Math.Abs(mean - epoch.Loss) <= 1e-12 * mean, $"epoch {epoch.Epoch}: {epoch.Loss}, batches average {mean}");
            Assert.True(double.IsNaN(epoch.ValidationLoss) && double.IsNaN(epoch.ValidationAccuracy), "no validation set, no validation metrics");
        }
    }

    /// <summary>
    /// The phase clock the benchmarks read: every phase of every step is counted, inside the time Fit took, and the
    /// busiest shard's work is part of its shard phase (summing the shards instead, or counting nothing, fails).
    /// </summary>
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(4, 2)]
    public void The_phase_clock_counts_each_step_within_the_training_time(int shards, int threads)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(64, 40, 3, seed: 5);
        var trainer = new Trainer<float>(SyntheticData.Mlp<float>(40, 64, 3, seed: 6), new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.1, 0.9), new TrainingOptions { Epochs = 2, BatchSize = 16, Shards = shards, MaxDegreeOfParallelism = threads });
        TrainingPhases previous = trainer.Phases;
        for (int call = 0; call < 2; call++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            trainer.Fit(data.Inputs, data.Targets);
            double wall = watch.Elapsed.TotalSeconds;
            TrainingPhases phases = trainer.Phases - previous;
            previous = trainer.Phases;

            Assert.True(phases.Shards > 0 && phases.Reduction > 0 && phases.Update > 0, $"call {call}: {phases}");
            Assert.True(phases.BusiestShard > 0 && phases.BusiestShard <= phases.Shards, $"call {call}: {phases}");
            Assert.True(phases.Shards + phases.Reduction + phases.Update <= wall, $"call {call}: {phases} in {wall} s");
        }
    }

    [Fact]
    public void Validation_metrics_are_those_of_the_weights_after_each_epoch()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(40, 4, 3, seed: 3);
        LabelledData<double> validation = SyntheticData.Blobs<double>(15, 4, 3, seed: 3);
        Trainer<double>? trainer = null;
        var evaluated = new List<(double Loss, double Accuracy)>();
        var progress = new RecordingProgress<EpochMetrics>(_ => evaluated.Add(trainer!.Evaluate(validation.Inputs, validation.Targets)));
        trainer = new Trainer<double>(SyntheticData.Mlp<double>(4, 6, 3, seed: 4), new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.2), new TrainingOptions { Epochs = 4, BatchSize = 10 });
        trainer.Fit(data.Inputs, data.Targets, validation.Inputs, validation.Targets, progress);

        Assert.Equal(evaluated, trainer.History.Select(e => (e.ValidationLoss, e.ValidationAccuracy)));
        Assert.True(trainer.History[^1].ValidationLoss < trainer.History[0].ValidationLoss, "the validation loss should fall on learnable blobs");
    }

    /// <summary>
    /// ValidationFraction holds out the last rows, for both Fit overloads when no validation set is given: the weights
    /// and the metrics are those of training on the first rows with the last rows as an explicit validation set.
    /// </summary>
    [Fact]
    public void A_validation_fraction_holds_out_the_last_rows()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(20, 4, 3, seed: 5);
        var options = new TrainingOptions { Epochs = 3, BatchSize = 4, ValidationFraction = 0.25 };
        (Network<double> explicitNetwork, Trainer<double> explicitTrainer) = Create(options);
        explicitTrainer.Fit(data.Inputs.GetRows(0, 15), data.Targets.GetRows(0, 15), data.Inputs.GetRows(15, 5), data.Targets.GetRows(15, 5));

        (Network<double> network, Trainer<double> trainer) = Create(options);
        trainer.Fit(data.Inputs, data.Targets);
        (Network<double> withBatchProgress, Trainer<double> batchTrainer) = Create(options);
        var batches = new RecordingProgress<BatchProgress>();
        batchTrainer.Fit(data.Inputs, data.Targets, null, null, null, batches);

        foreach ((Network<double> other, Trainer<double> otherTrainer, string name) in new[] { (network, trainer, "Fit"), (withBatchProgress, batchTrainer, "Fit with batch progress") })
        {
            FloatAssert.SameBits<double>(other.Parameters, explicitNetwork.Parameters, name);
            Assert.Equal(explicitTrainer.History.Select(e => (e.Loss, e.ValidationLoss, e.ValidationAccuracy)), otherTrainer.History.Select(e => (e.Loss, e.ValidationLoss, e.ValidationAccuracy)));
        }

        Assert.All(explicitTrainer.History, e => Assert.False(double.IsNaN(e.ValidationLoss)));
        Assert.Equal(3 * 4, batches.Reports.Count);
    }

    private static (Network<double> Network, Trainer<double> Trainer) Create(TrainingOptions options)
    {
        Network<double> network = SyntheticData.Mlp<double>(4, 6, 3, seed: 6);
        return (network, new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.01), options));
    }
}
