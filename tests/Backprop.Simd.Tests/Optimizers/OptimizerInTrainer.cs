using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Optimizers;

/// <summary>
/// What any optimizer must do inside the trainer, checked on a network large enough that the trainer runs the update in
/// several parameter ranges: the ranges on two threads are one whole step, and two shards train the same bits on one
/// and on two threads.
/// </summary>
internal static class OptimizerInTrainer
{
    private static readonly LabelledData<double> s_data = SyntheticData.Blobs<double>(40, 150, 10, seed: 4);

    /// <summary>Three trainer steps against <see cref="Optimizer{T}.Step"/> over the whole network: the same bits, state included.</summary>
    public static void RangesAreOneWholeStep(Func<Optimizer<double>> create)
    {
        Network<double> network = Network();
        Network<double> reference = network.Clone();
        var loss = new SoftmaxCrossEntropy<double>();
        var trainer = new Trainer<double>(network, loss, create(), new TrainingOptions { Shards = 1, MaxDegreeOfParallelism = 2 });
        Optimizer<double> whole = create();
        for (int step = 0; step < 3; step++)
        {
            trainer.TrainStep(s_data.Inputs, s_data.Targets);
            reference.ZeroGradients();
            reference.AccumulateGradients(s_data.Inputs, s_data.Targets, loss);
            whole.Step(reference.Parameters, reference.Gradients, whole.LearningRate);
            FloatAssert.SameBits<double>(network.Parameters, reference.Parameters, $"{whole.Description}, step {step + 1}");
        }

        FloatAssert.SameBits(trainer.Optimizer.State, whole.State, $"{whole.Description}, state");
    }

    /// <summary>Two epochs in 2 shards on 1 and 2 threads: the same bits, within 1e-9 of 1 shard, and not the start.</summary>
    public static void TwoShardsTrainTheSameOnOneAndTwoThreads(Func<Optimizer<double>> create)
    {
        double[] Train(int shards, int threads)
        {
            Network<double> network = Network();
            new Trainer<double>(network, new SoftmaxCrossEntropy<double>(), create(), new TrainingOptions { Shards = shards, MaxDegreeOfParallelism = threads, BatchSize = 10, Epochs = 2, Reduction = Reduction.Sum })
                .Fit(s_data.Inputs, s_data.Targets);
            return network.Parameters.ToArray();
        }

        double[] two = Train(2, 1);
        FloatAssert.SameBits<double>(Train(2, 2), two, "2 shards on 2 threads against 1 thread");
        Assert.Equal(Train(1, 1), two, (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
        Assert.NotEqual(Network().Parameters.ToArray(), two);
    }

    private static Network<double> Network()
    {
        Network<double> network = SyntheticData.Mlp<double>(150, 220, 10, seed: 5);
        Assert.True(network.ParameterCount > 2 * GradientReduction<double>.ChunkSize, "the update must run in several ranges");
        return network;
    }
}
