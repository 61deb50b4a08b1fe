using Backprop.Simd.Losses;
using Backprop.Simd.Models;
using Backprop.Simd.Networks;
using Backprop.Simd.Numerics;
using Backprop.Simd.Optimizers;
using Backprop.Simd.Tests.Infrastructure;
using Backprop.Simd.Training;

namespace Backprop.Simd.Tests.Training;

/// <summary>After warm-up a training step and a prediction allocate nothing, on one thread and on several.</summary>
[Collection(AllocationCounting.Name)]
public sealed class TrainingAllocationTests
{
    /// <summary>
    /// Shards on threads (2 shards), and one shard with the threads inside the matrix products. Each shard is a few
    /// milliseconds of work, so that the worker takes part however long it takes to wake. 32 shards of 8 rows compute
    /// the dense layers' gradients for the whole batch (32 × 35,594 gradient values against 256 × 522 to copy).
    /// </summary>
    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 2)]
    [InlineData(2, 1)]
    [InlineData(2, 32)]
    public void A_training_step_allocates_nothing(int threads, int shards)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(256, 128, 10, seed: 1);
        Network<float> network = SyntheticData.Mlp<float>(128, 256, 10, seed: 2, dropout: 0.2);
        var trainer = new Trainer<float>(network, new SoftmaxCrossEntropy<float>(), new Adam<float>(1e-3, weightDecay: 0.01), new TrainingOptions
        {
            Shards = shards,
            MaxDegreeOfParallelism = threads,
            L1 = 1e-5,
            L2 = 1e-4,
        });
        Allocations.AssertNone($"TrainStep on {threads} threads, {shards} shards", 100, () => trainer.TrainStep(data.Inputs, data.Targets));
    }

    /// <summary>The public gradients into the caller's buffers, as a Hessian-vector product by finite differences calls them again and again.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Computing_gradients_allocates_nothing(int threads)
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(64, 32, 4, seed: 5);
        Network<double> network = SyntheticData.Mlp<double>(32, 48, 4, seed: 6, dropout: 0.1);
        network.MaxDegreeOfParallelism = threads;
        var loss = new SoftmaxCrossEntropy<double>();
        var options = new TrainingOptions { L1 = 1e-4, L2 = 1e-3, MaxDegreeOfParallelism = threads };
        double[] gradient = new double[network.ParameterCount];
        var inputGradient = new Matrix<double>(64, 32);
        Allocations.AssertNone($"ComputeGradient on {threads} threads", 20, () => network.ComputeGradient(loss, data.Inputs, data.Targets, gradient, options, randomKey: 3));
        Allocations.AssertNone($"ComputeInputGradient on {threads} threads", 20, () => network.ComputeInputGradient(loss, data.Inputs, data.Targets, inputGradient));
    }

    /// <summary>
    /// Inside Fit (shuffled rows gathered into the batch buffers, progress reported), after a first Fit: nothing is
    /// allocated between two consecutive minibatches of an epoch. Read in the batch callback, which allocates nothing.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void A_minibatch_inside_fit_allocates_nothing(int threads)
    {
        LabelledData<double> data = SyntheticData.Blobs<double>(400, 32, 4, seed: 3);
        var trainer = new Trainer<double>(SyntheticData.Mlp<double>(32, 24, 4, seed: 4, dropout: 0.1), new SoftmaxCrossEntropy<double>(), new Sgd<double>(0.05, momentum: 0.9), new TrainingOptions
        {
            Epochs = 3,
            BatchSize = 16,
            MaxDegreeOfParallelism = threads,
        });
        var counter = new AllocationPerBatch(epochs: 3, batches: 25);
        trainer.Fit(data.Inputs, data.Targets);
        trainer.Fit(data.Inputs, data.Targets, null, null, null, counter);
        Allocations.AssertNone($"Fit on {threads} threads, between consecutive minibatches", counter.BetweenBatches());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Predictions_allocate_nothing(int threads)
    {
        LabelledData<float> data = SyntheticData.Blobs<float>(300, 64, 10, seed: 5);
        Network<float> network = SyntheticData.Mlp<float>(64, 256, 10, seed: 6, dropout: 0.3);
        network.MaxDegreeOfParallelism = threads;
        var classifier = new MlpClassifier<float>(network);
        float[] sample = data.Inputs.Row(0).ToArray();
        float[] output = new float[10];
        var outputs = new Matrix<float>(300, 10);

        Allocations.AssertNone("Network.Predict, one sample", 50, () => network.Predict(sample, output));
        Allocations.AssertNone("Network.Predict, a batch", 20, () => network.Predict(data.Inputs, outputs));
        Allocations.AssertNone("MlpClassifier.PredictProba, one sample", 50, () => classifier.PredictProba(sample, output));
        Allocations.AssertNone("MlpClassifier.PredictProba, a batch", 20, () => classifier.PredictProba(data.Inputs, outputs));
        Allocations.AssertNone("MlpClassifier.Predict, one sample", 50, () => classifier.Predict(sample));
        int[] labels = new int[300];
        Allocations.AssertNone("MlpClassifier.Predict, a batch into a span", 20, () => classifier.Predict(data.Inputs, labels));

        // Over 256 classes the single-sample logits no longer fit on the stack.
        Network<float> wide = SyntheticData.Mlp<float>(64, 32, 300, seed: 7);
        wide.MaxDegreeOfParallelism = threads;
        var wideClassifier = new MlpClassifier<float>(wide);
        Allocations.AssertNone("MlpClassifier.Predict, one sample of 300 classes", 50, () => wideClassifier.Predict(sample));
    }

    /// <summary>Records the bytes allocated on the library's threads at every minibatch report, into preallocated storage.</summary>
    private sealed class AllocationPerBatch(int epochs, int batches) : IProgress<BatchProgress>
    {
        private readonly long[,] _bytes = new long[epochs, batches];
        private int _firstEpoch;

        public void Report(BatchProgress value)
        {
            if (_firstEpoch == 0)
            {
                _firstEpoch = value.Epoch;
            }

            _bytes[value.Epoch - _firstEpoch, value.Batch - 1] = Allocations.OnLibraryThreads();
        }

        /// <summary>What each step allocated, by epoch: the differences between consecutive reports.</summary>
        public long[][] BetweenBatches() =>
            [.. Enumerable.Range(0, _bytes.GetLength(0)).Select(e => Enumerable.Range(1, _bytes.GetLength(1) - 1).Select(b => _bytes[e, b] - _bytes[e, b - 1]).ToArray())];
    }
}
