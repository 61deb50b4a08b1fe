using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// Cancellation stops training within one minibatch: no step after the one in progress when the token is cancelled,
/// and the model left is that of the last completed step (finite, usable, trainable further).
/// </summary>
public sealed class CancellationTests
{
    private const int BatchesPerEpoch = 5;

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 3)]
    [InlineData(2, 5)]
    public void Cancelling_during_a_batch_stops_after_it_with_the_weights_of_that_step(int threads, int cancelAtBatch)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(40, 6, 3, seed: 1);
        Network<float> network = SyntheticData.Mlp<float>(6, 12, 3, seed: 2, dropout: 0.2);
        Network<float> stepped = network.Clone();
        var options = new TrainingOptions { Epochs = 4, BatchSize = 8, Shuffle = false, MaxDegreeOfParallelism = threads };
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), options);
        using var cancellation = new CancellationTokenSource();
        float[]? atCancel = null;
        var batches = new RecordingProgress<BatchProgress>(b =>
        {
            if (b.Epoch == 2 && b.Batch == cancelAtBatch)
            {
                atCancel = network.Parameters.ToArray();
                cancellation.Cancel();
            }
        });

        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data.Inputs, data.Targets, null, null, null, batches, cancellation.Token));

        int steps = BatchesPerEpoch + cancelAtBatch;
        Assert.Equal(steps, batches.Reports.Count);
        Assert.Equal(steps, trainer.StepsCompleted);
        Assert.Equal(steps, trainer.Optimizer.StepCount);
        FloatAssert.SameBits<float>(network.Parameters, atCancel, "weights after cancellation against the weights when the token was cancelled");
        Assert.All(atCancel!, w => Assert.True(float.IsFinite(w)));

        // Independently: exactly that many steps over the rows in order.
        var reference = new Trainer<float>(stepped, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), options);
        for (int s = 0; s < steps; s++)
        {
            int batch = s % BatchesPerEpoch;
            reference.TrainStep(data.Inputs.GetRows(batch * 8, 8), data.Targets.GetRows(batch * 8, 8));
        }

        FloatAssert.SameBits<float>(network.Parameters, stepped.Parameters, "weights after cancellation against the same number of steps");

        // The model is consistent: it predicts finite values and trains on.
        Assert.All(network.Predict(data.Inputs).AsSpan().ToArray(), v => Assert.True(float.IsFinite(v)));
        trainer.Fit(data.Inputs, data.Targets);
        Assert.Equal(1 + 4, trainer.History.Count);
    }

    [Fact]
    public void An_already_cancelled_token_changes_nothing()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(20, 4, 2, seed: 3);
        Network<double> network = SyntheticData.Mlp<double>(4, 5, 2, seed: 4);
        double[] before = network.Parameters.ToArray();
        var trainer = new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1));
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data.Inputs, data.Targets, null, new CancellationToken(canceled: true)));
        FloatAssert.SameBits<double>(network.Parameters, before, "weights");
        Assert.Equal(0, trainer.StepsCompleted);
        Assert.Empty(trainer.History);
    }

    [Fact]
    public void Cancelling_at_the_end_of_an_epoch_keeps_that_epoch()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(20, 4, 2, seed: 5);
        var trainer = new Trainer<double>(SyntheticData.Mlp<double>(4, 5, 2, seed: 6), new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1), new TrainingOptions { Epochs = 10, BatchSize = 5 });
        using var cancellation = new CancellationTokenSource();
        var epochs = new RecordingProgress<EpochMetrics>(e =>
        {
            if (e.Epoch == 3)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => trainer.Fit(data.Inputs, data.Targets, epochs, cancellation.Token));
        Assert.Equal(3, trainer.History.Count);
        Assert.Equal(3 * 4, trainer.StepsCompleted);
    }
}
