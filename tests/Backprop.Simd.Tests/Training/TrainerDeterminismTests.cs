using System.Numerics;
using Backprop.Simd.Losses;
using Backprop.Simd.Networks;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>
/// Training is bitwise reproducible: the same weights after 50 steps (shuffled, with dropout) on 1, 2 and 4 threads,
/// and from run to run with the same seed. With several shards the threads run the shards; with one shard they run
/// inside the matrix products, which are large enough here to be split. 3 shards of 64 rows keep per-shard gradients;
/// 16 shards (16 × 17,802 gradient values against 64 × 266 to copy) compute the dense layers' for the whole batch.
/// </summary>
public sealed class TrainerDeterminismTests
{
    private const int Features = 128;
    private const int Hidden = 128;
    private const int Classes = 10;
    private const int Samples = 640;
    private const int BatchSize = 64;
    private const int Epochs = 5;

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(1)]
    public void Float_weights_are_bitwise_identical_for_1_2_and_4_threads_and_across_runs(int shards) => SameWeights<float>(shards);

    [Theory]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(1)]
    public void Double_weights_are_bitwise_identical_for_1_2_and_4_threads_and_across_runs(int shards) => SameWeights<double>(shards);

    private static void SameWeights<T>(int shards)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (shards == 1)
        {
            GemmBlocking blocking = GemmBlocking.For<T>(GemmBlocking.Native);
            Assert.True(blocking.PlannedPartitions<T>(BatchSize, Hidden, Features, 4) > 1, "The first layer's product must be large enough to run on several threads.");
        }

        LabelledData<T> data = SyntheticData.Blobs<T>(Samples, Features, Classes, seed: 31);
        (T[] reference, long steps) = Train(data, shards, threads: 1, seed: 42);
        Assert.Equal(Epochs * Samples / BatchSize, steps);
        Assert.True(steps >= 50);
        foreach (int threads in new[] { 2, 4, 1 })
        {
            FloatAssert.SameBits<T>(Train(data, shards, threads, seed: 42).Parameters, reference, $"{typeof(T).Name}, {shards} shards, {threads} threads against 1");
        }

        // The comparison can fail: another seed (another shuffle and other dropout masks) gives other weights.
        Assert.NotEqual(reference, Train(data, shards, threads: 2, seed: 43).Parameters);
    }

    private static (T[] Parameters, long Steps) Train<T>(LabelledData<T> data, int shards, int threads, ulong seed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Network<T> network = SyntheticData.Mlp<T>(Features, Hidden, Classes, seed: 7, dropout: 0.25);
        T[] initial = network.Parameters.ToArray();
        var trainer = new Trainer<T>(network, new SoftmaxCrossEntropy<T>(), new Adam<T>(0.002), new TrainingOptions
        {
            Epochs = Epochs,
            BatchSize = BatchSize,
            Shuffle = true,
            Seed = seed,
            Shards = shards,
            MaxDegreeOfParallelism = threads,
            L2 = 1e-4,
        });
        trainer.Fit(data.Inputs, data.Targets);
        Assert.True(trainer.History[^1].Loss < trainer.History[0].Loss, "training should make progress");
        Assert.NotEqual(initial, network.Parameters.ToArray());
        return (network.Parameters.ToArray(), trainer.StepsCompleted);
    }
}
