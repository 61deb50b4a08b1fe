using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// With several shards the dense layers leave their rows of x and dy in batch-wide buffers and their gradients are
/// computed once for the whole minibatch: the network's gradients after a sharded step must be the whole batch's, as
/// the network computes them in one pass, for even and uneven shards, one row per shard, and a shard count above the
/// rows. Both ways are covered: the shards' gradients (S × 1,913 values) outweigh the 11 rows to copy (11 × 103) more
/// than 6 to 1 from 4 shards on, so 2 and 3 shards keep per-shard gradients and 4 or more compute them for the batch.
/// Double, so that only the summation order differs (1e-12).
/// </summary>
public sealed class ShardedGradientTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(11, 1)]
    [InlineData(16, 2)]
    public void A_sharded_step_leaves_the_whole_batch_gradient(int shards, int threads)
    {
        var random = new SeededRandom(3);
        var x = new Matrix<double>(11, 40);
        x.InitializeUniform(random, -1.0, 1.0);
        var y = new Matrix<double>(11, 3);
        for (int i = 0; i < y.Rows; i++)
        {
            y[i, random.NextInt32(3)] = 1;
        }

        // A dense first layer (its x is the minibatch itself), dense layers after activations (their x is copied),
        // and a dense layer after a plain activation layer that is not fused with it.
        Network<double> network = Network<double>.Create(40, seed: 9).Dense(30, Activation.Tanh).Relu().Dense(20).Sigmoid().Dense(3).Build();
        Network<double> reference = network.Clone();
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(network, loss, new Sgd<double>(0.1), new TrainingOptions { Shards = shards, MaxDegreeOfParallelism = threads });

        // Two steps: the second must not read rows the first left behind.
        for (int step = 0; step < 2; step++)
        {
            reference.ZeroGradients();
            reference.AccumulateGradients(x, y, loss);
            trainer.TrainStep(x, y);
            for (int i = 0; i < network.ParameterCount; i++)
            {
                double expected = reference.Gradients[i];
                Assert.True(Math.Abs(network.Gradients[i] - expected) <= 1e-12 * Math.Max(1, Math.Abs(expected)), $"{shards} shards, step {step + 1}, gradient {i}: {network.Gradients[i]:R}, expected {expected:R}");
            }

            new Sgd<double>(0.1).Step(reference.Parameters, reference.Gradients, 0.1);
        }
    }

    /// <summary>
    /// After a step that computed the gradients for the batch (8 shards of 12 rows: 8 × 1,323 gradient values against
    /// 12 × 63 to copy), the network's own dense layers accumulate again, as a network outside a trainer does.
    /// </summary>
    [Fact]
    public void After_a_sharded_step_the_network_accumulates_its_own_gradients()
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(12, 40, 3, seed: 2);
        Network<double> network = SyntheticData.Mlp<double>(40, 30, 3, seed: 4);
        var loss = new SoftmaxCrossEntropy<double>();
        new Trainer<double>(network, loss, new Sgd<double>(0.1), new TrainingOptions { Shards = 8 }).TrainStep(data.Inputs, data.Targets);
        Network<double> reference = network.Clone();
        network.ZeroGradients();
        reference.ZeroGradients();
        network.AccumulateGradients(data.Inputs, data.Targets, loss);
        reference.AccumulateGradients(data.Inputs, data.Targets, loss);
        Assert.Contains(network.Gradients.ToArray(), g => g != 0);
        FloatAssert.SameBits<double>(network.Gradients, reference.Gradients, "gradients after a sharded step");
    }
}
