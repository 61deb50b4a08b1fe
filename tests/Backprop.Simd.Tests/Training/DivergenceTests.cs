using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// A non-finite loss or gradient raises <see cref="TrainingDivergedException"/> naming the epoch and the minibatch,
/// and the diverged step is not applied: the weights and the optimizer state are those of the last finite step.
/// </summary>
public sealed class DivergenceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_nan_input_stops_training_at_its_batch_with_the_weights_of_the_step_before(int threads)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(25, 6, 3, seed: 1);
        Network<float> network = SyntheticData.Mlp<float>(6, 10, 3, seed: 2);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(0.01), new TrainingOptions
        {
            Epochs = 1,
            BatchSize = 5,
            Shuffle = false,
            MaxDegreeOfParallelism = threads,
        });
        trainer.Fit(data.Inputs, data.Targets);

        // Row 13 is in the third minibatch (rows 10..14) of the second epoch.
        data.Inputs[13, 4] = float.NaN;
        float[]? lastFinite = null;
        var batches = new RecordingProgress<BatchProgress>(_ => lastFinite = network.Parameters.ToArray());
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data.Inputs, data.Targets, null, null, null, batches));

        Assert.Equal((2, 3), (ex.Epoch, ex.Batch));
        Assert.Contains("epoch 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("minibatch 3", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, batches.Reports.Count);
        FloatAssert.SameBits<float>(network.Parameters, lastFinite, "weights after divergence against those after the last finite step");
        Assert.All(lastFinite!, w => Assert.True(float.IsFinite(w)));
        Assert.Equal(5 + 2, trainer.StepsCompleted);
        Assert.Equal(5 + 2, trainer.Optimizer.StepCount);
    }

    [Fact]
    public void A_huge_learning_rate_diverges_and_keeps_the_last_finite_weights()
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(40, 6, 3, seed: 3);
        Network<float> network = SyntheticData.Mlp<float>(6, 10, 3, seed: 4);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(1e30), new TrainingOptions { Epochs = 3, BatchSize = 8 });
        float[] lastFinite = network.Parameters.ToArray();
        var batches = new RecordingProgress<BatchProgress>(_ => lastFinite = network.Parameters.ToArray());
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data.Inputs, data.Targets, null, null, null, batches));

        Assert.Equal(1, ex.Epoch);
        Assert.Equal(batches.Reports.Count + 1, ex.Batch);
        Assert.True(ex.Batch > 1, "one step of a huge rate is finite; the next one diverges");
        FloatAssert.SameBits<float>(network.Parameters, lastFinite, "weights after divergence");
        Assert.All(lastFinite, w => Assert.True(float.IsFinite(w)));
    }

    [Fact]
    public void An_update_that_overflows_the_element_type_is_reported_as_such()
    {
        // A learning rate finite in float times a finite gradient beyond float's range: the update itself makes the
        // weights infinite, the one divergence whose weights are not a finite step's, and the exception must say so.
        LabelledData<float> data = SyntheticData.Blobs<float>(16, 6, 3, seed: 3);
        for (int i = 0; i < data.Inputs.Rows; i++)
        {
            foreach (ref float x in data.Inputs.Row(i))
            {
                x *= 1000;
            }
        }

        Network<float> network = SyntheticData.Mlp<float>(6, 10, 3, seed: 4);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Sgd<float>(3e38), new TrainingOptions { Epochs = 2, BatchSize = 8, Shuffle = false });
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Fit(data.Inputs, data.Targets));

        Assert.False(ex.WeightsAreFinite);
        Assert.Contains("weights are no longer finite", ex.Message, StringComparison.Ordinal);
        Assert.Contains(network.Parameters.ToArray(), w => !float.IsFinite(w));

        // An ordinary divergence (a NaN input) keeps finite weights and says so.
        Network<float> other = SyntheticData.Mlp<float>(6, 10, 3, seed: 4);
        data.Inputs[0, 0] = float.NaN;
        var finite = Assert.Throws<TrainingDivergedException>(() => new Trainer<float>(other, new SoftmaxCrossEntropy<float>(), new Sgd<float>(0.1)).TrainStep(data.Inputs, data.Targets));
        Assert.True(finite.WeightsAreFinite);
        Assert.Contains("the weights are those of the last finite step", finite.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_overflowing_update_of_a_last_step_is_caught_at_that_step()
    {
        // Adam's first step is lr / (1 − β₁) = 10 lr: 1e38 is a finite float, 1e39 is not. A one-batch Fit, and a
        // TrainStep, have no next step to find the infinite weights; the update itself must report them.
        LabelledData<float> data = SyntheticData.Blobs<float>(8, 4, 2, seed: 5);
        Network<float> network = SyntheticData.Mlp<float>(4, 6, 2, seed: 6);
        var fit = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(1e38), new TrainingOptions { Epochs = 1, BatchSize = 8 });
        var ex = Assert.Throws<TrainingDivergedException>(() => fit.Fit(data.Inputs, data.Targets));
        Assert.Equal((1, 1, false), (ex.Epoch, ex.Batch, ex.WeightsAreFinite));
        Assert.Contains("the optimizer's update overflowed the element type", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, fit.StepsCompleted);

        Network<float> other = SyntheticData.Mlp<float>(4, 6, 2, seed: 6);
        var step = new Trainer<float>(other, new SoftmaxCrossEntropy<float>(), new Adam<float>(1e38));
        Assert.False(Assert.Throws<TrainingDivergedException>(() => step.TrainStep(data.Inputs, data.Targets)).WeightsAreFinite);

        // The optimizer on its own says so too, whether the overflow is in the vectorised body (64 = a multiple of
        // every vector width) or in the scalar tail (1 element).
        foreach (int length in new[] { 1, 64 })
        {
            float[] parameters = [.. Enumerable.Repeat(0.5f, length)];
            float[] gradients = [.. Enumerable.Repeat(0.1f, length)];
            Assert.Throws<ArithmeticException>(() => new Adam<float>(1e38).Step(parameters, gradients, 1e38));
            Assert.All(parameters, p => Assert.True(float.IsInfinity(p)));

            float[] one = new float[length];
            float[] push = new float[length];
            (one[length - 1], push[length - 1]) = (3e38f, -3e38f);
            Assert.Throws<ArithmeticException>(() => new Sgd<float>(0.1).Step(one, push, 10));
            new Sgd<float>(0.1).Step(new float[length], push, 0.5);
        }
    }

    [Fact]
    public void Weights_set_to_NaN_before_a_step_are_reported_as_such()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(6, 3, 2, seed: 5);
        Network<double> network = SyntheticData.Mlp<double>(3, 4, 2, seed: 6);
        network.Parameters[2] = double.NaN;
        var ex = Assert.Throws<TrainingDivergedException>(() => new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.1)).TrainStep(data.Inputs, data.Targets));
        Assert.False(ex.WeightsAreFinite);
        Assert.Contains("the weights were not finite before this step", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_learning_rate_not_finite_in_the_element_type_is_rejected()
    {
        // 1e300 is a finite double but +∞ as a float, and 1e-50 is 0 as a float: neither can train a float network.
        foreach (double rate in new[] { 1e300, 1e-50 })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Sgd<float>(rate));
            Assert.Contains("Single", ex.Message, StringComparison.Ordinal);
        }

        _ = new Sgd<double>(1e300);
        var sgd = new Sgd<float>(0.1);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = 1e39);
        Assert.Equal(0.1, sgd.LearningRate);

        // Step takes a per-step rate (a schedule may bring it to 0) and rejects negative, NaN and overflowing ones.
        float[] parameters = [1, 2, 3];
        float[] gradients = [1, 1, 1];
        foreach (double rate in new[] { -1, double.NaN, 1e300 })
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => sgd.Step(parameters, gradients, rate));
        }

        Assert.Equal([1f, 2f, 3f], parameters);
        sgd.Step(parameters, gradients, 0);
        Assert.Equal([1f, 2f, 3f], parameters);
        sgd.Step(parameters, gradients, 0.5);
        Assert.Equal([0.5f, 1.5f, 2.5f], parameters);
    }

    [Fact]
    public void A_diverging_train_step_changes_nothing()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(6, 3, 2, seed: 5);
        Network<double> network = SyntheticData.Mlp<double>(3, 4, 2, seed: 6);
        var trainer = new Trainer<double>(network, new MeanSquaredError<double>(), new Sgd<double>(0.1, momentum: 0.9));
        trainer.TrainStep(data.Inputs, data.Targets);
        double[] weights = network.Parameters.ToArray();
        double[] state = trainer.Optimizer.State.ToArray();

        data.Targets[2, 1] = double.PositiveInfinity;
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.TrainStep(data.Inputs, data.Targets));
        Assert.Equal((1, 1), (ex.Epoch, ex.Batch));
        FloatAssert.SameBits<double>(network.Parameters, weights, "weights");
        FloatAssert.SameBits(trainer.Optimizer.State, state, "momentum");
        Assert.Equal(1, trainer.Optimizer.StepCount);
    }
}
