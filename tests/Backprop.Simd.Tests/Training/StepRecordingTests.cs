using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Serialization;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Tests.Serialization;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// <see cref="TrainingOptions.RecordSteps"/>: one record per optimizer step of <c>Fit</c>, numbered as the epochs are,
/// whose averages are exactly the epoch metrics, bitwise the same on any thread count, carried by checkpoints in
/// memory, and nothing when off.
/// </summary>
public sealed class StepRecordingTests
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(30, 4, 3, seed: 41);

    [Fact]
    public void There_is_one_step_per_minibatch_and_their_means_are_the_epoch_metrics()
    {
        // 30 rows in batches of 8: 4 minibatches per epoch; a step schedule changes the rate between epochs.
        Trainer<double> trainer = Create(Options(epochs: 3, threads: 2));
        trainer.Fit(s_data.Inputs, s_data.Targets);
        trainer.Fit(s_data.Inputs, s_data.Targets);

        IReadOnlyList<StepMetrics> steps = trainer.History.Steps;
        Assert.Equal(6 * 4, steps.Count);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (1 + (i / 4), i % 4)), steps.Select(s => (s.Epoch, s.Step)));
        foreach (EpochMetrics epoch in trainer.History)
        {
            StepMetrics[] of = [.. steps.Where(s => s.Epoch == epoch.Epoch)];
            double loss = 0, norm = 0;
            foreach (StepMetrics step in of)
            {
                Assert.True(step.Loss > 0 && step.GradientNorm > 0, $"{step}");
                Assert.Equal(epoch.LearningRate, step.LearningRate);
                loss += step.Loss;
                norm += step.GradientNorm;
            }

            // The trainer's own sums in its own order: equal, not merely close.
            Assert.Equal(epoch.Loss, loss / of.Length);
            Assert.Equal(epoch.GradientNorm, norm / of.Length);
        }

        Assert.NotEqual(trainer.History[0].LearningRate, trainer.History[^1].LearningRate);
        Assert.True(steps.Select(s => s.Loss).Distinct().Count() > 20, "every step reports its own loss");
    }

    [Fact]
    public void A_step_reports_the_objective_and_the_norm_of_the_gradient_it_stepped_on()
    {
        // One batch of everything, one shard, plain SGD of rate 1: the step is the public gradient exactly.
        Network<double> network = SyntheticData.Mlp<double>(4, 6, 3, seed: 43);
        var options = new TrainingOptions { Epochs = 1, BatchCount = 1, Shards = 1, Shuffle = false, L2 = 0.3, RecordSteps = true };
        double[] gradient = new double[network.ParameterCount];
        RegularizedLoss expected = network.ComputeGradient(new SoftmaxCrossEntropy<double>(), s_data.Inputs, s_data.Targets, gradient, options);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(1), options);
        trainer.Fit(s_data.Inputs, s_data.Targets);

        StepMetrics step = Assert.Single(trainer.History.Steps);
        Assert.Equal(expected.Objective, step.Loss);
        double norm = Math.Sqrt(gradient.Sum(g => g * g));
        Assert.True(Math.Abs(step.GradientNorm - norm) <= 1e-12 * norm, $"{step.GradientNorm} against {norm}");
    }

    [Fact]
    public void Steps_are_bitwise_identical_on_one_and_two_threads()
    {
        StepMetrics[] Run(int threads)
        {
            Trainer<double> trainer = Create(Options(epochs: 4, threads), dropout: 0.25);
            trainer.Fit(s_data.Inputs, s_data.Targets);
            return [.. trainer.History.Steps];
        }

        StepMetrics[] one = Run(1);
        Assert.Equal(16, one.Length);
        Assert.Equal(one, Run(2));
    }

    [Fact]
    public void Nothing_is_recorded_when_off_nor_by_train_step()
    {
        TrainingOptions options = Options(epochs: 2, threads: 1);
        options.RecordSteps = false;
        Trainer<double> off = Create(options);
        off.Fit(s_data.Inputs, s_data.Targets);
        Assert.Equal(2, off.History.Count);
        Assert.Empty(off.History.Steps);
        Assert.False(new TrainingOptions().RecordSteps);

        Trainer<double> on = Create(Options(epochs: 1, threads: 1));
        on.TrainStep(s_data.Inputs, s_data.Targets);
        Assert.Empty(on.History.Steps);
    }

    [Fact]
    public void An_epoch_cut_short_by_cancellation_leaves_no_steps()
    {
        Trainer<double> trainer = Create(Options(epochs: 3, threads: 1));
        using var cancel = new CancellationTokenSource();
        var batches = new RecordingProgress<BatchProgress>(b =>
        {
            if (b.Epoch == 2 && b.Batch == 2)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(s_data.Inputs, s_data.Targets, null, null, null, batches, cancel.Token));

        Assert.Single(trainer.History);
        Assert.Equal(4, trainer.History.Steps.Count);
        Assert.All(trainer.History.Steps, s => Assert.Equal(1, s.Epoch));
    }

    [Fact]
    public void Checkpoints_carry_the_option_and_the_steps_in_memory_but_model_files_store_neither()
    {
        Trainer<double> trainer = Create(Options(epochs: 2, threads: 1));
        trainer.Fit(s_data.Inputs, s_data.Targets);
        TrainingCheckpoint checkpoint = trainer.CreateCheckpoint();
        Assert.True(checkpoint.Options.RecordSteps);
        Assert.Equal(trainer.History.Steps, checkpoint.History.Steps);

        Trainer<double> resumed = Trainer<double>.Resume(trainer.Network.Clone(), trainer.Loss, checkpoint);
        resumed.Fit(s_data.Inputs, s_data.Targets);
        trainer.Fit(s_data.Inputs, s_data.Targets);
        Assert.Equal(16, resumed.History.Steps.Count);
        Assert.Equal(trainer.History.Steps, resumed.History.Steps);

        SavedModel<double> loaded = ModelTestData.Decode<double>(ModelTestData.Encode(new SavedModel<double>(trainer.Network) { Checkpoint = checkpoint }));
        Assert.False(loaded.Checkpoint!.Options.RecordSteps);
        Assert.Empty(loaded.Checkpoint.History.Steps);
        Assert.Equal(2, loaded.Checkpoint.History.Count);
    }

    [Fact]
    public void The_classifier_option_records_steps()
    {
        var classifier = new MlpClassifier<double>(new MlpClassifierOptions { HiddenLayers = [5], Training = { Epochs = 2, BatchSize = 10, RecordSteps = true } });
        classifier.Fit(s_data.Inputs, s_data.Labels);
        Assert.Equal(2 * 3, classifier.History.Steps.Count);
        Assert.True(classifier.Options.Training.RecordSteps);
    }

    private static TrainingOptions Options(int epochs, int threads) => new()
    {
        Epochs = epochs,
        BatchSize = 8,
        Shards = 2,
        MaxDegreeOfParallelism = threads,
        L2 = 0.01,
        Seed = 7,
        RecordSteps = true,
        Schedule = LearningRateSchedule.Step(2, 0.5),
    };

    private static Trainer<double> Create(TrainingOptions options, double dropout = 0) =>
        new(SyntheticData.Mlp<double>(4, 6, 3, seed: 42, dropout), new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1, momentum: 0.5), options);
}
