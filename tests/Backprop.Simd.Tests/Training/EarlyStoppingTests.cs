using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// Early stopping on the validation loss stops after <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs
/// without improvement and restores the weights of the best epoch (recorded here, epoch by epoch, to compare).
/// </summary>
public sealed class EarlyStoppingTests
{
    /// <summary>Noisy blobs: 12 samples to memorise, 30 more from the same classes to validate on.</summary>
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(42, 8, 3, seed: 11, noise: 1.5);
    private static readonly (Matrix<double> Inputs, Matrix<double> Targets) s_training = (s_data.Inputs.GetRows(0, 12), s_data.Targets.GetRows(0, 12));
    private static readonly (Matrix<double> Inputs, Matrix<double> Targets) s_validation = (s_data.Inputs.GetRows(12, 30), s_data.Targets.GetRows(12, 30));

    [Fact]
    public void Training_stops_after_the_patience_and_restores_the_best_weights()
    {
        (Trainer<double> trainer, List<double[]> weights) = Overfit(patience: 3, epochs: 60);

        Assert.True(trainer.History.StoppedEarly, "the validation loss of an overfitting model must stop improving");
        int best = BestEpoch(trainer.History);
        Assert.Equal(best, trainer.History.BestEpoch);
        Assert.Equal(best + 3, trainer.History.Count);
        Assert.True(best > 1, "the validation loss should improve at first");
        FloatAssert.SameBits<double>(trainer.Network.Parameters, weights[best - 1], $"weights against those after the best epoch {best}");
    }

    [Fact]
    public void Best_weights_are_restored_when_the_epochs_run_out_first()
    {
        (Trainer<double> trainer, List<double[]> weights) = Overfit(patience: 1000, epochs: 40);

        Assert.False(trainer.History.StoppedEarly);
        Assert.Equal(40, trainer.History.Count);
        int best = BestEpoch(trainer.History);
        Assert.True(best < 40, "the test needs a validation loss that rises before the end");
        FloatAssert.SameBits<double>(trainer.Network.Parameters, weights[best - 1], $"weights against those after the best epoch {best}");
        Assert.Equal(trainer.History[best - 1].ValidationLoss, trainer.Evaluate(s_validation.Inputs, s_validation.Targets).Loss);
    }

    [Fact]
    public void A_later_fit_never_restores_the_best_weights_of_an_earlier_one()
    {
        (Trainer<double> trainer, _) = Overfit(patience: 3, epochs: 60);
        Assert.True(trainer.History.StoppedEarly);
        double[] firstBest = trainer.Network.Parameters.ToArray();

        // A validation loss of +∞ every epoch (finite targets so large that the loss overflows; non-finite data is
        // refused) never improves on +∞: this call has no best epoch, so the weights it trained stay, and the first
        // call's snapshot must not come back.
        Matrix<double> overflowing = s_validation.Targets.Clone();
        overflowing.Fill(1e308);
        var weights = new List<double[]>();
        trainer.Fit(s_training.Inputs, s_training.Targets, s_validation.Inputs, overflowing, new RecordingProgress<EpochMetrics>(_ => weights.Add(trainer.Network.Parameters.ToArray())));
        Assert.All(trainer.History.Skip(trainer.History.Count - weights.Count), e => Assert.True(double.IsPositiveInfinity(e.ValidationLoss)));

        Assert.True(trainer.History.StoppedEarly);
        FloatAssert.SameBits<double>(trainer.Network.Parameters, weights[^1], "weights after a call without a best epoch against its last epoch's");
        Assert.False(trainer.Network.Parameters.SequenceEqual(firstBest), "the first call's best weights came back");
    }

    [Fact]
    public void Early_stopping_without_validation_data_is_rejected()
    {
        Network<double> network = SyntheticData.Mlp<double>(8, 16, 3, seed: 13);
        double[] before = network.Parameters.ToArray();
        foreach (double fraction in new[] { 0, 0.05 })
        {
            var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.02), new TrainingOptions
            {
                EarlyStoppingPatience = 2,
                ValidationFraction = fraction,
            });

            // 0.05 of 12 rows holds out none; an empty validation set is no validation data either.
            Assert.Throws<ArgumentException>(() => trainer.Fit(s_training.Inputs, s_training.Targets, new Matrix<double>(0, 8), new Matrix<double>(0, 3)));
            var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(s_training.Inputs, s_training.Targets));
            Assert.Contains("needs validation data", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, trainer.StepsCompleted);
        }

        FloatAssert.SameBits<double>(network.Parameters, before, "weights after rejected fits");
    }

    /// <summary>A wide network with a large rate on the 12 training samples: it memorises them, and its validation loss falls, then rises.</summary>
    private static (Trainer<double> Trainer, List<double[]> Weights) Overfit(int patience, int epochs)
    {
        Network<double> network = SyntheticData.Mlp<double>(8, 64, 3, seed: 13);
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Adam<double>(0.02), new TrainingOptions
        {
            Epochs = epochs,
            BatchSize = 4,
            EarlyStoppingPatience = patience,
        });
        var weights = new List<double[]>();
        trainer.Fit(s_training.Inputs, s_training.Targets, s_validation.Inputs, s_validation.Targets, new RecordingProgress<EpochMetrics>(_ => weights.Add(network.Parameters.ToArray())));
        return (trainer, weights);
    }

    /// <summary>The first epoch (from 1) with the lowest validation loss.</summary>
    private static int BestEpoch(TrainingHistory history)
    {
        int best = 0;
        for (int i = 1; i < history.Count; i++)
        {
            best = history[i].ValidationLoss < history[best].ValidationLoss ? i : best;
        }

        return best + 1;
    }
}
